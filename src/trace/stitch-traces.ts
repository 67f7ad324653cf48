/**
 * @module trace/stitch-traces
 * Puts the spans of one run back into one trace. Without a registered OTel context manager (AI SDK telemetry outside
 * any active context, for one), every span starts a trace of its own, and edge inference — which only links calls of
 * the same trace, so unrelated runs in one file stay apart — would silently drop nearly every data-flow edge.
 */
import { NO_PARENT, parentPositions } from "./call-positions.js";
import { IdTable } from "./id-map.js";
import type { ModuleCall } from "./module-call.js";
import { joinTraces, type TraceTable } from "./join-traces.js";

/**
 * The calls with split trace ids joined: a call whose parent span is in the input takes its parent's trace id; a
 * trace whose calls all lie within the time range of another (earlier-starting) trace is joined to it, with a
 * warning naming both ids and the likely cause; its top-level calls become children of the host's enclosing root
 * call. Traces disjoint in time stay apart (separate runs in one export).
 *
 * @example
 * const calls = stitchTraces(untangleCalls(read.calls, warn), warn);
 */
export function stitchTraces(calls: readonly ModuleCall[], warn: (warning: string) => void): ModuleCall[] {
  // one trace id throughout (a trace() run): every walk would end at that id, and one trace joins nothing
  if (oneTrace(calls)) return [...calls];
  // where span ids repeat, a parent link reaches the last call with the id, and the memos below are per id
  const positions = new IdTable<number>(calls.length);
  for (let i = 0; i < calls.length; i++) positions.set(calls[i]!.spanId, i);
  const unique = positions.size === calls.length;
  const parents = parentPositions(calls, positions);
  const { reassigned, traceOf } = parentTraces(calls, parents, unique ? undefined : positions);
  const table = traceTable(calls, (i) => traceOf[unique ? i : positions.get(calls[i]!.spanId)!] ?? calls[i]!.traceId);
  const hosts = joinTraces(table, warn);
  if (reassigned === 0 && hosts.joined === 0) return [...calls];
  // a joined trace's roots lost their parent along with the context: the host root that encloses them in time
  // (usually the one run span, e.g. ai.generateText) is their caller, so its output can come from them
  const hostRoots: (ModuleCall[] | undefined)[] = [];
  for (let i = 0; i < calls.length; i++) {
    const t = table.traceAt[i]!;
    if (hosts.hostOf[t] !== NO_HOST || parents[i] !== NO_PARENT) continue;
    (hostRoots[t] ??= []).push(calls[i]!);
  }
  return calls.map((c, i) => {
    const t = table.traceAt[i]!;
    const host = hosts.hostOf[t]!;
    // (a host without a trace id, from a hand-made span, leaves the call's own id in place)
    const hostId = host === NO_HOST ? undefined : table.ids[host];
    const to = hostId === undefined || hostId === null ? t : host;
    const final = table.ids[to]!;
    if (final === c.traceId) return c;
    const orphan = host !== NO_HOST && parents[i] === NO_PARENT;
    const caller = orphan ? enclosingRoot(hostRoots[to] ?? [], c) : undefined;
    return caller ? { ...c, traceId: final, parentSpanId: caller.spanId } : { ...c, traceId: final };
  });
}

const NO_HOST = -1;

function oneTrace(calls: readonly ModuleCall[]): boolean {
  for (let i = 1; i < calls.length; i++) if (calls[i]!.traceId !== calls[0]!.traceId) return false;
  return true;
}

/**
 * Parent links first: certain evidence. Each call's trace id becomes its top ancestor's; `traceOf` holds the ids
 * that changed, at the (last) position of each span id. One walk per chain, memoized: a 10k-deep chain stays linear;
 * a walk that comes back to itself (a parent cycle) takes the trace id of the call where it stopped.
 */
function parentTraces(calls: readonly ModuleCall[], parents: Int32Array, positions: IdTable<number> | undefined): { reassigned: number; traceOf: (string | undefined)[] } {
  const n = calls.length;
  const rootTrace: (string | undefined)[] = new Array(n);
  const traceOf: (string | undefined)[] = new Array(n);
  // walk number that last put each call on its walk: a cycle guard without a Set per walk
  const onWalk = new Int32Array(n);
  const walk = new Int32Array(n);
  let reassigned = 0;
  for (let i = 0; i < n; i++) {
    // the first step is the call itself, at its own position; parent steps reach the id's (last) position
    const key = positions ? positions.get(calls[i]!.spanId)! : i;
    let length = 0;
    let found: string | undefined;
    let cur = i;
    let at = key;
    while (true) {
      found = rootTrace[at];
      if (found !== undefined || onWalk[at] === i + 1) break;
      onWalk[at] = i + 1;
      walk[length++] = cur;
      cur = parents[cur]!;
      if (cur === NO_PARENT) break;
      at = cur;
    }
    const id = found ?? calls[walk[length - 1]!]!.traceId;
    for (let k = 0; k < length; k++) {
      const w = walk[k]!;
      const wKey = k === 0 ? key : w;
      rootTrace[wKey] = id;
      if (id !== calls[w]!.traceId) {
        traceOf[wKey] = id;
        reassigned++;
      }
    }
  }
  return { reassigned, traceOf };
}

/** Each call's trace (as an index into the trace ids, in order of first appearance) and each trace's time range. */
function traceTable(calls: readonly ModuleCall[], idAt: (i: number) => string): TraceTable {
  const index = new IdTable<number>(calls.length);
  const ids: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const traceAt = new Int32Array(calls.length);
  let lastId: string | undefined;
  let last = -1;
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    const id = idAt(i);
    // calls of one trace mostly come together: the previous call's trace saves a lookup
    let t = last >= 0 && id === lastId ? last : index.get(id);
    if (t === undefined) {
      t = ids.length;
      index.set(id, t);
      ids.push(id);
      starts.push(c.startTime);
      ends.push(c.endTime);
    } else {
      starts[t] = Math.min(starts[t]!, c.startTime);
      ends[t] = Math.max(ends[t]!, c.endTime);
    }
    traceAt[i] = t;
    lastId = id;
    last = t;
  }
  return { ids, starts, ends, traceAt };
}

/** The shortest root that encloses `c` in time, if any. */
function enclosingRoot(roots: readonly ModuleCall[], c: ModuleCall): ModuleCall | undefined {
  let best: ModuleCall | undefined;
  for (const r of roots) {
    if (r.startTime > c.startTime || r.endTime < c.endTime) continue;
    if (!best || r.endTime - r.startTime < best.endTime - best.startTime) best = r;
  }
  return best;
}

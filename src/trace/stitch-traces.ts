/**
 * @module trace/stitch-traces
 * Puts the spans of one run back into one trace. Without a registered OTel context manager (AI SDK telemetry outside
 * any active context, for one), every span starts a trace of its own, and edge inference — which only links calls of
 * the same trace, so unrelated runs in one file stay apart — would silently drop nearly every data-flow edge.
 */
import { CLOCK_SKEW_MS } from "./clock.js";
import type { ModuleCall } from "./module-call.js";

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
  const bySpan = new Map(calls.map((c) => [c.spanId, c]));
  const traceOf = new Map<string, string>();
  // parent links first: certain evidence. One walk per chain, memoized: a 10k-deep chain stays linear.
  const rootTrace = new Map<string, string>();
  for (const c of calls) {
    const walk: ModuleCall[] = [];
    let cur: ModuleCall | undefined = c;
    let found: string | undefined;
    // the cycle guard is made only for a walk past the first step: most calls' parent was already walked
    let onWalk: Set<string> | undefined;
    while (cur && found === undefined) {
      found = rootTrace.get(cur.spanId);
      if (found !== undefined) break;
      if (walk.length > 0 && (onWalk ??= new Set(walk.map((w) => w.spanId))).has(cur.spanId)) break;
      onWalk?.add(cur.spanId);
      walk.push(cur);
      cur = cur.parentSpanId === undefined ? undefined : bySpan.get(cur.parentSpanId);
    }
    const id = found ?? walk[walk.length - 1]!.traceId;
    for (const w of walk) {
      rootTrace.set(w.spanId, id);
      if (id !== w.traceId) traceOf.set(w.spanId, id);
    }
  }
  const idOf = (c: ModuleCall) => traceOf.get(c.spanId) ?? c.traceId;
  const ranges = new Map<string, { start: number; end: number }>();
  for (const c of calls) {
    const id = idOf(c);
    const r = ranges.get(id);
    if (!r) ranges.set(id, { start: c.startTime, end: c.endTime });
    else {
      r.start = Math.min(r.start, c.startTime);
      r.end = Math.max(r.end, c.endTime);
    }
  }
  // then time: a trace that ran entirely inside another one's time range was almost surely part of it (within the
  // clock skew between root spans: the last model call of an AI SDK run can seem to end just after the run)
  const merged = new Map<string, string>();
  if (ranges.size > 1) {
    const byStart = [...ranges].sort((a, b) => a[1].start - b[1].start || b[1].end - a[1].end);
    let host: [string, { start: number; end: number }] | undefined;
    for (const entry of byStart) {
      if (host && entry[1].start >= host[1].start - CLOCK_SKEW_MS && entry[1].end <= host[1].end + CLOCK_SKEW_MS) merged.set(entry[0], host[0]);
      else host = entry;
    }
    if (merged.size > 0) {
      const groups = new Map<string, string[]>();
      for (const [from, to] of merged) pushTo(groups, to, from);
      for (const [to, from] of groups) {
        const shown = from.slice(0, 5).join(", ") + (from.length > 5 ? `, … (${from.length} traces)` : "");
        warn(`spans of trace ${to} continue under trace ids ${shown}, which ran inside its time range; they were joined into one trace — the likely cause is that no OTel context manager is registered (register one, e.g. AsyncLocalStorageContextManager, or run the agent inside tracegrad's trace())`);
      }
    }
  }
  if (traceOf.size === 0 && merged.size === 0) return [...calls];
  // a joined trace's roots lost their parent along with the context: the host root that encloses them in time
  // (usually the one run span, e.g. ai.generateText) is their caller, so its output can come from them
  const hostRoots = new Map<string, ModuleCall[]>();
  for (const c of calls) {
    const id = idOf(c);
    if (merged.has(id) || (c.parentSpanId !== undefined && bySpan.has(c.parentSpanId))) continue;
    pushTo(hostRoots, id, c);
  }
  return calls.map((c) => {
    const id = idOf(c);
    const final = merged.get(id) ?? id;
    if (final === c.traceId) return c;
    const orphan = merged.has(id) && (c.parentSpanId === undefined || !bySpan.has(c.parentSpanId));
    const caller = orphan ? enclosingRoot(hostRoots.get(final) ?? [], c) : undefined;
    return caller ? { ...c, traceId: final, parentSpanId: caller.spanId } : { ...c, traceId: final };
  });
}

/** Appends in place: copying the list on every add was quadratic (20k spans in traces of their own: 12 s). */
function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

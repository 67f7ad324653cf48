/**
 * @module trace/untangle-calls
 * Makes the call tree a tree before the graph builder walks it. Recorded traces can say impossible things — a span
 * that is its own parent, parent links that form a ring, two spans with one id — and every walk up a parent chain
 * (enclosure tests, descendant searches, replay plans) would loop forever on them. Each repair is a warning naming
 * the spans, so the trace's producer can be fixed.
 */
import { TG } from "./attributes.js";
import { NO_PARENT, parentPositions } from "./call-positions.js";
import { IdTable } from "./id-map.js";
import type { ModuleCall } from "./module-call.js";

/**
 * The calls with duplicate span ids dropped (the first is kept), each parent cycle cut at its earliest-starting
 * call (which becomes top-level), and blank roles removed (the default role is used instead). Order is kept; calls
 * that need no repair are returned as they are.
 *
 * @example
 * const calls = untangleCalls(readCalls(spans).calls, (w) => console.warn(w));
 */
export function untangleCalls(calls: readonly ModuleCall[], warn: (warning: string) => void): ModuleCall[] {
  const positions = new IdTable<number>(calls.length);
  const kept: ModuleCall[] = [];
  for (const c of calls) {
    const first = positions.get(c.spanId);
    if (first !== undefined) {
      warn(`duplicate span id ${c.spanId}: span "${c.name}" was dropped and span "${kept[first]!.name}" kept`);
      continue;
    }
    positions.set(c.spanId, kept.length);
    kept.push(c);
  }
  const cut = cycleCuts(kept, parentPositions(kept, positions), warn);
  for (let i = 0; i < kept.length; i++) {
    const c = kept[i]!;
    const blankRole = c.role !== undefined && c.role.trim() === "";
    if (blankRole) warn(`span "${c.name}" (${c.spanId}) has a blank ${TG.moduleRole}; the default role is used`);
    if (!blankRole && cut[i] === 0) continue;
    const copy: { -readonly [K in keyof ModuleCall]?: unknown } = { ...c };
    if (blankRole) delete copy.role;
    if (cut[i] === 1) delete copy.parentSpanId;
    kept[i] = copy as ModuleCall;
  }
  return kept;
}

const UNSEEN = 0;
const ON_WALK = 1;
const DONE = 2;

/**
 * Which calls' parent link closes a cycle (1 at their position). One pass, each call visited once: a walk up from
 * each unvisited call stops at a call already finished (no cycle) or at one on the current walk (a cycle: the walk's
 * tail from there).
 */
function cycleCuts(calls: readonly ModuleCall[], parents: Int32Array, warn: (warning: string) => void): Uint8Array {
  const state = new Uint8Array(calls.length);
  const cut = new Uint8Array(calls.length);
  // one walk buffer for all walks: a chain is at most every call long
  const walk = new Int32Array(calls.length);
  for (let start = 0; start < calls.length; start++) {
    let length = 0;
    let cur = start;
    while (cur !== NO_PARENT && state[cur] === UNSEEN) {
      state[cur] = ON_WALK;
      walk[length++] = cur;
      cur = parents[cur]!;
    }
    if (cur !== NO_PARENT && state[cur] === ON_WALK) {
      const from = walk.indexOf(cur);
      let rootAt = cur;
      for (let k = from; k < length; k++) if (calls[walk[k]!]!.startTime < calls[rootAt]!.startTime) rootAt = walk[k]!;
      cut[rootAt] = 1;
      const root = calls[rootAt]!;
      const ring = Array.from(walk.subarray(from, length), (p) => calls[p]!);
      const shown = ring.slice(0, 5).map((c) => `"${c.name}" (${c.spanId})`).join(" → ");
      const names = ring.length > 5 ? `${shown} → … (${ring.length} spans)` : shown;
      warn(`parent links form a cycle: ${names} → back to the first; the parent link of span "${root.name}" (${root.spanId}) was dropped and it is treated as a top-level call`);
    }
    for (let k = 0; k < length; k++) state[walk[k]!] = DONE;
  }
  return cut;
}

/**
 * @module trace/untangle-calls
 * Makes the call tree a tree before the graph builder walks it. Recorded traces can say impossible things — a span
 * that is its own parent, parent links that form a ring, two spans with one id — and every walk up a parent chain
 * (enclosure tests, descendant searches, replay plans) would loop forever on them. Each repair is a warning naming
 * the spans, so the trace's producer can be fixed.
 */
import { TG } from "./attributes.js";
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
  const byId = new Map<string, ModuleCall>();
  const kept: ModuleCall[] = [];
  for (const c of calls) {
    const first = byId.get(c.spanId);
    if (first) {
      warn(`duplicate span id ${c.spanId}: span "${c.name}" was dropped and span "${first.name}" kept`);
      continue;
    }
    byId.set(c.spanId, c);
    kept.push(c);
  }
  const cut = cycleCuts(kept, byId, warn);
  return kept.map((c) => {
    const blankRole = c.role !== undefined && c.role.trim() === "";
    if (blankRole) warn(`span "${c.name}" (${c.spanId}) has a blank ${TG.moduleRole}; the default role is used`);
    if (!blankRole && !cut.has(c.spanId)) return c;
    const copy: { -readonly [K in keyof ModuleCall]?: unknown } = { ...c };
    if (blankRole) delete copy.role;
    if (cut.has(c.spanId)) delete copy.parentSpanId;
    return copy as ModuleCall;
  });
}

/**
 * Span ids whose parent link closes a cycle. One pass, each call visited once: a walk up from each unvisited call
 * stops at a call already finished (no cycle) or at one on the current walk (a cycle: the walk's tail from there).
 */
function cycleCuts(calls: readonly ModuleCall[], byId: ReadonlyMap<string, ModuleCall>, warn: (warning: string) => void): Set<string> {
  const ON_WALK = 1;
  const DONE = 2;
  const state = new Map<string, number>();
  const cut = new Set<string>();
  for (const start of calls) {
    const walk: ModuleCall[] = [];
    let cur: ModuleCall | undefined = start;
    while (cur && !state.has(cur.spanId)) {
      state.set(cur.spanId, ON_WALK);
      walk.push(cur);
      cur = cur.parentSpanId === undefined ? undefined : byId.get(cur.parentSpanId);
    }
    if (cur && state.get(cur.spanId) === ON_WALK) {
      const ring = walk.slice(walk.indexOf(cur));
      let root = ring[0]!;
      for (const c of ring) if (c.startTime < root.startTime) root = c;
      cut.add(root.spanId);
      const shown = ring.slice(0, 5).map((c) => `"${c.name}" (${c.spanId})`).join(" → ");
      const names = ring.length > 5 ? `${shown} → … (${ring.length} spans)` : shown;
      warn(`parent links form a cycle: ${names} → back to the first; the parent link of span "${root.name}" (${root.spanId}) was dropped and it is treated as a top-level call`);
    }
    for (const c of walk) state.set(c.spanId, DONE);
  }
  return cut;
}

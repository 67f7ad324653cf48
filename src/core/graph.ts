/**
 * @module core/graph
 * The one topological sort in tracegrad. Iterative, so a 10,000-deep chain cannot overflow the stack.
 */
import { GraphCycleError } from "../errors.js";

/**
 * Orders the nodes reachable from `roots` so that every node comes after all of its predecessors (inputs first,
 * roots last). Visits predecessors in their given order, so the result is deterministic.
 *
 * @param onCycle called for an edge that closes a cycle; return "skip" to ignore that edge instead of throwing.
 * @throws GraphCycleError when a node is reachable from itself (and onCycle did not skip the edge).
 */
export function topologicalOrder<T>(
  roots: readonly T[],
  predecessorsOf: (node: T) => readonly T[],
  describe: (node: T) => string = String,
  onCycle?: (from: T, to: T) => "skip",
): T[] {
  const order: T[] = [];
  const state = new Map<T, "open" | "done">();
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ node: T; next: number; preds: readonly T[] }> = [];
    state.set(root, "open");
    stack.push({ node: root, next: 0, preds: predecessorsOf(root) });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.preds.length) {
        const p = top.preds[top.next++]!;
        const s = state.get(p);
        if (s === "done") continue;
        if (s === "open") {
          // the caller may tolerate cycles (e.g. malformed traces): drop this edge and go on
          if (onCycle?.(top.node, p) === "skip") continue;
          const path = stack.slice(stack.findIndex((f) => f.node === p)).map((f) => describe(f.node));
          throw new GraphCycleError(
            `The graph has a cycle: ${[...path, describe(p)].join(" -> ")}. A textual graph must be acyclic — break the loop by creating a new Variable for each iteration.`,
            { subject: describe(p) },
          );
        }
        state.set(p, "open");
        stack.push({ node: p, next: 0, preds: predecessorsOf(p) });
      } else {
        state.set(top.node, "done");
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

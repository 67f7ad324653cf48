/**
 * @module core/graph
 * The one topological sort in tracegrad. Iterative, so a 10,000-deep chain cannot overflow the stack. Nodes can be
 * any values (marked in a Map) or dense indices 0…n−1 (marked in a byte array: at 100k nodes a Map of marks was a
 * noticeable share of building a graph from a trace).
 */
import { GraphCycleError } from "../errors.js";

const OPEN = 1;
const DONE = 2;

/** Where the sort keeps each node's mark: 0 unvisited, OPEN on the current path, DONE when ordered. */
interface Marks<T> {
  get(node: T): number;
  set(node: T, mark: number): void;
}

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
  const marks = new Map<T, number>();
  return order(roots, predecessorsOf, describe, onCycle, { get: (n) => marks.get(n) ?? 0, set: (n, m) => marks.set(n, m) });
}

/**
 * {@link topologicalOrder} of the nodes 0…count−1 (all of them are roots), for graphs whose nodes are numbered.
 *
 * @example
 * topologicalIndexOrder(3, (i) => (i === 0 ? [2] : [])); // [2, 0, 1]
 */
export function topologicalIndexOrder(
  count: number,
  predecessorsOf: (node: number) => readonly number[],
  describe: (node: number) => string = String,
  onCycle?: (from: number, to: number) => "skip",
): number[] {
  const marks = new Uint8Array(count);
  const roots = Array.from({ length: count }, (_, i) => i);
  return order(roots, predecessorsOf, describe, onCycle, {
    get: (n) => marks[n]!,
    set: (n, m) => {
      marks[n] = m;
    },
  });
}

function order<T>(
  roots: readonly T[],
  predecessorsOf: (node: T) => readonly T[],
  describe: (node: T) => string,
  onCycle: ((from: T, to: T) => "skip") | undefined,
  marks: Marks<T>,
): T[] {
  const order: T[] = [];
  for (const root of roots) {
    if (marks.get(root) !== 0) continue;
    const stack: Array<{ node: T; next: number; preds: readonly T[] }> = [];
    marks.set(root, OPEN);
    stack.push({ node: root, next: 0, preds: predecessorsOf(root) });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.preds.length) {
        const p = top.preds[top.next++]!;
        const s = marks.get(p);
        if (s === DONE) continue;
        if (s === OPEN) {
          // the caller may tolerate cycles (e.g. malformed traces): drop this edge and go on
          if (onCycle?.(top.node, p) === "skip") continue;
          const path = stack.slice(stack.findIndex((f) => f.node === p)).map((f) => describe(f.node));
          throw new GraphCycleError(
            `The graph has a cycle: ${[...path, describe(p)].join(" -> ")}. A textual graph must be acyclic — break the loop by creating a new Variable for each iteration.`,
            { subject: describe(p) },
          );
        }
        marks.set(p, OPEN);
        stack.push({ node: p, next: 0, preds: predecessorsOf(p) });
      } else {
        marks.set(top.node, DONE);
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

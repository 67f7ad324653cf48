/**
 * @module trace/node-pairs
 * A set of (call, call) pairs grouped by their first call, as edge inference asks "does this producer reach that
 * call?" per candidate edge.
 */
import type { CallNode } from "./call-node.js";

/**
 * Pairs grouped by the first call. A first call with one partner (the usual case) holds it directly: a Set per call,
 * built once per span in a large graph, was a large share of what edge inference allocates.
 */
export class NodePairs {
  readonly #partners = new Map<CallNode, CallNode | Set<CallNode>>();

  /** Whether no pair was added. */
  get empty(): boolean {
    return this.#partners.size === 0;
  }

  /** Adds (a, b); false when it was there already. */
  add(a: CallNode, b: CallNode): boolean {
    const held = this.#partners.get(a);
    if (held === undefined) this.#partners.set(a, b);
    else if (held instanceof Set) {
      if (held.has(b)) return false;
      held.add(b);
    } else {
      if (held === b) return false;
      this.#partners.set(a, new Set([held, b]));
    }
    return true;
  }

  has(a: CallNode, b: CallNode): boolean {
    const held = this.#partners.get(a);
    return held === undefined ? false : held instanceof Set ? held.has(b) : held === b;
  }

  /** Whether `a` has any partner. */
  hasAny(a: CallNode): boolean {
    return this.#partners.has(a);
  }
}

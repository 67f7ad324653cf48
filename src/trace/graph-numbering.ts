/**
 * @module trace/graph-numbering
 * Graph nodes by index. Building Variables needs each edge's ends, its incoming edges and a mark per node while
 * sorting; keyed by span id those were three more 100k-entry Maps for a 100k-span trace, and filling a Map that large
 * costs about a microsecond per entry. Numbered, they are arrays, and the only lookup left is the span id → call node
 * Map that graph building has anyway.
 */
import type { GraphNode } from "./module-call.js";
import type { IdLookup } from "./id-map.js";

/**
 * Numbers the nodes of a graph being built: the call nodes keep the index they were given (their place in
 * `graphNodes`, where they come first, in order), and the few other nodes (parameters, input, output) are numbered by
 * their place after them.
 */
export class GraphNumbering {
  readonly #graphNodes: readonly GraphNode[];
  readonly #calls: IdLookup<{ readonly index: number }> & { readonly size: number };
  readonly #others = new Map<string, number>();

  constructor(graphNodes: readonly GraphNode[], calls: IdLookup<{ readonly index: number }> & { readonly size: number }) {
    this.#graphNodes = graphNodes;
    this.#calls = calls;
    for (let i = calls.size; i < graphNodes.length; i++) this.#others.set(graphNodes[i]!.id, i);
  }

  get size(): number {
    return this.#graphNodes.length;
  }

  /** The index of the node with this id, or undefined when no node has it. */
  indexOf(id: string): number | undefined {
    return this.#calls.get(id)?.index ?? this.#others.get(id);
  }

  /** The node with this id, or undefined when no node has it. */
  nodeOf(id: string): GraphNode | undefined {
    const i = this.indexOf(id);
    return i === undefined ? undefined : this.#graphNodes[i];
  }

  /** The node at index `i`. */
  at(i: number): GraphNode {
    return this.#graphNodes[i]!;
  }
}

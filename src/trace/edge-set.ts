/**
 * @module trace/edge-set
 * The edges found so far while a graph is built: at most one per (from, to) pair, the most certain evidence winning,
 * read back in first-insertion order.
 */
import type { EdgeKind, GraphEdge } from "./module-call.js";

interface Entry {
  edge: GraphEdge;
  removed: boolean;
}

/**
 * Collects edges, keeping the most certain one per pair, in first-insertion order. Nested maps rather than string
 * keys: membership tests run about ten times per span, and a concatenated key per test was a large share of the
 * allocation when building a graph of 100k spans. A source with one target (most calls feed one other) holds its entry
 * directly, without a map of its own: a map per source was the largest allocation per span left in edge inference.
 */
export class EdgeSet {
  readonly #byFrom = new Map<string, Entry | Map<string, Entry>>();
  /** How many live edges end at each node: "does anything feed this call?" without listing every edge. */
  readonly #into = new Map<string, number>();
  /** Entries in first-insertion order; a removed entry stays here, marked, so all() needs no sort. */
  readonly #order: Entry[] = [];
  #removed = 0;

  add(from: string, to: string, kind: EdgeKind, confidence: number): void {
    if (from === to) return;
    const targets = this.#byFrom.get(from);
    const old = targets === undefined ? undefined : targets instanceof Map ? targets.get(to) : targets.edge.to === to ? targets : undefined;
    if (!old) {
      const entry = { edge: { from, to, kind, confidence }, removed: false };
      if (targets === undefined) this.#byFrom.set(from, entry);
      else if (targets instanceof Map) targets.set(to, entry);
      else this.#byFrom.set(from, new Map([[targets.edge.to, targets], [to, entry]]));
      this.#order.push(entry);
      this.#into.set(to, (this.#into.get(to) ?? 0) + 1);
    } else if (old.edge.confidence < confidence) old.edge = { from, to, kind, confidence };
  }

  has(from: string, to: string): boolean {
    return this.#entry(from, to) !== undefined;
  }

  /** The kind of the edge from → to, or undefined when there is none. */
  kindOf(from: string, to: string): EdgeKind | undefined {
    return this.#entry(from, to)?.edge.kind;
  }

  /** Whether any edge ends at `to`. */
  hasInto(to: string): boolean {
    return (this.#into.get(to) ?? 0) > 0;
  }

  delete(from: string, to: string): void {
    const entry = this.#entry(from, to);
    if (!entry) return;
    entry.removed = true;
    this.#removed++;
    const targets = this.#byFrom.get(from)!;
    if (targets instanceof Map) targets.delete(to);
    else this.#byFrom.delete(from);
    this.#into.set(to, this.#into.get(to)! - 1);
  }

  /** The live edges, in first-insertion order. */
  all(): GraphEdge[] {
    const out: GraphEdge[] = [];
    for (const e of this.#order) if (!e.removed) out.push(e.edge);
    return out;
  }

  #entry(from: string, to: string): Entry | undefined {
    const targets = this.#byFrom.get(from);
    if (targets === undefined) return undefined;
    if (targets instanceof Map) return targets.get(to);
    return targets.edge.to === to ? targets : undefined;
  }
}

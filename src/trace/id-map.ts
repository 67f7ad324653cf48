/**
 * @module trace/id-map
 * A map from ids (span or trace ids) to positions or other values that stays cheap at 100k ids. A V8 Map past about 5,000 entries
 * keeps its table in the large-object space, and each insert then costs 250–600 ns (10k–100k entries; measured on
 * Node 20) against about 50 ns below; reading, untangling and stitching build such maps over every call. The ids are spread
 * over Maps of at most a few thousand entries each, chosen by a hash of four of their characters. Code uses
 * {@link IdTable}; `idMap` and `mapOf` are its parts.
 */

/** Entries per Map the sizing aims at: well below the size whose table no longer fits a regular heap page. */
const ENTRIES_PER_MAP = 2048;

/** Ids → values (positions, mostly): Maps, each id in the one {@link mapOf} picks. */
export type IdMap<V = number> = readonly Map<unknown, V>[];

/**
 * An empty {@link IdMap} sized for about `expected` ids (any count works; the estimate only sets the number of Maps).
 *
 * @example
 * const positions = idMap(calls.length);
 * calls.forEach((c, i) => mapOf(positions, c.spanId).set(c.spanId, i));
 */
export function idMap<V = number>(expected: number): IdMap<V> {
  // (a literal, not Array.from: the small maps of a 4-span build are made thousands of times a second)
  if (expected <= ENTRIES_PER_MAP) return [new Map<unknown, V>()];
  const maps: Map<unknown, V>[] = [];
  for (let k = 1 << Math.min(16, Math.ceil(Math.log2(expected / ENTRIES_PER_MAP))); k > 0; k--) maps.push(new Map());
  return maps;
}

/**
 * The Map of `map` that holds `id`. Keys compare as in a Map (SameValueZero); keys that are not strings all go to the
 * first Map.
 */
export function mapOf<V>(map: IdMap<V>, id: unknown): Map<unknown, V> {
  if (map.length === 1 || typeof id !== "string" || id.length === 0) return map[0]!;
  const n = id.length;
  // the last three characters and the middle one, Fibonacci-hashed: random hex ids and counters ("span-17") alike
  // spread evenly (a character before the start reads as NaN, which the bit operations take as 0)
  const mixed = id.charCodeAt(n - 1) ^ (id.charCodeAt(n - 2) << 7) ^ (id.charCodeAt(n - 3) << 14) ^ (id.charCodeAt(n >> 1) << 21) ^ (n << 27);
  return map[(Math.imul(mixed, 0x9e3779b1) >>> 16) & (map.length - 1)]!;
}

/** The number of distinct ids in `map`. */
export function idCount(map: IdMap<unknown>): number {
  let size = 0;
  for (const m of map) size += m.size;
  return size;
}

/** What looking calls up by id needs: a Map, or an {@link IdTable}. */
export interface IdLookup<V> {
  get(id: string): V | undefined;
  has(id: string): boolean;
}

/**
 * An {@link IdMap} behind a Map's get/has/set, for code that looks ids up by key; without a Map's iteration (the
 * caller keeps its values in order itself).
 *
 * @example
 * const nodeOf = new IdTable<CallNode>(calls.length);
 * nodeOf.set(node.id, node);
 */
export class IdTable<V> implements IdLookup<V> {
  readonly #maps: IdMap<V>;
  #size = 0;

  constructor(expected: number) {
    this.#maps = idMap<V>(expected);
  }

  get size(): number {
    return this.#size;
  }

  get(id: string): V | undefined {
    return mapOf(this.#maps, id).get(id);
  }

  has(id: string): boolean {
    return mapOf(this.#maps, id).has(id);
  }

  set(id: string, value: V): this {
    const map = mapOf(this.#maps, id);
    if (!map.has(id)) this.#size++;
    map.set(id, value);
    return this;
  }
}

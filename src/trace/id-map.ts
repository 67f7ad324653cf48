/**
 * @module trace/id-map
 * A map from ids (span or trace ids) to numbers that stays cheap at 100k ids. A V8 Map past about 5,000 entries
 * keeps its table in the large-object space, and each insert then costs 250–600 ns (10k–100k entries; measured on
 * Node 20) against about 50 ns below; stitching and untangling build such maps over every call. The ids are spread
 * over Maps of at most a few thousand entries each, chosen by a hash of four of their characters.
 */

/** Entries per Map the sizing aims at: well below the size whose table no longer fits a regular heap page. */
const ENTRIES_PER_MAP = 2048;

/** Ids → numbers: Maps, each id in the one {@link mapOf} picks. */
export type IdMap = readonly Map<unknown, number>[];

/**
 * An empty {@link IdMap} sized for about `expected` ids (any count works; the estimate only sets the number of Maps).
 *
 * @example
 * const positions = idMap(calls.length);
 * calls.forEach((c, i) => mapOf(positions, c.spanId).set(c.spanId, i));
 */
export function idMap(expected: number): IdMap {
  const bits = expected > ENTRIES_PER_MAP ? Math.min(16, Math.ceil(Math.log2(expected / ENTRIES_PER_MAP))) : 0;
  return Array.from({ length: 1 << bits }, () => new Map<unknown, number>());
}

/**
 * The Map of `map` that holds `id`. Keys compare as in a Map (SameValueZero); keys that are not strings all go to the
 * first Map.
 */
export function mapOf(map: IdMap, id: unknown): Map<unknown, number> {
  if (map.length === 1 || typeof id !== "string" || id.length === 0) return map[0]!;
  const n = id.length;
  // the last three characters and the middle one, Fibonacci-hashed: random hex ids and counters ("span-17") alike
  // spread evenly (a character before the start reads as NaN, which the bit operations take as 0)
  const mixed = id.charCodeAt(n - 1) ^ (id.charCodeAt(n - 2) << 7) ^ (id.charCodeAt(n - 3) << 14) ^ (id.charCodeAt(n >> 1) << 21) ^ (n << 27);
  return map[(Math.imul(mixed, 0x9e3779b1) >>> 16) & (map.length - 1)]!;
}

/** The number of distinct ids in `map`. */
export function idCount(map: IdMap): number {
  let size = 0;
  for (const m of map) size += m.size;
  return size;
}

/**
 * @module trace/call-positions
 * Calls addressed by their position in the list instead of by span id. Untangling and stitching walk parent chains
 * of every call; with one string-keyed Map lookup per step (and a Map per memo) those lookups were nearly all of
 * their cost, so each builds the span-id map once and walks numeric arrays.
 */
import type { IdLookup } from "./id-map.js";
import type { ModuleCall } from "./module-call.js";

/** A call's parent position when its parent span is not one of the calls (or it has none). */
export const NO_PARENT = -1;

/**
 * Each call's parent position ({@link NO_PARENT} when the parent span is absent). `positions` maps span ids to
 * positions; where ids repeat, it decides which of the calls a child's parent link reaches.
 */
export function parentPositions(calls: readonly ModuleCall[], positions: IdLookup<number>): Int32Array {
  const parents = new Int32Array(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const id = calls[i]!.parentSpanId;
    parents[i] = id === undefined ? NO_PARENT : positions.get(id) ?? NO_PARENT;
  }
  return parents;
}

/**
 * @module engine/engine-identity
 * Two engines with the same model name can still answer differently (another temperature, another server). An engine
 * may describe that in `cacheIdentity`, which the cache folds into its key. Wrappers pass it (and `model`) through.
 */
import type { Engine } from "./types.js";

/** An {@link Engine} that also describes its configuration, for cache keys. */
export interface IdentifiedEngine extends Engine {
  /**
   * A stable string (usually canonical JSON) of whatever besides `model` changes the engine's answers, such as the
   * provider type, default temperature or base URL. Never include secrets: it is written into cache files.
   */
  readonly cacheIdentity?: string;
}

/** The `model` and `cacheIdentity` of `engine`, as own properties ready to spread into a wrapping engine. */
export function engineLabels(engine: Engine): { model?: string; cacheIdentity?: string } {
  const identity = (engine as IdentifiedEngine).cacheIdentity;
  return {
    ...(engine.model === undefined ? {} : { model: engine.model }),
    ...(identity === undefined ? {} : { cacheIdentity: identity }),
  };
}

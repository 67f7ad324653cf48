/**
 * @module engine/cache
 * A content-addressed reply cache. The key covers the model, the engine's configuration, the sampling parameters and
 * the messages — TextGrad keyed on the prompt alone, so a changed temperature silently returned stale replies.
 */
import { prepareCacheDir, readEntry, writeEntry, type KeyMaterial, type StoredReply } from "./cache-files.js";
import { engineLabels, type IdentifiedEngine } from "./engine-identity.js";
import { createSharedCalls } from "./shared-calls.js";
import { stableHash } from "./stable-hash.js";
import { requestMessages, type Engine, type EngineRequest, type EngineResponse } from "./types.js";

/** Options of {@link withCache}. */
export interface CacheOptions {
  /**
   * Also keep replies on disk, one JSON file per key, so later runs and other processes reuse them. Created if
   * missing. Without it the cache lives in memory for the life of the returned engine.
   */
  readonly dir?: string;
}

/** What the key is computed from; also written into each cache file so entries can be checked and inspected. */
function keyMaterial(engine: Engine, request: EngineRequest): KeyMaterial {
  return {
    model: engine.model ?? null,
    identity: (engine as IdentifiedEngine).cacheIdentity ?? null,
    sampling: {
      temperature: request.temperature,
      topP: request.topP,
      maxTokens: request.maxTokens,
      seed: request.seed,
      stop: request.stop,
    },
    messages: requestMessages(request),
  };
}

/**
 * The cache key of `request` sent to `engine`: sha256 of canonical JSON of the model name, the engine's
 * `cacheIdentity`, the sampling parameters and the messages. `signal` is not part of it.
 */
export function cacheKey(engine: Engine, request: EngineRequest): string {
  return stableHash(keyMaterial(engine, request));
}

/**
 * Returns an engine that answers repeated requests from a cache. Hits come back with `cached: true`; identical
 * requests made while the first is still running share its call. Each caller's `signal` aborts only that caller; the
 * shared call is cancelled when every caller waiting for it has aborted. Failed calls are not cached.
 *
 * With `dir`, replies are also written to disk (temp file + rename, so concurrent writers never leave a half-written
 * entry). A file that cannot be parsed, or whose stored key material does not hash to its name, counts as a miss and
 * is overwritten. At setup, temp files left by writers that were killed mid-write are removed. The in-memory map is
 * never pruned: make one cache per run, not one per process lifetime, when memory matters.
 *
 * Put it inside withUsage and outside withRetry — `withUsage(withCache(withRetry(engine)))` — so a retried step
 * re-asks only the calls that failed: replies already received are answered from the cache, not paid for twice.
 *
 * @throws CacheDirError synchronously when `dir` cannot be created or written.
 * @example
 * const engine = withCache(defaultEngine(), { dir: ".tracegrad/cache" });
 * await engine.generate({ prompt: "Hi" }); // calls the model
 * await engine.generate({ prompt: "Hi" }); // { cached: true }, no call
 */
export function withCache(engine: Engine, options: CacheOptions = {}): IdentifiedEngine {
  const dir = options.dir === undefined ? undefined : prepareCacheDir(options.dir);
  const memory = new Map<string, StoredReply>();
  const shared = createSharedCalls<{ reply: StoredReply; cached: boolean }>();

  const fetchReply = async (key: string, request: EngineRequest, signal: AbortSignal): Promise<{ reply: StoredReply; cached: boolean }> => {
    if (dir !== undefined) {
      const fromDisk = await readEntry(dir, key);
      if (fromDisk) {
        memory.set(key, fromDisk);
        return { reply: fromDisk, cached: true };
      }
    }
    const response = await engine.generate({ ...request, signal });
    const reply: StoredReply = {
      text: response.text,
      ...(response.usage === undefined ? {} : { usage: response.usage }),
      ...(response.model === undefined ? {} : { model: response.model }),
    };
    memory.set(key, reply);
    if (dir !== undefined) await writeEntry(dir, key, keyMaterial(engine, request), reply);
    return { reply, cached: false };
  };

  return {
    ...engineLabels(engine),
    async generate(request: EngineRequest): Promise<EngineResponse> {
      const key = cacheKey(engine, request);
      const hit = memory.get(key);
      if (hit) return { ...hit, cached: true };
      let joined = true;
      const { reply, cached } = await shared(key, request.signal, (signal) => {
        joined = false;
        return fetchReply(key, request, signal);
      });
      return { ...reply, cached: cached || joined };
    },
  };
}

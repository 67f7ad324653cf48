/**
 * @module engine/cache
 * A content-addressed reply cache. The key covers the model, the engine's configuration, the sampling parameters and
 * the messages — TextGrad keyed on the prompt alone, so a changed temperature silently returned stale replies.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CacheDirError } from "../errors.js";
import { engineLabels, type IdentifiedEngine } from "./engine-identity.js";
import { canonicalJson, stableHash } from "./stable-hash.js";
import { requestMessages, type Engine, type EngineRequest, type EngineResponse, type Usage } from "./types.js";

/** Options of {@link withCache}. */
export interface CacheOptions {
  /**
   * Also keep replies on disk, one JSON file per key, so later runs and other processes reuse them. Created if
   * missing. Without it the cache lives in memory for the life of the returned engine.
   */
  readonly dir?: string;
}

/** The part of a reply the cache stores (never `cached`, which describes one delivery). */
interface StoredReply {
  readonly text: string;
  readonly usage?: Usage;
  readonly model?: string;
}

const FILE_VERSION = 1;

/** What the key is computed from; also written into each cache file so entries can be inspected. */
function keyMaterial(engine: Engine, request: EngineRequest) {
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
 * requests made while the first is still running share its call. Failed calls are not cached.
 *
 * With `dir`, replies are also written to disk (temp file + rename, so concurrent writers never leave a half-written
 * entry). A file that cannot be parsed counts as a miss and is overwritten. The in-memory map is never pruned: make
 * one cache per run, not one per process lifetime, when memory matters.
 *
 * @throws CacheDirError synchronously when `dir` cannot be created or written.
 * @example
 * const engine = withCache(defaultEngine(), { dir: ".tracegrad/cache" });
 * await engine.generate({ prompt: "Hi" }); // calls the model
 * await engine.generate({ prompt: "Hi" }); // { cached: true }, no call
 */
export function withCache(engine: Engine, options: CacheOptions = {}): IdentifiedEngine {
  const dir = options.dir === undefined ? undefined : prepareDir(options.dir);
  const memory = new Map<string, StoredReply>();
  const inFlight = new Map<string, Promise<{ reply: StoredReply; cached: boolean }>>();

  const fetchReply = async (key: string, request: EngineRequest): Promise<{ reply: StoredReply; cached: boolean }> => {
    if (dir !== undefined) {
      const fromDisk = await readEntry(dir, key);
      if (fromDisk) {
        memory.set(key, fromDisk);
        return { reply: fromDisk, cached: true };
      }
    }
    const response = await engine.generate(request);
    const reply: StoredReply = {
      text: response.text,
      ...(response.usage === undefined ? {} : { usage: response.usage }),
      ...(response.model === undefined ? {} : { model: response.model }),
    };
    memory.set(key, reply);
    if (dir !== undefined) await writeEntry(dir, key, { ...keyMaterial(engine, request), reply });
    return { reply, cached: false };
  };

  return {
    ...engineLabels(engine),
    async generate(request: EngineRequest): Promise<EngineResponse> {
      const key = cacheKey(engine, request);
      const hit = memory.get(key);
      if (hit) return { ...hit, cached: true };
      const pending = inFlight.get(key);
      if (pending) return { ...(await pending).reply, cached: true };
      const call = fetchReply(key, request);
      inFlight.set(key, call);
      try {
        const { reply, cached } = await call;
        return { ...reply, cached };
      } finally {
        inFlight.delete(key);
      }
    },
  };
}

/** Creates `dir` and proves it is writable now, so a bad path fails at setup rather than after a paid call. */
function prepareDir(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    mkdirSync(resolved, { recursive: true });
    const probe = path.join(resolved, `.write-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CacheDirError(
      `withCache: cannot use cache directory "${resolved}" (${code ?? String(error)}). ` +
        `Pass { dir } a path that can be created and written (not inside a file, not read-only), or leave dir out to cache in memory only.`,
      { subject: resolved, cause: error },
    );
  }
  return resolved;
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, `${key}.json`);
}

async function readEntry(dir: string, key: string): Promise<StoredReply | undefined> {
  let raw: string;
  try {
    raw = await readFile(entryPath(dir, key), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(raw) as { version?: unknown; reply?: Partial<StoredReply> };
    const reply = parsed.reply;
    if (parsed.version !== FILE_VERSION || typeof reply?.text !== "string" || !isUsageOrAbsent(reply.usage)) return undefined;
    return {
      text: reply.text,
      ...(reply.usage === undefined ? {} : { usage: reply.usage }),
      ...(typeof reply.model === "string" ? { model: reply.model } : {}),
    };
  } catch {
    return undefined; // corrupt or truncated by hand: treat as a miss; the fresh reply overwrites it
  }
}

function isUsageOrAbsent(usage: unknown): usage is Usage | undefined {
  if (usage === undefined) return true;
  const u = usage as Record<string, unknown> | null;
  return !!u && typeof u.inputTokens === "number" && typeof u.outputTokens === "number" && typeof u.totalTokens === "number";
}

async function writeEntry(dir: string, key: string, content: object): Promise<void> {
  const target = entryPath(dir, key);
  const temp = `${target}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, `${canonicalJson({ version: FILE_VERSION, key, ...content })}\n`);
    await rename(temp, target);
  } catch {
    // The reply is already paid for and held in memory; a full disk must not turn it into a failure.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

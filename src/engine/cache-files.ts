/**
 * @module engine/cache-files
 * The on-disk side of withCache: one JSON file per key, written through a temp file and a rename so a reader never sees
 * half an entry. A file is trusted only if it proves it belongs to its name (renamed or copied entries are misses), and
 * temp files left by killed writers are swept at setup.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { CacheDirError } from "../errors.js";
import { canonicalJson, stableHash } from "./stable-hash.js";
import type { Usage } from "./types.js";

/** The part of a reply the cache stores (never `cached`, which describes one delivery). */
export interface StoredReply {
  readonly text: string;
  readonly usage?: Usage;
  readonly model?: string;
}

/** What a cache key is the hash of; written into each file so an entry can be checked and inspected. */
export interface KeyMaterial {
  readonly model: string | null;
  readonly identity: string | null;
  readonly sampling: object;
  readonly messages: readonly object[];
}

const FILE_VERSION = 1;
/**
 * A temp file this old is abandoned whoever wrote it: writing one entry takes milliseconds. This catches writers on
 * other machines sharing the directory, whose process ids mean nothing here.
 */
export const STALE_TEMP_MS = 10 * 60_000;
/** Tells this machine's temp files from other machines' ones, so a process id is only looked up where it means something. */
const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
/** `<key>.json.<host>-<pid>-<random>.tmp`; files from before the host tag was added have no `<host>-`. */
const TEMP_NAME = /^[0-9a-f]{64}\.json\.(?:([0-9a-f]{8})-)?(\d+)-[0-9a-f]+\.tmp$/;

/**
 * Creates `dir`, proves it is writable now (so a bad path fails at setup rather than after a paid call) and removes
 * stale temp files (see {@link removeStaleTempFiles}).
 *
 * @throws CacheDirError when `dir` cannot be created or written.
 */
export function prepareCacheDir(dir: string): string {
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
  removeStaleTempFiles(resolved);
  return resolved;
}

/**
 * Removes temp files whose writer is gone: written on this machine by a process that is no longer running (killed
 * mid-write, e.g. by SIGKILL or OOM), or older than {@link STALE_TEMP_MS} whoever wrote them. A running writer's temp
 * file is never removed. Best effort: a file that cannot be read or removed is left alone. Returns how many were removed.
 */
export function removeStaleTempFiles(dir: string, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    try {
      const writerGone = match[1] === HOST_TAG && !isRunning(Number(match[2]));
      if (writerGone || now - statSync(file).mtimeMs > STALE_TEMP_MS) {
        rmSync(file, { force: true });
        removed++;
      }
    } catch {
      // Another process removed or renamed it meanwhile; nothing to clean.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** The file of `key` in `dir`. */
export function entryPath(dir: string, key: string): string {
  return path.join(dir, `${key}.json`);
}

/**
 * Reads the entry of `key`. A missing, corrupt or foreign file is a miss (undefined); the fresh reply overwrites it.
 * Foreign means the key material stored in the file does not hash to `key`: an entry renamed, copied or edited by hand
 * would otherwise answer a question it was never asked.
 */
export async function readEntry(dir: string, key: string): Promise<StoredReply | undefined> {
  let raw: string;
  try {
    raw = await readFile(entryPath(dir, key), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<KeyMaterial> & { version?: unknown; key?: unknown; reply?: Partial<StoredReply> };
    const reply = parsed.reply;
    if (parsed.version !== FILE_VERSION || typeof reply?.text !== "string" || !isUsageOrAbsent(reply.usage)) return undefined;
    const material = { model: parsed.model, identity: parsed.identity, sampling: parsed.sampling, messages: parsed.messages };
    if (parsed.key !== key || stableHash(material) !== key) return undefined;
    return {
      text: reply.text,
      ...(reply.usage === undefined ? {} : { usage: reply.usage }),
      ...(typeof reply.model === "string" ? { model: reply.model } : {}),
    };
  } catch {
    return undefined; // corrupt or truncated by hand
  }
}

function isUsageOrAbsent(usage: unknown): usage is Usage | undefined {
  if (usage === undefined) return true;
  const u = usage as Record<string, unknown> | null;
  return !!u && typeof u.inputTokens === "number" && typeof u.outputTokens === "number" && typeof u.totalTokens === "number";
}

/** Writes the entry of `key` atomically. Never throws: the reply is already paid for and held in memory. */
export async function writeEntry(dir: string, key: string, material: KeyMaterial, reply: StoredReply): Promise<void> {
  const target = entryPath(dir, key);
  const temp = `${target}.${HOST_TAG}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, `${canonicalJson({ version: FILE_VERSION, key, ...material, reply })}\n`);
    await rename(temp, target);
  } catch {
    // A full disk must not turn a paid reply into a failure.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

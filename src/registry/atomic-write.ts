/**
 * @module registry/atomic-write
 * Replaces a file so that a reader, or a process killed at any instant, sees either the old content or the new one:
 * write a temp file beside it, fsync it, rename it over the target, fsync the directory.
 */
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";

/** The temp file name of a write to `file`: hidden, beside it, ending in `.tmp`. */
function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes `text` to `file` atomically and durably. The temp file is removed if the write fails; a killed process may
 * leave one behind (see {@link removeTempFiles}).
 *
 * @example
 * await writeFileAtomic("prompts/planner.system.json", json);
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = tempName(file);
  try {
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {});
    throw error;
  }
  await syncDir(path.dirname(file));
}

/**
 * Removes temp files left by killed writes to `file`. Call it only while holding the file's write lock: then no live
 * writer of this file has a temp file.
 */
export async function removeTempFiles(file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const dir = path.dirname(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith(".tmp")).map((n) => rm(path.join(dir, n), { force: true }).catch(() => {})));
}

/** Makes a rename in `dir` durable (a no-op where directories cannot be opened, e.g. Windows). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // not supported on this platform: the rename is atomic, only its durability across a power cut is weaker
  } finally {
    await handle?.close().catch(() => {});
  }
}

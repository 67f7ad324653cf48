/**
 * @module optim/optimize/checkpoint-lock
 * One writer per checkpoint directory: two optimize() runs appending to one journal would interleave two experiments.
 * The lock is a file naming its holder's host and process id. A holder that died (SIGKILL leaves the file behind)
 * is recognised by its process id no longer running on this host, and its lock is taken over; a lock held by a
 * live process, or by another host (which cannot be checked from here), is refused with a CheckpointError.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { CheckpointError } from "../../errors.js";

/** Takes the lock of `dir` (creating the directory if needed); returns the function that releases it. */
export function lockCheckpoint(dir: string): () => void {
  const file = path.join(dir, "lock");
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new CheckpointError(`optimize(): cannot create the checkpoint directory "${dir}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass a checkpointDir that can be created and written.`, {
      subject: dir,
      cause: error,
    });
  }
  const me = { host: hostname(), pid: process.pid };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new CheckpointError(`optimize(): cannot write the lock file "${file}" (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { subject: dir, cause: error });
      }
    }
    const holder = readHolder(file);
    if (holder && (holder.host !== me.host || isRunning(holder.pid))) {
      const who = holder.host === me.host ? `process ${holder.pid}${holder.pid === me.pid ? " (this one)" : ""}` : `process ${holder.pid} on host "${holder.host}"`;
      throw new CheckpointError(
        `optimize(): checkpointDir "${dir}" is in use by ${who}; two runs must not write one journal. Wait for it to end, use another checkpointDir, or delete "${file}" if no run uses the directory.`,
        { subject: dir },
      );
    }
    rmSync(file, { force: true }); // the holder died without releasing it
  }
  throw new CheckpointError(`optimize(): could not take the lock "${file}": another run keeps taking it.`, { subject: dir });
}

function readHolder(file: string): { host: string; pid: number } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { host?: unknown; pid?: unknown };
    return typeof parsed.host === "string" && typeof parsed.pid === "number" ? { host: parsed.host, pid: parsed.pid } : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * @module store/append-file
 * Durable appends of whole lines to a JSON-lines file. One `write` per record (looped only if the kernel takes less)
 * and a `datasync` before the append counts as done, so a writer killed at any point leaves every earlier record
 * intact and at most one torn last line. A file found ending mid-line (a writer died there) gets a newline first, so
 * the next record starts on its own line instead of being glued to the torn one and lost with it.
 */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { StoreAccessError } from "../errors.js";

/** A file opened for appending, with its current size and whether a torn tail was closed off on opening. */
export interface AppendFile {
  readonly handle: FileHandle;
  /** Bytes in the file, kept up to date by {@link appendLine}. */
  size: number;
  /** True when the file ended mid-line and a newline was written to end that torn line. */
  readonly repairedTornTail: boolean;
}

/**
 * Opens (creating it and its directory) `path` for appending; a file not ending in "\n" gets one.
 *
 * @throws StoreAccessError when the file or its directory cannot be created or opened.
 */
export async function openAppendFile(path: string, what: string): Promise<AppendFile> {
  let handle: FileHandle | undefined;
  try {
    await mkdir(dirname(path), { recursive: true });
    // "a+": appends always land at the end (O_APPEND), and the last byte can still be read
    handle = await open(path, "a+");
    const { size } = await handle.stat();
    let repairedTornTail = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await writeAll(handle, Buffer.from("\n"));
        await handle.datasync();
        repairedTornTail = true;
      }
    }
    return { handle, size: size + (repairedTornTail ? 1 : 0), repairedTornTail };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    throw accessError(path, what, "opened for appending", error);
  }
}

/** Appends `line` (which must end in "\n") and syncs it to disk. */
export async function appendLine(file: AppendFile, line: Buffer): Promise<void> {
  await writeAll(file.handle, line);
  file.size += line.length;
  await file.handle.datasync();
}

/**
 * Appends one line to `path` durably, opening and closing the file around it (for rare writes such as feedback).
 *
 * @throws StoreAccessError when the file cannot be written.
 */
export async function appendLineTo(path: string, line: string, what: string): Promise<void> {
  const file = await openAppendFile(path, what);
  try {
    await appendLine(file, Buffer.from(line, "utf8"));
  } catch (error) {
    throw accessError(path, what, "written", error);
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/** A StoreAccessError for a file-system failure, naming the path, the operation and the OS error code. */
export function accessError(path: string, what: string, operation: string, cause: unknown): StoreAccessError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const detail = typeof code === "string" ? `${code}: ${(cause as Error).message}` : cause instanceof Error ? cause.message : String(cause);
  return new StoreAccessError(`${what}: "${path}" could not be ${operation} (${detail}) — check that the path exists and is writable/readable by this process.`, {
    subject: path,
    cause,
  });
}

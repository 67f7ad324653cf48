/**
 * @module optim/optimize/journal-file
 * An append-only JSON-lines file where each record is durable before append() returns (written and fsynced; the
 * directory is fsynced when the file is created). A process killed mid-write leaves at most a torn last line: reading
 * ignores it, and the next append first cuts it off so the new record starts on a line of its own. A bad line
 * anywhere else means the file was edited or corrupted, and reading stops with a CheckpointError naming the line.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { CheckpointError } from "../../errors.js";

/** An open journal file. */
export interface JournalFile {
  readonly path: string;
  /** The records read when it was opened, in order (a torn last line left out). */
  readonly records: readonly unknown[];
  /** Writes one record as one line and fsyncs it. */
  append(record: unknown): void;
  close(): void;
}

/** Opens (creating if needed) the journal at `file`, in a directory that exists. */
export function openJournalFile(file: string): JournalFile {
  const dir = path.dirname(file);
  const created = !existsSync(file);
  const text = created ? "" : readFileSync(file, "utf8");
  const { records, goodBytes } = parseLines(text, file);
  let fd: number;
  try {
    fd = openSync(file, "a+");
  } catch (error) {
    throw new CheckpointError(`optimize(): cannot open the journal "${file}" for writing (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { subject: file, cause: error });
  }
  // a torn last line (killed mid-write) is cut off, so the next record starts on its own line
  if (Buffer.byteLength(text) > goodBytes) {
    ftruncateSync(fd, goodBytes);
    fsyncSync(fd);
  }
  if (created) syncDir(dir);
  return {
    path: file,
    records,
    append(record) {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Parses complete lines; an unparsable or unterminated last line is a torn write and is left out. */
function parseLines(text: string, file: string): { records: unknown[]; goodBytes: number } {
  const records: unknown[] = [];
  let goodBytes = 0;
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    lineNo++;
    const line = end < 0 ? text.slice(start) : text.slice(start, end);
    const last = end < 0 || end === text.length - 1;
    if (end < 0) break; // unterminated: torn
    try {
      if (line.trim() !== "") records.push(JSON.parse(line));
    } catch (error) {
      if (last) break; // a terminated but garbled last line: also treated as torn
      throw new CheckpointError(`optimize(): the journal "${file}" has an unreadable record on line ${lineNo}; it was edited or corrupted. Restore it or use a fresh checkpointDir.`, {
        subject: file,
        cause: error,
      });
    }
    goodBytes += Buffer.byteLength(line) + 1;
    start = end + 1;
  }
  return { records, goodBytes };
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot fsync a directory; the file's own fsync still holds its records
  }
}

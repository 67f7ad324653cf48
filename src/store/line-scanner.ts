/**
 * @module store/line-scanner
 * Reads a file as lines with their byte ranges, a chunk at a time: memory holds one chunk plus the longest line, never
 * the file. The byte ranges let a reader index a large JSON-lines file in one pass and come back for single lines.
 */
import { open } from "node:fs/promises";

/** One line of a file; `start`/`next` are byte offsets (the line's first byte; the first byte after its newline). */
export interface ScannedLine {
  /** The line's text, without its "\n" (or "\r\n"). */
  readonly text: string;
  readonly start: number;
  readonly next: number;
  /** 1-based line number. */
  readonly line: number;
  /** False for a last line with no newline after it: a writer may have been killed while writing it. */
  readonly terminated: boolean;
}

const CHUNK_BYTES = 1 << 20;

/**
 * The lines of `path`, in order, blank ones included.
 *
 * @example
 * for await (const l of scanLines("traces.jsonl")) if (!l.terminated) console.warn(`${l.line}: no newline at the end`);
 */
export async function* scanLines(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<ScannedLine> {
  const handle = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry: Buffer[] = [];
    let carryStart = 0;
    let position = 0;
    let line = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      const base = position;
      position += bytesRead;
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(0x0a, from)) {
        const bytes = carry.length === 0 ? chunk.subarray(from, nl) : Buffer.concat([...carry, chunk.subarray(from, nl)]);
        const start = carry.length === 0 ? base + from : carryStart;
        carry = [];
        line++;
        yield { text: decode(bytes), start, next: base + nl + 1, line, terminated: true };
        from = nl + 1;
      }
      if (from < bytesRead) {
        if (carry.length === 0) carryStart = base + from;
        // copied: the chunk buffer is reused for the next read
        carry.push(Buffer.from(chunk.subarray(from, bytesRead)));
      }
    }
    if (carry.length > 0) {
      line++;
      yield { text: decode(Buffer.concat(carry)), start: carryStart, next: position, line, terminated: false };
    }
  } finally {
    await handle.close();
  }
}

/** Splits a byte range read back from a file into its lines (blank ones dropped), for loading indexed ranges. */
export function splitLines(bytes: Buffer): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < bytes.length) {
    let nl = bytes.indexOf(0x0a, from);
    if (nl === -1) nl = bytes.length;
    const text = decode(bytes.subarray(from, nl));
    if (text.trim() !== "") out.push(text);
    from = nl + 1;
  }
  return out;
}

function decode(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  return bytes.toString("utf8", 0, end);
}

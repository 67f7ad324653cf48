/**
 * @module store/trace-index
 * One streaming pass over trace files that records, per trace id, the byte ranges of the lines holding its spans —
 * nothing else is kept, so memory is bounded by the longest line and the index, not by the files. Spans are then
 * loaded per trace from those ranges ({@link loadTraceSync}).
 *
 * Each file is read as JSON lines (the Collector file exporter's format), unless its first line is not JSON and the
 * whole file is: then it is a plain OTLP JSON document (pretty-printed), read whole. Problems are warnings naming
 * `file:line`, and the line is skipped: a torn last line (a writer killed mid-write), a line that is not JSON, a line
 * that is not OTLP, a file that is not JSON text (compressed or protobuf Collector output).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { describeError } from "../trace/describe-value.js";
import type { SpanLike } from "../trace/span-like.js";
import { accessError } from "./append-file.js";
import { scanLines, splitLines } from "./line-scanner.js";
import { spansByTrace } from "./otlp-document.js";
import { unparsedLineWarning, type Warn } from "./warn.js";

/** Plain (multi-line) OTLP JSON documents are read whole; past this size a file is only ever read as JSON lines. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** A file as indexed: its identity, so a load can tell that it was rotated or rewritten since. */
interface IndexedFile {
  readonly path: string;
  readonly ino: number;
  readonly size: number;
  /** Read whole, as one document. */
  readonly document: boolean;
}

/** Bytes [start, next) of `file`: one or more adjacent lines holding spans of a trace. */
interface Range {
  readonly file: IndexedFile;
  readonly start: number;
  next: number;
}

/** Trace id → where its spans are, in first-seen order. */
export type TraceIndex = Map<string, Range[]>;

/**
 * Indexes `files` (in order). Unreadable files throw; unreadable content is warned about and skipped.
 *
 * @throws StoreAccessError when a file cannot be opened or read.
 */
export async function indexTraces(files: readonly string[], warn: Warn): Promise<TraceIndex> {
  const index: TraceIndex = new Map();
  for (const path of files) {
    try {
      await indexFile(path, index, warn);
    } catch (error) {
      throw accessError(path, "readTraces", "read", error);
    }
  }
  return index;
}

async function indexFile(path: string, index: TraceIndex, warn: Warn): Promise<void> {
  const info = await stat(path);
  const file: IndexedFile = { path, ino: info.ino, size: info.size, document: false };
  if (info.size === 0) return;
  const first = await firstByte(path);
  if (first !== undefined && first !== "{" && first !== "[") {
    warn(`${path}: not OTLP JSON text (starts with byte 0x${first.charCodeAt(0).toString(16)}); skipped — compressed or protobuf Collector output is not read: use the file exporter's format: json without compression.`);
    return;
  }
  let firstLine = true;
  for await (const l of scanLines(path)) {
    if (l.text.trim() === "") continue;
    let payload: unknown;
    try {
      payload = JSON.parse(l.text);
    } catch (error) {
      if (firstLine && info.size <= MAX_DOCUMENT_BYTES && (await indexDocument(path, info.ino, info.size, index, warn))) return;
      warn(unparsedLineWarning(path, l, error));
      firstLine = false;
      continue;
    }
    firstLine = false;
    let groups: Map<string, SpanLike[]>;
    try {
      groups = spansByTrace(payload);
    } catch (error) {
      warn(`${path}:${l.line}: ${describeError(error)} Line skipped.`);
      continue;
    }
    for (const traceId of groups.keys()) addRange(index, traceId, file, l.start, l.next);
  }
}

/** Reads `path` whole as one document; false (nothing indexed) when it is not one. */
async function indexDocument(path: string, ino: number, size: number, index: TraceIndex, warn: Warn): Promise<boolean> {
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return false;
  }
  const file: IndexedFile = { path, ino, size, document: true };
  try {
    for (const traceId of spansByTrace(payload).keys()) addRange(index, traceId, file, 0, size);
  } catch (error) {
    warn(`${path}: ${describeError(error)} File skipped.`);
  }
  return true;
}

function addRange(index: TraceIndex, traceId: string, file: IndexedFile, start: number, next: number): void {
  let ranges = index.get(traceId);
  if (!ranges) index.set(traceId, (ranges = []));
  const last = ranges[ranges.length - 1];
  if (last && last.file === file && last.next === start) last.next = next;
  else ranges.push({ file, start, next });
}

async function firstByte(path: string): Promise<string | undefined> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    // skip a UTF-8 byte order mark and whitespace
    const text = buf.toString("utf8", 0, bytesRead).replace(/^\uFEFF?\s*/, "");
    return text === "" ? undefined : text[0];
  } finally {
    await handle.close();
  }
}

/**
 * The spans of `traceId` from its ranges, read synchronously (for lazy `spans` getters).
 *
 * @throws StoreAccessError when a file was rotated, truncated or rewritten since it was indexed.
 */
export function loadTraceSync(traceId: string, ranges: readonly Range[]): SpanLike[] {
  const spans: SpanLike[] = [];
  for (const range of ranges) {
    let fd: number | undefined;
    try {
      fd = openSync(range.file.path, "r");
      checkSame(range.file, fstatSync(fd));
      const bytes = Buffer.alloc(range.next - range.start);
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, range.start + got);
        if (n === 0) break;
        got += n;
      }
      collect(traceId, range.file, bytes.subarray(0, got), spans);
    } catch (error) {
      throw accessError(range.file.path, `readTraces (trace ${traceId})`, "read again", error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return spans;
}

function checkSame(file: IndexedFile, now: { ino: number; size: number }): void {
  if (now.ino !== file.ino || now.size < file.size || (file.document && now.size !== file.size)) {
    throw new Error(`the file changed since it was indexed (rotated, truncated or rewritten); call readTraces() again`);
  }
}

function collect(traceId: string, file: IndexedFile, bytes: Buffer, into: SpanLike[]): void {
  const texts = file.document ? [bytes.toString("utf8")] : splitLines(bytes);
  for (const text of texts) {
    const spans = spansByTrace(JSON.parse(text)).get(traceId);
    if (spans) for (const s of spans) into.push(s);
  }
}

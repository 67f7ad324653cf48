/**
 * @module cli/load-traces
 * The traces in a file or a directory of OTLP JSON (documents or JSON lines), grouped by trace id.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { fromOtlpJson } from "../trace/otlp.js";
import type { SpanLike } from "../trace/span-like.js";

/** One trace: its id and its spans (what `buildGraph` takes). */
export interface LoadedTrace {
  readonly traceId: string;
  readonly spans: readonly SpanLike[];
}

const TRACE_FILE = /\.(json|jsonl|ndjson)$/i;

/**
 * Reads every trace in `path` (a file, or the `.json`/`.jsonl` files of a directory), in first-seen order.
 *
 * @throws InvalidArgumentError when a directory holds no trace files; TraceFormatError naming the bad field.
 */
export async function loadTraces(path: string): Promise<LoadedTrace[]> {
  const info = await stat(path);
  const files = info.isDirectory() ? (await readdir(path)).filter((f) => TRACE_FILE.test(f)).sort().map((f) => join(path, f)) : [path];
  if (files.length === 0) throw new InvalidArgumentError(`${path} holds no .json or .jsonl trace files; pass an OTLP JSON file or a directory of them.`, { subject: path });
  const byTrace = new Map<string, SpanLike[]>();
  for (const file of files) {
    for (const span of fromOtlpJson(await readFile(file, "utf8"))) {
      const id = span.spanContext().traceId;
      let spans = byTrace.get(id);
      if (!spans) byTrace.set(id, (spans = []));
      spans.push(span);
    }
  }
  return [...byTrace].map(([traceId, spans]) => ({ traceId, spans }));
}

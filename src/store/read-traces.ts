/**
 * @module store/read-traces
 * Reading stored traces back: `readTraces` (all traces, spans loaded lazily) and `streamTraces` (one trace at a time).
 * Both start with one streaming pass that indexes trace id → byte ranges ({@link indexTraces}); spans are parsed only
 * when a trace is used. So memory is bounded by the index plus the largest trace (and the longest line), not by the
 * files: 1 GB of JSON lines does not need 1 GB of heap.
 */
import type { SpanLike } from "../trace/span-like.js";
import type { StoredTrace } from "./stored-trace.js";
import { indexTraces, loadTraceSync, type TraceIndex } from "./trace-index.js";
import { listTraceFiles } from "./trace-files.js";
import { defaultWarn, type Warn } from "./warn.js";

/** Options of {@link readTraces} and {@link streamTraces}. */
export interface ReadTracesOptions {
  /**
   * Receives each warning (a torn last line, a malformed line named `file:line`, a non-JSON file, an empty directory).
   * Default: `process.emitWarning` with type "TracegradWarning", so nothing is skipped silently.
   */
  readonly onWarning?: (warning: string) => void;
}

/**
 * Reads the traces stored at `pathOrDir` — a JSON-lines file (OTLP JSON documents, one per line, as written by
 * {@link otlpFileExporter} or the Collector's file exporter), a plain OTLP JSON file, or a directory of such files
 * (every non-hidden file, rotated ones included, in name order) — as `[{ traceId, spans }]` in first-seen order.
 *
 * Each trace's `spans` is read from disk when accessed; only the last trace read is kept (one per readTraces call),
 * so iterating over all traces needs the memory of one. Keep a reference to `t.spans` while you use it: reading
 * another trace's spans and coming back reads the file again (the same spans, as new objects). Malformed and torn
 * lines are skipped with a warning.
 *
 * @example
 * const traces = await readTraces("traces/", { onWarning: (w) => console.warn(w) });
 * for (const t of traces) console.log(t.traceId, buildGraph(t.spans).nodes.length);
 * @throws StoreAccessError when the path (or a file in it) cannot be read, and, from `spans`, when a file was
 *   rotated or rewritten after readTraces indexed it.
 */
export async function readTraces(pathOrDir: string, options: ReadTracesOptions = {}): Promise<StoredTrace[]> {
  const index = await indexPath(pathOrDir, "readTraces", options);
  const last: { traceId?: string; spans?: SpanLike[] } = {};
  return [...index].map(([traceId, ranges]) => lazyTrace(traceId, () => loadTraceSync(traceId, ranges), last));
}

/**
 * The traces stored at `pathOrDir` (as {@link readTraces} reads them), one at a time with their spans loaded: only
 * the trace in hand is in memory.
 *
 * @example
 * for await (const t of streamTraces("traces/")) report(buildGraph(t.spans));
 * @throws StoreAccessError when the path (or a file in it) cannot be read.
 */
export async function* streamTraces(pathOrDir: string, options: ReadTracesOptions = {}): AsyncGenerator<StoredTrace> {
  const index = await indexPath(pathOrDir, "streamTraces", options);
  // each trace is a few positioned reads: done synchronously, which is twice as fast as async opens per trace
  for (const [traceId, ranges] of index) yield { traceId, spans: loadTraceSync(traceId, ranges) };
}

async function indexPath(pathOrDir: string, what: string, options: ReadTracesOptions): Promise<TraceIndex> {
  const warn: Warn = options.onWarning ?? defaultWarn;
  const files = await listTraceFiles(pathOrDir, what);
  if (files.length === 0) warn(`${what}: "${pathOrDir}" is an empty directory; no traces read.`);
  return indexTraces(files, warn);
}

/**
 * A trace whose `spans` are loaded on access. The traces of one readTraces() call share a one-trace cache (the last
 * trace loaded), so `t.spans.length` followed by `buildGraph(t.spans)` reads once, and a loop over all traces holds one
 * trace at a time. (A WeakRef cache would not do: its targets live until the current job ends, i.e. a synchronous
 * loop over every trace would keep them all.)
 */
function lazyTrace(traceId: string, load: () => SpanLike[], last: { traceId?: string; spans?: SpanLike[] }): StoredTrace {
  return Object.defineProperties({} as StoredTrace, {
    traceId: { value: traceId, enumerable: true },
    spans: {
      enumerable: true,
      get(): SpanLike[] {
        if (last.traceId === traceId && last.spans) return last.spans;
        last.spans = undefined; // let the previous trace go before this one is read
        const spans = load();
        last.traceId = traceId;
        last.spans = spans;
        return spans;
      },
    },
  });
}

/**
 * @module store/read-traces
 * Reading stored traces back: `readTraces` (all traces, spans loaded lazily) and `streamTraces` (one trace at a time).
 * Both start with one streaming pass that indexes trace id → byte ranges ({@link indexTraces}); spans are parsed only
 * when a trace is used. So memory is bounded by the index plus the largest trace (and the longest line), not by the
 * files: 1 GB of JSON lines does not need 1 GB of heap.
 */
import type { SpanLike } from "../trace/span-like.js";
import type { StoredTrace } from "./stored-trace.js";
import { indexTraces, loadTrace, loadTraceSync, type TraceIndex } from "./trace-index.js";
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
 * Each trace's `spans` is read from disk when first accessed and held only weakly afterwards (the garbage collector
 * may drop it; the next access reads it again), so iterating over all traces needs the memory of one. Keep a
 * reference to `t.spans` while you use it. Malformed and torn lines are skipped with a warning.
 *
 * @example
 * const traces = await readTraces("traces/", { onWarning: (w) => console.warn(w) });
 * for (const t of traces) console.log(t.traceId, buildGraph(t.spans).nodes.length);
 * @throws StoreAccessError when the path (or a file in it) cannot be read, and, from `spans`, when a file was
 *   rotated or rewritten after readTraces indexed it.
 */
export async function readTraces(pathOrDir: string, options: ReadTracesOptions = {}): Promise<StoredTrace[]> {
  const index = await indexPath(pathOrDir, "readTraces", options);
  return [...index].map(([traceId, ranges]) => lazyTrace(traceId, () => loadTraceSync(traceId, ranges)));
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
  for (const [traceId, ranges] of index) yield { traceId, spans: await loadTrace(traceId, ranges) };
}

async function indexPath(pathOrDir: string, what: string, options: ReadTracesOptions): Promise<TraceIndex> {
  const warn: Warn = options.onWarning ?? defaultWarn;
  const files = await listTraceFiles(pathOrDir, what);
  if (files.length === 0) warn(`${what}: "${pathOrDir}" is an empty directory; no traces read.`);
  return indexTraces(files, warn);
}

function lazyTrace(traceId: string, load: () => SpanLike[]): StoredTrace {
  let held: WeakRef<SpanLike[]> | undefined;
  return Object.defineProperties({} as StoredTrace, {
    traceId: { value: traceId, enumerable: true },
    spans: {
      enumerable: true,
      get(): SpanLike[] {
        const cached = held?.deref();
        if (cached) return cached;
        const spans = load();
        held = new WeakRef(spans);
        return spans;
      },
    },
  });
}

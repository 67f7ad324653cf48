/**
 * @module store/stored-trace
 * One trace read back from storage: its id and its spans, in the shape `buildGraph` takes. What {@link readTraces}
 * yields and what the registry, the optimizer and canary reports consume.
 */
import type { SpanLike } from "../trace/span-like.js";

/**
 * A stored trace. `spans` holds every span of the trace found in the files read (a trace split over several export
 * batches or rotated files is joined). Traces from {@link readTraces} load `spans` lazily from disk on access.
 *
 * @example
 * for (const t of await readTraces("traces/")) console.log(t.traceId, buildGraph(t.spans).nodes.length);
 */
export interface StoredTrace {
  /** The OTel trace id (32 lowercase hex digits). */
  readonly traceId: string;
  /** The trace's spans, in file order. */
  readonly spans: readonly SpanLike[];
}

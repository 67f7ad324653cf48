/**
 * @module store/otlp-document
 * The OTLP JSON payload shapes found in files, brought to the `{ resourceSpans }` document that `fromOtlpJson` reads:
 * Collector/OTLP lines as they are, Jaeger v2 API answers (`{ result: { resourceSpans } }`) and Tempo's older
 * `{ batches }`. Spans are then grouped by trace id.
 */
import type { SpanLike } from "../trace/span-like.js";
import { fromOtlpJson } from "../trace/otlp.js";

/** The spans of one parsed payload (a document, an array of documents, or a wrapped one), grouped by trace id in order. */
export function spansByTrace(payload: unknown): Map<string, SpanLike[]> {
  const out = new Map<string, SpanLike[]>();
  for (const span of fromOtlpJson(unwrap(payload))) {
    const id = span.spanContext().traceId;
    const list = out.get(id);
    if (list) list.push(span);
    else out.set(id, [span]);
  }
  return out;
}

function unwrap(payload: unknown): unknown {
  if (Array.isArray(payload)) return payload.map(unwrap);
  if (typeof payload !== "object" || payload === null || "resourceSpans" in payload) return payload;
  const p = payload as { result?: unknown; batches?: unknown };
  if (typeof p.result === "object" && p.result !== null && "resourceSpans" in p.result) return p.result;
  if (Array.isArray(p.batches)) return { resourceSpans: p.batches };
  return payload;
}

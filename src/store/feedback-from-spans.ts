/**
 * @module store/feedback-from-spans
 * Feedback already carried by traces: OTel GenAI `gen_ai.evaluation.result` events on spans, read as feedback records.
 *
 * | event attribute                  | record field  |
 * |----------------------------------|---------------|
 * | `gen_ai.evaluation.name`         | `name` (required; events without it are skipped with a warning) |
 * | `gen_ai.evaluation.score.value`  | `score`       |
 * | `gen_ai.evaluation.score.label`  | `label`       |
 * | `gen_ai.evaluation.explanation`  | `explanation` |
 * | `gen_ai.response.id`             | `spanId` of the span in the trace with that response id, when it is another span |
 * | `error.type`                     | the evaluation failed: skipped with a warning |
 * | (the span carrying the event)    | `traceId`, `spanId` — the event is parented to the evaluated span |
 * | (event time)                     | `time`        |
 * | —                                | `source: "otel"`, `id: "<traceId>:<spanId>:<event index>"` (stable across reads) |
 */
import { hrTimeToMs, type SpanLike } from "../trace/span-like.js";
import { FeedbackRecordSchema, type FeedbackRecord } from "./feedback-record.js";
import type { StoredTrace } from "./stored-trace.js";
import { defaultWarn, type Warn } from "./warn.js";

/** The OTel GenAI evaluation event and its attributes (semconv ≥ 1.38, now in semantic-conventions-genai). */
export const EVALUATION_EVENT = {
  name: "gen_ai.evaluation.result",
  evaluationName: "gen_ai.evaluation.name",
  scoreValue: "gen_ai.evaluation.score.value",
  scoreLabel: "gen_ai.evaluation.score.label",
  explanation: "gen_ai.evaluation.explanation",
  responseId: "gen_ai.response.id",
  errorType: "error.type",
} as const;

/**
 * The `gen_ai.evaluation.result` events on the spans of `traces`, as feedback records, in span and event order.
 *
 * @example
 * const feedback = [...(await readFeedback("feedback.jsonl")), ...feedbackFromSpans(await readTraces("traces/"))];
 */
export function feedbackFromSpans(traces: readonly StoredTrace[], onWarning: Warn = defaultWarn): FeedbackRecord[] {
  const out: FeedbackRecord[] = [];
  for (const trace of traces) {
    const spans = trace.spans;
    let byResponse: Map<string, string> | undefined;
    for (const span of spans) {
      const events = span.events ?? [];
      events.forEach((event, i) => {
        if (event.name !== EVALUATION_EVENT.name) return;
        const spanId = span.spanContext().spanId;
        const where = `trace ${trace.traceId} span ${spanId} event ${i} (${EVALUATION_EVENT.name})`;
        const a = event.attributes ?? {};
        if (a[EVALUATION_EVENT.errorType] !== undefined) {
          onWarning(`${where}: the evaluation failed (error.type ${String(a[EVALUATION_EVENT.errorType])}); not read as feedback.`);
          return;
        }
        const name = a[EVALUATION_EVENT.evaluationName];
        if (typeof name !== "string" || name === "") {
          onWarning(`${where}: has no ${EVALUATION_EVENT.evaluationName}; skipped.`);
          return;
        }
        const responseId = a[EVALUATION_EVENT.responseId];
        byResponse ??= responseIndex(spans);
        const target = typeof responseId === "string" ? (byResponse.get(responseId) ?? spanId) : spanId;
        const score = numberOf(a[EVALUATION_EVENT.scoreValue]);
        const label = a[EVALUATION_EVENT.scoreLabel];
        const explanation = a[EVALUATION_EVENT.explanation];
        const parsed = FeedbackRecordSchema.safeParse({
          id: `${trace.traceId}:${spanId}:${i}`,
          traceId: trace.traceId,
          spanId: target,
          name,
          ...(score === undefined ? {} : { score }),
          ...(typeof label === "string" && label !== "" ? { label } : {}),
          ...(typeof explanation === "string" && explanation !== "" ? { explanation } : {}),
          source: "otel",
          time: new Date(hrTimeToMs(event.time)).toISOString(),
        });
        if (parsed.success) out.push(parsed.data);
        else onWarning(`${where}: not usable as feedback (${parsed.error.issues.map((x) => x.message).join("; ")}); skipped.`);
      });
    }
  }
  return out;
}

function responseIndex(spans: readonly SpanLike[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of spans) {
    const id = s.attributes[EVALUATION_EVENT.responseId];
    if (typeof id === "string") out.set(id, s.spanContext().spanId);
  }
  return out;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * @module store/importers/phoenix
 * Phoenix span annotations (`GET /v1/projects/{id}/span_annotations` → `{ data: [...] }`, the `POST
 * /v1/span_annotations` body, or a `get_span_annotations_dataframe()` exported with `to_json(orient="records")`, whose
 * columns are flattened as `result.label`, `context.span_id`…) as feedback. Phoenix annotations name a span but not
 * its trace: the trace id comes from the row (`trace_id` / `context.trace_id`) or from `traces` (the stored trace
 * holding that span); a row resolved by neither is an error.
 *
 * | Phoenix annotation field                 | feedback record field |
 * |------------------------------------------|-----------------------|
 * | `id`                                     | `id` (else `phoenix:<span_id>:<name>:<identifier>`, Phoenix's upsert key) |
 * | `span_id` / `context.span_id`            | `spanId`              |
 * | `trace_id` / `context.trace_id`, else the trace in `traces` holding the span | `traceId` |
 * | `name`                                   | `name`                |
 * | `result.score`                           | `score`               |
 * | `result.label`                           | `label`               |
 * | `result.explanation`                     | `explanation`         |
 * | `annotator_kind` (HUMAN, LLM, CODE, …)   | `source`: `phoenix:<annotator_kind>` |
 * | `updated_at`, else `created_at`, else the import time | `time` |
 */
import { z } from "zod";
import type { FeedbackRecord } from "../feedback-record.js";
import type { StoredTrace } from "../stored-trace.js";
import { isoTime, parseRow, readRows, rowError, toRecord, type Row } from "./import-rows.js";

const text = z.string().nullish();
const PhoenixAnnotation = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  span_id: z.string().min(1),
  trace_id: text,
  name: z.string().min(1),
  annotator_kind: text,
  result: z.looseObject({ label: text, score: z.number().nullish(), explanation: text }).nullish(),
  identifier: text,
  created_at: text,
  updated_at: text,
});

/** Phoenix span-annotation rows in `file` as feedback records. */
export async function importPhoenix(file: string, traces: readonly StoredTrace[] | undefined, now: Date): Promise<FeedbackRecord[]> {
  let traceOfSpan: Map<string, string> | undefined;
  const out: FeedbackRecord[] = [];
  for (const row of await readRows(file, "phoenix")) {
    const a = parseRow(PhoenixAnnotation, { row: row.row, value: unflatten(row.value) }, file, "phoenix");
    let traceId = a.trace_id ?? undefined;
    if (!traceId && traces) {
      traceOfSpan ??= spanIndex(traces);
      traceId = traceOfSpan.get(a.span_id);
    }
    if (!traceId) {
      const hint = traces ? `span ${a.span_id} is in none of the ${traces.length} traces given` : `pass { traces } (e.g. await readTraces("traces/")) so the span's trace can be found, or export with context.trace_id`;
      throw rowError(file, row, "phoenix", `field "trace_id": missing — ${hint}`);
    }
    const time = a.updated_at || a.created_at ? isoTime(a.updated_at ?? a.created_at) : now.toISOString();
    if (!time) throw rowError(file, row, "phoenix", `field "updated_at": not a date (${String(a.updated_at ?? a.created_at)})`);
    out.push(
      toRecord(
        {
          id: a.id === undefined || a.id === null ? `phoenix:${a.span_id}:${a.name}:${a.identifier ?? ""}` : String(a.id),
          traceId,
          spanId: a.span_id,
          name: a.name,
          score: a.result?.score,
          label: a.result?.label,
          explanation: a.result?.explanation,
          source: a.annotator_kind ? `phoenix:${a.annotator_kind}` : "phoenix",
          time,
        },
        row,
        file,
        "phoenix",
      ),
    );
  }
  return out;
}

/** Dataframe records name nested fields with dots (`result.label`, `context.span_id`): nest them as the API does. */
function unflatten(value: Row["value"]): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  const result: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("result.")) result[key.slice(7)] = v;
    else if (key === "context.span_id") out.span_id ??= v;
    else if (key === "context.trace_id") out.trace_id ??= v;
    else out[key] = v;
  }
  if (Object.keys(result).length > 0) out.result = { ...(out.result as object | undefined), ...result };
  return out;
}

function spanIndex(traces: readonly StoredTrace[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of traces) for (const s of t.spans) out.set(s.spanContext().spanId, t.traceId);
  return out;
}

/**
 * @module store/importers/langfuse
 * Langfuse scores (`GET /api/public/scores` → `{ data: [...] }`, or the rows as an array / JSON lines) as feedback.
 *
 * | Langfuse score field            | feedback record field |
 * |---------------------------------|-----------------------|
 * | `id`                            | `id`                  |
 * | `traceId`                       | `traceId` (rows without one — session or dataset-run scores — are skipped with a warning) |
 * | `observationId`                 | `spanId`              |
 * | `name`                          | `name`                |
 * | `value` (NUMERIC, BOOLEAN, CATEGORICAL) | `score`       |
 * | `stringValue` (CATEGORICAL, BOOLEAN)    | `label`       |
 * | `stringValue` (TEXT)            | `explanation` (before `comment`) |
 * | `stringValue` (CORRECTION)      | `correction`          |
 * | `comment`                       | `explanation`         |
 * | `source` (API, EVAL, ANNOTATION) | `source`: `langfuse:<source>` |
 * | `timestamp` (else `createdAt`)  | `time`                |
 */
import { z } from "zod";
import type { FeedbackRecord } from "../feedback-record.js";
import type { Warn } from "../warn.js";
import { isoTime, parseRow, readRows, rowError, toRecord } from "./import-rows.js";

const text = z.string().nullish();
const LangfuseScore = z.looseObject({
  id: z.string().min(1),
  traceId: text,
  observationId: text,
  sessionId: text,
  datasetRunId: text,
  name: z.string().min(1),
  value: z.number().nullish(),
  stringValue: text,
  dataType: z.enum(["NUMERIC", "CATEGORICAL", "BOOLEAN", "TEXT", "CORRECTION"]).default("NUMERIC"),
  comment: text,
  source: text,
  timestamp: text,
  createdAt: text,
});

/** Langfuse score rows in `file` as feedback records. */
export async function importLangfuse(file: string, warn: Warn): Promise<FeedbackRecord[]> {
  const out: FeedbackRecord[] = [];
  for (const row of await readRows(file, "langfuse")) {
    const s = parseRow(LangfuseScore, row, file, "langfuse");
    if (!s.traceId) {
      const scope = s.sessionId ? `session ${s.sessionId}` : s.datasetRunId ? `dataset run ${s.datasetRunId}` : "no trace";
      warn(`importFeedback (langfuse): ${file} row ${row.row}: score "${s.name}" is on ${scope}, not on a trace; skipped.`);
      continue;
    }
    const time = isoTime(s.timestamp ?? s.createdAt);
    if (!time) throw rowError(file, row, "langfuse", `field "timestamp": missing or not a date (${String(s.timestamp ?? s.createdAt)})`);
    const kind = s.dataType;
    if (kind === "NUMERIC" && typeof s.value !== "number") throw rowError(file, row, "langfuse", `field "value": a NUMERIC score needs a number`);
    if (kind === "CORRECTION" && !s.stringValue) throw rowError(file, row, "langfuse", `field "stringValue": a CORRECTION score needs the corrected output`);
    const explanation = kind === "TEXT" ? [s.stringValue, s.comment].filter(Boolean).join("\n\n") : s.comment;
    out.push(
      toRecord(
        {
          id: s.id,
          traceId: s.traceId,
          spanId: s.observationId,
          name: s.name,
          score: kind === "TEXT" || kind === "CORRECTION" ? undefined : s.value,
          label: kind === "CATEGORICAL" || kind === "BOOLEAN" ? s.stringValue?.toLowerCase() : undefined,
          explanation,
          correction: kind === "CORRECTION" ? s.stringValue : undefined,
          source: s.source ? `langfuse:${s.source}` : "langfuse",
          time,
        },
        row,
        file,
        "langfuse",
      ),
    );
  }
  return out;
}

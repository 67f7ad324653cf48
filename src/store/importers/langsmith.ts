/**
 * @module store/importers/langsmith
 * LangSmith feedback (`client.listFeedback()` / `GET /api/v1/feedback` rows, as a JSON array, `{ data }` or JSON
 * lines) as feedback. LangSmith ids are UUIDs; an OTel trace id is the trace UUID without dashes, and an OTel span id
 * is the last 16 hex digits of a run UUID of the form `00000000-0000-0000-xxxx-xxxxxxxxxxxx` (how LangSmith's OTel
 * bridge maps ids). A run that is the trace's root (`run_id` = `trace_id`) is feedback on the run as a whole.
 *
 * | LangSmith feedback field          | feedback record field |
 * |-----------------------------------|-----------------------|
 * | `id`                              | `id`                  |
 * | `trace_id`                        | `traceId` (32 hex digits); required — an older export without it is an error |
 * | `run_id`                          | `spanId` (none for the root run; a run UUID not from OTel is kept as its 32 hex digits) |
 * | `key`                             | `name`                |
 * | `score` (number; boolean → 1 / 0) | `score`               |
 * | `value` (string or boolean)       | `label`; a number `value` is the `score` when `score` is empty |
 * | `comment`                         | `explanation`         |
 * | `correction` `{ score }`          | `score` (an audited judge score replaces the judge's) |
 * | `correction` (text, or other fields as JSON) | `correction` |
 * | `feedback_source.type` (api, model, app) | `source`: `langsmith:<type>` |
 * | `created_at` (zone-less = UTC)    | `time`                |
 */
import { z } from "zod";
import type { FeedbackRecord } from "../feedback-record.js";
import { isoTime, parseRow, readRows, rowError, toRecord, type Row } from "./import-rows.js";

const uuid = z.string().regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, "expected a UUID");
const LangSmithFeedback = z.looseObject({
  id: z.string().min(1),
  run_id: uuid,
  trace_id: uuid,
  key: z.string().min(1),
  score: z.union([z.number(), z.boolean()]).nullish(),
  value: z.unknown().optional(),
  comment: z.string().nullish(),
  correction: z.unknown().optional(),
  feedback_source: z.looseObject({ type: z.string().nullish() }).nullish(),
  created_at: z.string(),
});

/** LangSmith feedback rows in `file` as feedback records. */
export async function importLangSmith(file: string): Promise<FeedbackRecord[]> {
  const out: FeedbackRecord[] = [];
  for (const row of await readRows(file, "langsmith")) {
    const f = parseRow(LangSmithFeedback, row, file, "langsmith");
    const time = isoTime(f.created_at);
    if (!time) throw rowError(file, row, "langsmith", `field "created_at": not a date (${f.created_at})`);
    const traceId = hex(f.trace_id);
    const run = hex(f.run_id);
    const spanId = run === traceId ? undefined : run.startsWith("0000000000000000") ? run.slice(16) : run;
    const corrected = readCorrection(f.correction, row, file);
    let score = typeof f.score === "boolean" ? Number(f.score) : (f.score ?? undefined);
    if (score === undefined && typeof f.value === "number") score = f.value;
    if (corrected.score !== undefined) score = corrected.score;
    const label = typeof f.value === "string" ? f.value : typeof f.value === "boolean" ? String(f.value) : undefined;
    out.push(
      toRecord(
        {
          id: f.id,
          traceId,
          spanId,
          name: f.key,
          score,
          label,
          explanation: f.comment,
          correction: corrected.output,
          source: f.feedback_source?.type ? `langsmith:${f.feedback_source.type}` : "langsmith",
          time,
        },
        row,
        file,
        "langsmith",
      ),
    );
  }
  return out;
}

function hex(id: string): string {
  return id.replace(/-/g, "").toLowerCase();
}

/** `correction`: a corrected score, a corrected output (text, or the remaining fields as JSON), or nothing. */
function readCorrection(value: unknown, row: Row, file: string): { score?: number; output?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") return { output: value };
  if (typeof value !== "object" || Array.isArray(value)) throw rowError(file, row, "langsmith", `field "correction": expected text or an object, got ${Array.isArray(value) ? "an array" : typeof value}`);
  const { score, ...rest } = value as Record<string, unknown>;
  if (score !== undefined && typeof score !== "number") throw rowError(file, row, "langsmith", `field "correction.score": expected a number`);
  const keys = Object.keys(rest);
  const only = keys.length === 1 ? rest[keys[0]!] : undefined;
  const output = keys.length === 0 ? undefined : typeof only === "string" ? only : JSON.stringify(rest);
  return { ...(score === undefined ? {} : { score }), ...(output === undefined ? {} : { output }) };
}

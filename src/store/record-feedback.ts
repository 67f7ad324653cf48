/**
 * @module store/record-feedback
 * Appending feedback: one validated record per line of a JSON-lines file, synced to disk before the call returns,
 * so a killed process loses no feedback it was told was recorded.
 */
import { randomUUID } from "node:crypto";
import { FeedbackFormatError, InvalidArgumentError } from "../errors.js";
import { appendLineTo } from "./append-file.js";
import { describeIssues } from "./feedback-issues.js";
import { FeedbackInputSchema, FeedbackRecordSchema, type FeedbackInput, type FeedbackRecord } from "./feedback-record.js";

/** Options of {@link recordFeedback}. */
export interface RecordFeedbackOptions {
  /** The feedback file (JSON lines), e.g. "feedback.jsonl"; created with its directory when missing. */
  readonly path: string;
  /** `source` for records that do not name one. Default "api". */
  readonly source?: string;
  /** Clock for `time` (tests fix it). Default: `() => new Date()`. */
  readonly now?: () => Date;
}

/**
 * Validates `feedback`, fills in `id` (a random UUID), `source` and `time`, and appends the record to `path`.
 * Records with the same `id` are upserts: {@link readFeedback} keeps the last.
 *
 * @example
 * await recordFeedback({ traceId, spanId, name: "user_thumbs", score: 0, explanation: "The plan skipped the lookup." }, { path: "feedback.jsonl" });
 * @returns the record as written.
 * @throws FeedbackFormatError naming each invalid field (e.g. `score: Invalid input: expected number, received string`).
 * @throws StoreAccessError when the file cannot be written.
 */
export async function recordFeedback(feedback: FeedbackInput, options: RecordFeedbackOptions): Promise<FeedbackRecord> {
  if (typeof options?.path !== "string" || options.path === "") {
    throw new InvalidArgumentError(`recordFeedback(feedback, { path }): path must be a file path such as "feedback.jsonl".`);
  }
  const parsed = FeedbackInputSchema.safeParse(feedback);
  if (!parsed.success) {
    throw new FeedbackFormatError(`recordFeedback: invalid feedback — ${describeIssues(parsed.error)}. Expected { traceId, spanId?, name, score?, label?, explanation?, correction? } with at least one of score, label, explanation or correction.`, {
      subject: "feedback",
    });
  }
  const f = parsed.data;
  const record: FeedbackRecord = FeedbackRecordSchema.parse({
    id: f.id ?? randomUUID(),
    traceId: f.traceId,
    ...(f.spanId === undefined ? {} : { spanId: f.spanId }),
    name: f.name,
    ...(f.score === undefined ? {} : { score: f.score }),
    ...(f.label === undefined ? {} : { label: f.label }),
    ...(f.explanation === undefined ? {} : { explanation: f.explanation }),
    ...(f.correction === undefined ? {} : { correction: f.correction }),
    source: f.source ?? options.source ?? "api",
    time: f.time ?? (options.now ?? (() => new Date()))().toISOString(),
  });
  await appendLineTo(options.path, `${JSON.stringify(record)}\n`, "recordFeedback");
  return record;
}

/**
 * @module store/feedback-record
 * Feedback on a run or on one span, in the shape of OTel's `gen_ai.evaluation.result` event (name, score value,
 * score label, explanation) plus the ids that place it (trace, span), a correction, where it came from and when.
 * Spans are immutable once ended, so feedback lives beside the traces, as JSON lines of these records.
 */
import { z } from "zod";

/** Feedback says something: a score, a label, an explanation or a correction (an empty record is refused). */
function hasContent(f: { score?: number; label?: string; explanation?: string; correction?: string }): boolean {
  return f.score !== undefined || f.label !== undefined || f.explanation !== undefined || f.correction !== undefined;
}
const CONTENT_RULE = { message: "feedback needs at least one of score, label, explanation or correction", path: ["score"] };

const text = z.string().min(1);

/** A stored feedback record's fields, in record order; `id`, `source` and `time` are optional only on input. */
const recordShape = {
  /** Its own id (an upsert key); generated when absent. */
  id: text,
  /** The trace (run) the feedback is about. */
  traceId: text,
  /** The span it is about; absent = the run as a whole (its output). */
  spanId: text.optional(),
  /** What was evaluated, e.g. "user_thumbs", "Relevance" (`gen_ai.evaluation.name`). */
  name: text,
  /** A numeric score (`gen_ai.evaluation.score.value`). */
  score: z.number().finite().optional(),
  /** A low-cardinality label such as "pass", "fail", "correct" (`gen_ai.evaluation.score.label`). */
  label: text.optional(),
  /** Free text: why (`gen_ai.evaluation.explanation`). */
  explanation: text.optional(),
  /** The output it should have been; used as the target when optimizing. */
  correction: text.optional(),
  /** Who gave it: "human", "llm", "code", "api" (the default), or an importer's tag such as "langfuse:ANNOTATION". */
  source: text,
  /** When it was given (ISO 8601); now when absent. */
  time: z.iso.datetime({ offset: true }),
};

/** The fields a caller gives {@link recordFeedback}: at least one of score, label, explanation or correction. */
export const FeedbackInputSchema = z
  .object({ ...recordShape, id: recordShape.id.optional(), source: recordShape.source.optional(), time: recordShape.time.optional() })
  .strict()
  .refine(hasContent, CONTENT_RULE);

/** A stored feedback record: {@link FeedbackInput} with `id`, `source` and `time` filled in. */
export const FeedbackRecordSchema = z.object(recordShape).strict().refine(hasContent, CONTENT_RULE);

/** What {@link recordFeedback} takes. */
export type FeedbackInput = z.input<typeof FeedbackInputSchema>;

/**
 * One feedback record `{ id, traceId, spanId?, name, score?, label?, explanation?, correction?, source, time }`.
 *
 * @example
 * const thumbsDown: FeedbackRecord = { id: "f1", traceId, spanId, name: "user_thumbs", score: 0, source: "human", time: new Date().toISOString() };
 */
export type FeedbackRecord = z.infer<typeof FeedbackRecordSchema>;

/**
 * @module prompts/recorded-feedback
 * The text stored feedback becomes when optimize() learns from production traces: what was evaluated, the score or
 * label, the evaluator's words, and — when someone wrote the output it should have been — that correction as the
 * target. It is delivered to the span the feedback was about (or the run's output), so it is what backward passes on.
 */

/** Role of the loss variable built from recorded feedback. */
export const RECORDED_FEEDBACK_ROLE = "feedback recorded on the production run";

/** One stored feedback record, as far as the text needs it. */
export interface RecordedFeedbackItem {
  readonly name: string;
  readonly score?: number | undefined;
  readonly label?: string | undefined;
  readonly explanation?: string | undefined;
  readonly correction?: string | undefined;
  readonly source?: string | undefined;
}

/**
 * The feedback one target (a run's output or one step) receives from its stored records, one line per record.
 *
 * @example
 * renderRecordedFeedback([{ name: "user_thumbs", score: 0, explanation: "The plan skipped the lookup." }], 1);
 * // 'Feedback "user_thumbs" (from a human): score 0 (a perfect score is 1). The plan skipped the lookup.'
 */
export function renderRecordedFeedback(items: readonly RecordedFeedbackItem[], perfectScore: number): string {
  return items
    .map((f) => {
      const parts = [`Feedback "${f.name}"${f.source ? ` (from ${sourceText(f.source)})` : ""}:`];
      if (f.score !== undefined) parts.push(`score ${fmt(f.score)} (a perfect score is ${fmt(perfectScore)}).`);
      if (f.label !== undefined) parts.push(`Verdict: ${f.label}.`);
      if (f.explanation !== undefined) parts.push(f.explanation.trim());
      if (f.correction !== undefined) parts.push(`The output should have been:\n${f.correction.trim()}`);
      return parts.join(" ");
    })
    .join("\n");
}

function sourceText(source: string): string {
  if (source === "human") return "a human";
  if (source === "llm") return "an LLM judge";
  if (source === "code") return "a code check";
  return source;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, "");
}

/**
 * @module prompts/metric-feedback
 * The text a metric's verdict becomes when optimize() turns it into a loss on a run's output: the score against the
 * perfect score, then the metric's own feedback. This text is the feedback the run's output receives, so it is what
 * the backward engine passes on towards the prompts.
 */

/** Role of the loss variable built from a metric's verdict. */
export const METRIC_LOSS_ROLE = "evaluation of the agent's output by the metric";

/** What {@link renderMetricFeedback} shows. */
export interface MetricFeedbackInput {
  readonly score: number;
  readonly perfectScore: number;
  /** The metric's own words, when it gave any. */
  readonly feedback?: string | undefined;
}

/**
 * The feedback one sample's output receives, e.g. "The output scored 0 (a perfect score is 1). The answer has no unit."
 *
 * @example
 * renderMetricFeedback({ score: 0, perfectScore: 1, feedback: "Expected 42." });
 */
export function renderMetricFeedback(input: MetricFeedbackInput): string {
  const verdict = `The output scored ${formatScore(input.score)} (a perfect score is ${formatScore(input.perfectScore)}).`;
  const words = input.feedback?.trim();
  return words ? `${verdict} ${words}` : `${verdict} No further feedback was given; improve what makes the output fall short.`;
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(3).replace(/0+$/, "");
}

/**
 * @module optim/optimize/metric-loss
 * The default loss: a metric's score and feedback, delivered to the run's output as its feedback. It costs no engine
 * call — the metric already said what is wrong; the backward engine's work starts at the calls that produced the
 * output, and carries these words towards the prompts.
 */
import type { BackwardRule } from "../../core/feedback.js";
import { Variable } from "../../core/variable.js";
import { METRIC_LOSS_ROLE, renderMetricFeedback } from "../../prompts/metric-feedback.js";

/** A loss Variable on `output` whose backward gives `output` the metric's verdict as feedback. */
export function metricLoss(output: Variable, verdict: { readonly score: number; readonly feedback?: string }, perfectScore: number): Variable {
  const text = renderMetricFeedback({ score: verdict.score, perfectScore, feedback: verdict.feedback });
  const rule: BackwardRule = {
    name: "metricLoss.backward",
    run: async ({ targets }) => targets.map((target) => ({ target, gradient: { text, from: METRIC_LOSS_ROLE } })),
  };
  return new Variable(text, { role: METRIC_LOSS_ROLE, predecessors: [output], backwardRule: rule, requiresGrad: true, id: "metric-loss" });
}

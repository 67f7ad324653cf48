/**
 * @module optim/optimize/feedback-loss
 * Recorded feedback as losses on a stored run's graph: feedback on the run starts backward at its output, feedback on
 * a span starts it at that span's node (its step gets the words, and passes them on to what fed it). No engine call:
 * the feedback already says what was wrong.
 */
import type { BackwardRule } from "../../core/feedback.js";
import { sum } from "../../core/functions/sum.js";
import { Variable } from "../../core/variable.js";
import { RECORDED_FEEDBACK_ROLE, renderRecordedFeedback } from "../../prompts/recorded-feedback.js";
import type { FeedbackRecord } from "../../store/feedback-record.js";
import type { TraceGraph } from "../../trace/module-call.js";

/** The loss of one run's records on its graph (one loss per target, summed). */
export function feedbackLoss(graph: TraceGraph, records: readonly FeedbackRecord[], perfectScore: number, warn: (warning: string) => void): Variable {
  const byTarget = new Map<Variable, FeedbackRecord[]>();
  for (const r of records) {
    let target = graph.output;
    if (r.spanId !== undefined) {
      const node = graph.nodes.find((n) => n.spanId === r.spanId || n.id === r.spanId);
      const variable = node ? graph.variables.get(node.id) : undefined;
      if (variable) target = variable;
      else warn(`optimize(): feedback ${r.id} is about span ${r.spanId}, which is not a step of trace ${r.traceId}'s graph; it is applied to the run's output instead`);
    }
    const list = byTarget.get(target);
    if (list) list.push(r);
    else byTarget.set(target, [r]);
  }
  const losses = [...byTarget].map(([target, rs]) => lossOn(target, renderRecordedFeedback(rs, perfectScore)));
  return losses.length === 1 ? losses[0]! : sum(losses);
}

function lossOn(target: Variable, text: string): Variable {
  const rule: BackwardRule = {
    name: "recordedFeedback.backward",
    run: async ({ targets }) => targets.map((t) => ({ target: t, gradient: { text, from: RECORDED_FEEDBACK_ROLE } })),
  };
  return new Variable(text, { role: RECORDED_FEEDBACK_ROLE, predecessors: [target], backwardRule: rule, requiresGrad: true, id: "recorded-feedback" });
}

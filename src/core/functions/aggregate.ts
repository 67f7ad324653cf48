/**
 * @module core/functions/aggregate
 * Like `sum`, but backward condenses all the feedback it received into one summary before passing it on.
 */
import { renderCombinedFeedback, renderReducePrompt, renderReduceSystemPrompt, renderSummaryConversation } from "../../prompts/combine.js";
import { callEngine } from "../../engine/call-engine.js";
import { isNoChange } from "../../prompts/no-change.js";
import { BACKWARD_RETRY_ADVICE, toFeedbackItem, type BackwardRule, type Delivery } from "../feedback.js";
import type { Variable } from "../variable.js";
import { combine } from "./combine.js";
import type { ForwardOptions } from "./forward-options.js";
import { sumBackwardRule } from "./sum.js";

/**
 * Backward of an aggregate. Evaluation mode and single feedback: as `sum` (nothing to condense). Two or more pieces of
 * feedback: one reduce call sees them all with their exchanges, and the summary reaches EVERY trainable input, with
 * those exchanges kept as its context. An empty or no-change summary delivers nothing.
 */
const aggregateBackwardRule: BackwardRule = {
  name: "aggregate.backward",
  run: async (ctx) => {
    const gradients = ctx.output.gradients;
    if (ctx.mode === "evaluation" || gradients.length < 2) return sumBackwardRule.run(ctx);
    const items = gradients.map(toFeedbackItem);
    const what = `aggregate.backward summarising feedback on "${ctx.output.id ?? ctx.output.role}"`;
    const request = { system: renderReduceSystemPrompt(), prompt: renderReducePrompt({ role: ctx.output.role, items }) };
    const summary = (await callEngine(ctx.engine, request, what, ctx.output.id ?? ctx.output.role, BACKWARD_RETRY_ADVICE)).trim();
    if (isNoChange(summary)) return []; // "No changes needed." is not feedback either

    const conversations = gradients.flatMap((g) => (g.context?.conversation ? [g.context.conversation] : []));
    const usedAs = gradients.find((g) => g.context)?.context?.usedAs ?? ctx.output.role;
    return ctx.targets.map((target): Delivery => ({
      target,
      gradient: {
        text: renderCombinedFeedback({ role: target.role, feedback: summary }),
        from: ctx.output.role,
        context: { kind: "summary", conversation: renderSummaryConversation(conversations), usedAs },
      },
    }));
  },
};

/**
 * Same forward as {@link sum}; backward summarises the feedback with one LLM call (see {@link aggregateBackwardRule}).
 *
 * @example
 * const combined = aggregate([answerA, answerB]);
 * const loss = await new TextLoss("Are both answers consistent?", { engine }).forward(combined);
 */
export function aggregate(variables: readonly Variable[], options?: ForwardOptions): Variable {
  return combine("aggregate", variables, aggregateBackwardRule, options);
}

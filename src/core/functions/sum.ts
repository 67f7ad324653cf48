/**
 * @module core/functions/sum
 * Joins variables into one (a batch of losses, say). Backward passes the combination's feedback to every part once.
 */
import { renderCombinedFeedback } from "../../prompts/combine.js";
import type { BackwardRule, Delivery } from "../feedback.js";
import type { Variable } from "../variable.js";
import { combine } from "./combine.js";
import type { ForwardOptions } from "./forward-options.js";

/**
 * Backward of a sum. Evaluation mode (the sum is the root, or sits under one): every trainable input is evaluated as
 * a loss in its own right, so LLM-judge losses under `sum(losses)` still run in evaluation mode. Chain mode: each
 * piece of the sum's feedback reaches each trainable input exactly once, with its context.
 */
export const sumBackwardRule: BackwardRule = {
  name: "sum.backward",
  run: async (ctx) => {
    if (ctx.mode === "evaluation") return ctx.targets.map((target): Delivery => ({ target, evaluation: true }));
    return ctx.targets.flatMap((target) =>
      ctx.output.gradients.map((g): Delivery => ({
        target,
        gradient: {
          text: renderCombinedFeedback({ role: target.role, feedback: g.text }),
          from: ctx.output.role,
          ...(g.context ? { context: { kind: "combine" as const, conversation: g.context.conversation, usedAs: g.context.usedAs } } : {}),
        },
      })),
    );
  },
};

/**
 * Joins values with "\n"; the role is "a combination of the following: r1, r2" (in order).
 *
 * @example
 * const total = sum(losses);
 * await total.backward({ engine });
 */
export function sum(variables: readonly Variable[], options?: ForwardOptions): Variable {
  return combine("sum", variables, sumBackwardRule, options);
}

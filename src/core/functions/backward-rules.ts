/**
 * @module core/functions/backward-rules
 * The backward rules of an LLM call and of a string-based function. Exported so a graph rebuilt from recorded spans
 * uses exactly the rules a hand-built graph uses, and therefore produces byte-identical backward prompts.
 */
import { renderFunctionExchange, renderLlmExchange, type FunctionInput } from "../../prompts/exchange.js";
import type { BackwardRule } from "../feedback.js";
import { askFeedback } from "./ask-feedback.js";

/** What an LLM call sent at forward time. */
export interface LlmBackwardRuleInput {
  /** The system prompt as sent (undefined when none was). */
  readonly system: string | undefined;
  /** The user message as sent. */
  readonly prompt: string;
}

/**
 * The backward rule of an LLM call: one backward-engine call per trainable input, showing the exchange
 * (forward-time system prompt and input, the output's current value), how the output was used, and either its
 * downstream feedback (chain mode) or the fact that it is the evaluation (evaluation mode).
 *
 * @example
 * const output = new Variable(reply, { role: "answer", predecessors: [system, question],
 *   backwardRule: llmBackwardRule({ system: system.value, prompt: question.value }) });
 */
export function llmBackwardRule(input: LlmBackwardRuleInput): BackwardRule {
  const { system, prompt } = input;
  return {
    name: "LLMCall.backward",
    run: (ctx) => askFeedback(ctx, "llm", renderLlmExchange({ system, input: prompt, output: ctx.output.value })),
  };
}

/** What a function call saw at forward time. */
export interface FunctionBackwardRuleInput {
  readonly purpose: string;
  /** The named inputs with their roles and forward-time values, in order. */
  readonly inputs: readonly FunctionInput[];
}

/**
 * The backward rule of a string-based function: one backward-engine call per trainable input, showing the purpose,
 * every named input (full value, with its role), the output, and the objective.
 *
 * @example
 * const score = new Variable("0", { role: "accuracy", predecessors: [prediction],
 *   backwardRule: functionBackwardRule({ purpose: "exact match",
 *     inputs: [{ name: "prediction", role: prediction.role, value: prediction.value }] }) });
 */
export function functionBackwardRule(input: FunctionBackwardRuleInput): BackwardRule {
  const purpose = input.purpose;
  const inputs = input.inputs.map((i) => ({ name: i.name, role: i.role, value: i.value }));
  return {
    name: "StringBasedFunction.backward",
    run: (ctx) => askFeedback(ctx, "function", renderFunctionExchange({ purpose, inputs, output: ctx.output.value })),
  };
}

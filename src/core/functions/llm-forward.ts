/**
 * @module core/functions/llm-forward
 * The LLM-call operation, forward and backward side by side: what every LLM-backed function does at forward time
 * (send the system prompt and the rendered user message, wrap the reply in a Variable), and the backward rule that
 * forward records on its output.
 */
import { callEngine } from "../../engine/call-engine.js";
import type { Engine } from "../../engine/types.js";
import { renderLlmExchange } from "../../prompts/exchange.js";
import type { BackwardRule } from "../feedback.js";
import { Variable } from "../variable.js";
import { askFeedback } from "./ask-feedback.js";
import type { ForwardOptions } from "./forward-options.js";

/** What an LLM call sent at forward time. */
export interface LlmBackwardRuleInput {
  /** The system prompt as sent (undefined when none was). */
  readonly system: string | undefined;
  /** The user message as sent. */
  readonly prompt: string;
}

/**
 * The backward rule of an LLM call: one backward-engine call for all its trainable inputs (one per input with
 * `feedback: "per-input"`), showing the exchange (forward-time system prompt and input, the output's current value),
 * how the output was used, and either its downstream feedback (chain mode) or the fact that it is the evaluation
 * (evaluation mode). Exported so a graph
 * rebuilt from recorded spans uses exactly this rule and so produces byte-identical backward prompts.
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

/** Calls the engine and returns the output Variable with predecessors [system?, ...inputs] and the LLM backward rule. */
export async function forwardLlm(args: {
  readonly engine: Engine;
  readonly system: Variable | undefined;
  readonly prompt: string;
  readonly inputs: readonly Variable[];
  readonly who: string;
  readonly role: string;
  readonly options: ForwardOptions | undefined;
}): Promise<Variable> {
  const system = args.system?.value;
  const request = system === undefined ? { prompt: args.prompt } : { system, prompt: args.prompt };
  const text = await callEngine(args.engine, request, `${args.who}.forward producing "${args.role}"`, args.options?.id ?? args.role);
  return new Variable(text, {
    role: args.role,
    predecessors: args.system ? [args.system, ...args.inputs] : [...args.inputs],
    backwardRule: llmBackwardRule({ system, prompt: args.prompt }),
    requiresGrad: args.options?.requiresGrad,
    id: args.options?.id,
  });
}

/**
 * @module prompts/exchange
 * How the exchange a variable took part in is written down: an LLM call (system prompt, input, output) or a plain
 * function (purpose, named inputs, output). The same text is shown to the backward engine and kept as the feedback's
 * context for the optimizer.
 */
import {
  blockTag,
  FUNCTION_PURPOSE_TAG,
  INPUTS_TO_FUNCTION_TAG,
  LM_INPUT_TAG,
  LM_OUTPUT_TAG,
  LM_SYSTEM_PROMPT_TAG,
  OUTPUT_OF_FUNCTION_TAG,
} from "./tags.js";

/** An LLM call as it happened at forward time. */
export interface LlmExchange {
  /** The system prompt sent, or undefined when none was (the block is then left out rather than showing "None"). */
  readonly system: string | undefined;
  readonly input: string;
  readonly output: string;
}

/** One named input of a string-based function. */
export interface FunctionInput {
  readonly name: string;
  readonly role: string;
  readonly value: string;
}

/** A string-based function call as it happened at forward time. */
export interface FunctionExchange {
  readonly purpose: string;
  readonly inputs: readonly FunctionInput[];
  readonly output: string;
}

/** The LM_SYSTEM_PROMPT / LM_INPUT / LM_OUTPUT blocks of one LLM call. */
export function renderLlmExchange(exchange: LlmExchange): string {
  const parts = exchange.system === undefined ? [] : [blockTag(LM_SYSTEM_PROMPT_TAG, exchange.system)];
  parts.push(blockTag(LM_INPUT_TAG, exchange.input), blockTag(LM_OUTPUT_TAG, exchange.output));
  return parts.join("\n");
}

/** The FUNCTION_PURPOSE / INPUTS_TO_FUNCTION / OUTPUT_OF_FUNCTION blocks of one function call (full input values). */
export function renderFunctionExchange(exchange: FunctionExchange): string {
  const inputs = exchange.inputs.map((i) => `**${i.name}** (role: ${i.role}):\n${i.value}`).join("\n\n");
  return [
    blockTag(FUNCTION_PURPOSE_TAG, exchange.purpose),
    blockTag(INPUTS_TO_FUNCTION_TAG, inputs),
    blockTag(OUTPUT_OF_FUNCTION_TAG, exchange.output),
  ].join("\n");
}

/**
 * @module core/functions/llm-call
 * One call to a language model: the input Variable is the user message, the optional system prompt the system message.
 */
import { DEFAULT_LLM_OUTPUT_ROLE, DEFAULT_SYSTEM_PROMPT_ROLE } from "../../prompts/default-roles.js";
import type { Engine } from "../../engine/types.js";
import type { Variable } from "../variable.js";
import { requireEngine } from "../../engine/call-engine.js";
import { asVariable, requireVariable, type ForwardOptions } from "./forward-options.js";
import { forwardLlm } from "./llm-forward.js";
import type { EngineLike } from "../../engine/engine-like.js";

/** Options of {@link LLMCall}. */
export interface LLMCallOptions {
  readonly engine: EngineLike;
  /**
   * The system prompt. A Variable keeps its own `requiresGrad`; a plain string becomes a FROZEN Variable (it receives
   * no feedback and cannot be optimized) — pass a Variable with `requiresGrad: true` to train it.
   */
  readonly systemPrompt?: Variable | string;
}

/**
 * Calls the engine with the input as user message. The output's predecessors are [systemPrompt (if any), input].
 *
 * @example
 * const call = new LLMCall({ engine, systemPrompt: system });
 * const answer = await call.forward(question, { role: "answer to the question" });
 */
export class LLMCall {
  readonly engine: Engine;
  /** The system prompt as a Variable (frozen when it was given as a string). */
  readonly systemPrompt: Variable | undefined;

  constructor(options: LLMCallOptions) {
    const system = asVariable(options?.systemPrompt, DEFAULT_SYSTEM_PROMPT_ROLE);
    const name = system ? `LLMCall with system prompt "${system.id ?? system.role}"` : "LLMCall";
    this.engine = requireEngine(options?.engine, name, system?.id ?? system?.role ?? "LLMCall");
    this.systemPrompt = system;
  }

  /** Sends `input` to the engine; resolves to the reply as a Variable. Throws EngineCallError if the engine fails. */
  async forward(input: Variable, options?: ForwardOptions): Promise<Variable> {
    requireVariable(input, "LLMCall.forward", "input");
    return forwardLlm({
      engine: this.engine,
      system: this.systemPrompt,
      prompt: input.value,
      inputs: [input],
      who: "LLMCall",
      role: options?.role ?? DEFAULT_LLM_OUTPUT_ROLE,
      options,
    });
  }
}

/**
 * @module core/functions/blackbox-llm
 * A model seen from outside: an LLM call whose system prompt is its only parameter.
 */
import type { Variable } from "../variable.js";
import { LLMCall, type LLMCallOptions } from "./llm-call.js";
import type { ForwardOptions } from "./forward-options.js";

/**
 * An LLM with a (usually trainable) system prompt, the unit TextGrad optimizes in its examples.
 * A plain-string system prompt is frozen; pass a Variable with `requiresGrad: true` to optimize it.
 *
 * @example
 * const system = new Variable("You are a careful solver.", { role: "system prompt of the solver", requiresGrad: true });
 * const model = new BlackboxLLM({ engine, systemPrompt: system });
 * const answer = await model.forward(question);
 * const opt = new TGD({ parameters: model.parameters(), engine });
 */
export class BlackboxLLM {
  readonly #call: LLMCall;

  constructor(options: LLMCallOptions) {
    this.#call = new LLMCall(options);
  }

  /** The system prompt Variable, if any. */
  get systemPrompt(): Variable | undefined {
    return this.#call.systemPrompt;
  }

  /** Trainable parameters: the system prompt when it requires gradients. */
  parameters(): Variable[] {
    const system = this.#call.systemPrompt;
    return system?.requiresGrad ? [system] : [];
  }

  /** Forgets the feedback on the parameters. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Same as {@link LLMCall.forward}. */
  async forward(input: Variable, options?: ForwardOptions): Promise<Variable> {
    return this.#call.forward(input, options);
  }
}

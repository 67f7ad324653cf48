/**
 * @module core/losses/text-loss
 * A natural-language loss: an LLM judges a variable against an instruction.
 */
import type { Engine } from "../../engine/types.js";
import { DEFAULT_EVALUATION_INSTRUCTION_ROLE, defaultEvaluationRole } from "../../prompts/default-roles.js";
import type { Variable } from "../variable.js";
import { requireEngine } from "../../engine/call-engine.js";
import { asVariable, requireVariable, type ForwardOptions } from "../functions/forward-options.js";
import { LLMCall } from "../functions/llm-call.js";
import type { EngineLike } from "../../engine/engine-like.js";

/**
 * The instruction is the system prompt of an LLM call whose user message is the evaluated text. As the root of
 * backward, the evaluation runs in evaluation mode: the evaluated variable is told "here is an evaluation of you".
 * A plain-string instruction is frozen; pass a trainable Variable to optimize the judge itself.
 *
 * @example
 * const loss = await new TextLoss("Evaluate the answer; be critical.", { engine }).forward(answer);
 * await loss.backward({ engine });
 */
export class TextLoss {
  /** The instruction as a Variable (frozen when given as a string). */
  readonly instruction: Variable;
  readonly #call: LLMCall;

  constructor(instruction: string | Variable, options: { readonly engine: EngineLike }) {
    this.instruction = asVariable(instruction, DEFAULT_EVALUATION_INSTRUCTION_ROLE)!;
    requireVariable(this.instruction, "TextLoss", "instruction");
    const engine = requireEngine(options?.engine, `TextLoss "${this.instruction.value.slice(0, 40)}"`, this.instruction.id ?? this.instruction.role);
    this.#call = new LLMCall({ engine, systemPrompt: this.instruction });
  }

  /** Evaluates `variable`; the output's role defaults to "evaluation of the <role>". */
  async forward(variable: Variable, options?: ForwardOptions): Promise<Variable> {
    requireVariable(variable, "TextLoss.forward", "variable");
    return this.#call.forward(variable, { ...options, role: options?.role ?? defaultEvaluationRole(variable.role) });
  }
}

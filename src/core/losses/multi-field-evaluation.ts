/**
 * @module core/losses/multi-field-evaluation
 * An LLM judge that sees several labelled fields (question, ground truth, prediction, …) under one instruction.
 */
import { InvalidArgumentError } from "../../errors.js";
import type { Engine } from "../../engine/types.js";
import { DEFAULT_EVALUATION_INSTRUCTION_ROLE, DEFAULT_SYSTEM_PROMPT_ROLE, defaultMultiFieldEvaluationRole } from "../../prompts/default-roles.js";
import { renderMultiFieldPrompt, renderMultiFieldSystemPrompt } from "../../prompts/evaluation.js";
import type { Variable } from "../variable.js";
import { requireEngine } from "../../engine/call-engine.js";
import { asVariable, requireVariable, type ForwardOptions } from "../functions/forward-options.js";
import { forwardLlm } from "../functions/llm-forward.js";
import type { EngineLike } from "../../engine/engine-like.js";

/** Options of {@link MultiFieldEvaluation}. */
export interface MultiFieldEvaluationOptions {
  /** What to judge. A plain string is frozen. */
  readonly instruction: string | Variable;
  /** The label of each field, in the order `forward()` receives the inputs. */
  readonly roles: readonly string[];
  readonly engine: EngineLike;
  /** Defaults to a short evaluator prompt. A plain string is frozen. */
  readonly systemPrompt?: string | Variable;
}

/**
 * Renders the instruction and the fields (`**role**: value`) into one user message and asks the engine.
 * The output's predecessors are [systemPrompt, instruction, ...inputs]. The inputs' own roles are not touched.
 *
 * @example
 * const judge = new MultiFieldEvaluation({ engine, instruction: "Is the prediction correct?",
 *   roles: ["question", "ground truth", "prediction"] });
 * const loss = await judge.forward([question, truth, prediction]);
 */
export class MultiFieldEvaluation {
  readonly instruction: Variable;
  readonly roles: readonly string[];
  readonly systemPrompt: Variable;
  readonly engine: Engine;

  constructor(options: MultiFieldEvaluationOptions) {
    if (!Array.isArray(options?.roles) || options.roles.length === 0 || options.roles.some((r) => typeof r !== "string" || r.trim() === "")) {
      throw new InvalidArgumentError("MultiFieldEvaluation needs { roles: string[] } with one non-empty label per field.", { subject: "MultiFieldEvaluation" });
    }
    this.instruction = requireVariable(asVariable(options.instruction, DEFAULT_EVALUATION_INSTRUCTION_ROLE), "MultiFieldEvaluation", "instruction");
    this.systemPrompt = asVariable(options.systemPrompt ?? renderMultiFieldSystemPrompt(), DEFAULT_SYSTEM_PROMPT_ROLE)!;
    this.engine = requireEngine(options.engine, `MultiFieldEvaluation for ${JSON.stringify(options.roles)}`, "MultiFieldEvaluation");
    this.roles = Object.freeze([...options.roles]);
  }

  /** Judges `inputs` (one per role, same order). */
  async forward(inputs: readonly Variable[], options?: ForwardOptions): Promise<Variable> {
    if (!Array.isArray(inputs) || inputs.length !== this.roles.length) {
      throw new InvalidArgumentError(
        `MultiFieldEvaluation.forward needs ${this.roles.length} inputs (${this.roles.join(", ")}), got ${Array.isArray(inputs) ? inputs.length : typeof inputs}.`,
        { subject: "MultiFieldEvaluation" },
      );
    }
    const variables = inputs.map((v, i) => requireVariable(v, "MultiFieldEvaluation.forward", this.roles[i]!));
    const prompt = renderMultiFieldPrompt({
      instruction: this.instruction.value,
      fields: variables.map((v, i) => ({ role: this.roles[i]!, value: v.value })),
    });
    return forwardLlm({
      engine: this.engine,
      system: this.systemPrompt,
      prompt,
      inputs: [this.instruction, ...variables],
      who: "MultiFieldEvaluation",
      role: options?.role ?? defaultMultiFieldEvaluationRole(this.roles),
      options,
    });
  }
}

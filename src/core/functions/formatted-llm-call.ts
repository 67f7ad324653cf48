/**
 * @module core/functions/formatted-llm-call
 * An LLM call whose user message is a template filled with several named inputs.
 */
import { InvalidArgumentError } from "../../errors.js";
import type { Engine } from "../../engine/types.js";
import { DEFAULT_LLM_OUTPUT_ROLE, DEFAULT_SYSTEM_PROMPT_ROLE } from "../../prompts/default-roles.js";
import type { Variable } from "../variable.js";
import { requireEngine } from "../../engine/call-engine.js";
import { fillFormat } from "./fill-format.js";
import { asVariable, requireVariable, type ForwardOptions } from "./forward-options.js";
import { forwardLlm } from "./llm-forward.js";
import type { EngineLike } from "../../engine/engine-like.js";

/** Options of {@link FormattedLLMCall}. */
export interface FormattedLLMCallOptions {
  readonly engine: EngineLike;
  /** The user-message template, e.g. "Question: {question}\nPrediction: {prediction}". */
  readonly format: string;
  /** The template's fields, each with the role its input plays (field name → role). */
  readonly fields: Readonly<Record<string, string>>;
  /** As in {@link LLMCall}: a plain string is frozen. */
  readonly systemPrompt?: Variable | string;
}

/**
 * Fills `format` with the inputs' values and calls the engine. The output's predecessors are [systemPrompt (if any),
 * then the inputs in `fields` order]. Unlike TextGrad, the inputs' roles are left as the caller set them.
 *
 * @example
 * const judge = new FormattedLLMCall({ engine, format: "Question: {question}\nPrediction: {prediction}",
 *   fields: { question: "question to the solver", prediction: "the solver's answer" } });
 * const verdict = await judge.forward({ question, prediction });
 */
export class FormattedLLMCall {
  readonly engine: Engine;
  readonly format: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly systemPrompt: Variable | undefined;

  constructor(options: FormattedLLMCallOptions) {
    if (typeof options?.format !== "string" || typeof options.fields !== "object" || options.fields === null) {
      throw new InvalidArgumentError('FormattedLLMCall needs { format: string, fields: { name: "role" } }.', { subject: "FormattedLLMCall" });
    }
    this.systemPrompt = asVariable(options.systemPrompt, DEFAULT_SYSTEM_PROMPT_ROLE);
    this.engine = requireEngine(options.engine, `FormattedLLMCall with format "${options.format.slice(0, 40)}"`, "FormattedLLMCall");
    this.format = options.format;
    this.fields = Object.freeze({ ...options.fields });
  }

  /** Fills the template with `inputs` (whose keys must be exactly the fields) and calls the engine. */
  async forward(inputs: Readonly<Record<string, Variable>>, options?: ForwardOptions): Promise<Variable> {
    const names = Object.keys(this.fields);
    const given = Object.keys(inputs ?? {});
    const missing = names.filter((n) => !given.includes(n));
    const extra = given.filter((n) => !names.includes(n));
    if (missing.length > 0 || extra.length > 0) {
      throw new InvalidArgumentError(
        `FormattedLLMCall.forward needs exactly the fields ${JSON.stringify(names)}` +
          (missing.length ? `; missing ${JSON.stringify(missing)}` : "") +
          (extra.length ? `; unexpected ${JSON.stringify(extra)}` : "") +
          " — pass one Variable per field.",
        { subject: "FormattedLLMCall" },
      );
    }
    const ordered = names.map((n) => requireVariable(inputs[n], "FormattedLLMCall.forward", n));
    const values = Object.fromEntries(names.map((n, i) => [n, ordered[i]!.value]));
    return forwardLlm({
      engine: this.engine,
      system: this.systemPrompt,
      prompt: fillFormat(this.format, values),
      inputs: ordered,
      who: "FormattedLLMCall",
      role: options?.role ?? DEFAULT_LLM_OUTPUT_ROLE,
      options,
    });
  }
}

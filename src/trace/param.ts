/**
 * @module trace/param
 * A named, trainable prompt: the thing an optimizer rewrites. Its name is its id everywhere — on spans
 * (`tracegrad.param.<name>.version`), in graphs and in saved prompt versions — so it must be stable across runs.
 */
import { Variable } from "../core/variable.js";
import { InvalidArgumentError } from "../errors.js";

/** Options of {@link param}. */
export interface ParamOptions {
  /** What the text is for, e.g. "system prompt of the planner". Shown to the backward engine and the optimizer. */
  readonly role: string;
}

/**
 * Declares a trainable prompt. Pass it to `traceModule(name, fn, { params: [it] })` and read `.value` inside `fn`, so
 * each call records which version of the prompt it used.
 *
 * @example
 * const plannerPrompt = param("planner.system", "You choose the modules…", { role: "system prompt of the planner" });
 * const planner = traceModule("planner", (q: string) => llm(plannerPrompt.value, q), { params: [plannerPrompt] });
 * @throws InvalidArgumentError when the name is empty or has whitespace, or the role is missing.
 */
export function param(name: string, value: string, options: ParamOptions): Variable {
  if (typeof name !== "string" || name.trim() === "" || /\s/.test(name)) {
    throw new InvalidArgumentError(
      `param(${JSON.stringify(name)}) needs a non-empty name without whitespace, e.g. "planner.system": the name is the prompt's id on spans and in saved versions.`,
      { subject: String(name) },
    );
  }
  if (!options || typeof options.role !== "string" || options.role.trim() === "") {
    throw new InvalidArgumentError(
      `param("${name}") needs a role, e.g. param("${name}", text, { role: "system prompt of the planner" }): the role tells the optimizer what the text is for.`,
      { subject: name },
    );
  }
  if (typeof value !== "string") {
    throw new InvalidArgumentError(`param("${name}") got a ${value === null ? "null" : typeof value} value; prompts are strings — pass the text itself.`, { subject: name });
  }
  return new Variable(value, { role: options.role, requiresGrad: true, id: name });
}

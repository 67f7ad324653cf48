/**
 * @module trace/param
 * A named, trainable prompt: the thing an optimizer rewrites. Its name is its id everywhere — on spans
 * (`tracegrad.param.<name>.version`), in graphs and in saved prompt versions — so it must be stable across runs.
 */
import { Variable } from "../core/variable.js";
import { InvalidArgumentError } from "../errors.js";
import { recordParamRead } from "./param-reads.js";

/** Options of {@link param}. */
export interface ParamOptions {
  /** What the text is for, e.g. "system prompt of the planner". Shown to the backward engine and the optimizer. */
  readonly role: string;
}

/**
 * A trainable prompt made by {@link param}: a Variable whose `value` reads are recorded inside trace(). The Variable
 * itself stays inert; only this subclass knows about tracing, and outside trace() a read costs one context lookup.
 */
export class Param extends Variable {
  /** The current text. Inside trace(), reading it records the use on the innermost traced call (never throws). */
  override get value(): string {
    recordParamRead(this);
    return super.value;
  }
}

/**
 * Declares a trainable prompt. Read `.value` inside a traced module (or anywhere inside trace()) and the call records
 * which version of the prompt it used — `traceModule(name, fn, { params: [it] })` says the same explicitly and is
 * optional. Reads inside trace() but outside any module are recorded on the run's root span.
 *
 * @example
 * const plannerPrompt = param("planner.system", "You choose the modules…", { role: "system prompt of the planner" });
 * const planner = traceModule("planner", (q: string) => llm(plannerPrompt.value, q));
 * const run = await trace(() => planner("2+2?"));
 * run.params.get("planner.system") === plannerPrompt; // true
 * @throws InvalidArgumentError when the name is empty or has whitespace, or the role is missing.
 */
export function param(name: string, value: string, options: ParamOptions): Param {
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
  return new Param(value, { role: options.role, requiresGrad: true, id: name });
}

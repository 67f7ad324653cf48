/**
 * @module prompts/control-feedback
 * The backward prompt for a plan: a variable that did not feed a call any data but decided that it ran (a planner's
 * output, a router's choice). Data-flow feedback never reaches such a variable, and feedback on the calls it chose
 * cannot say what a call that never ran would have added. So the prompt gives the counterfactual: which modules the
 * plan ran, which available modules it did not run, and what the feedback further along says was missing.
 */
import { blockTag, extractTagged, inlineTag, OBJECTIVE_FUNCTION_TAG, ROLE_TAG, VARIABLE_TAG } from "./tags.js";
import { numbered } from "./backward-prompt.js";
import { NO_CHANGE_MARKER } from "./no-change.js";

/** The modules the plan ran, in order, comma-separated. */
export const MODULES_RUN_TAG = "MODULES_RUN";
/** The modules the plan could have chosen but did not, comma-separated ("(unknown)" when not known). */
export const MODULES_NOT_RUN_TAG = "MODULES_NOT_RUN";

/** Everything a control-feedback prompt shows. */
export interface ControlFeedbackPromptInput {
  /** Role of the plan (the variable receiving feedback). */
  readonly role: string;
  /** The plan's full current text. */
  readonly value: string;
  /** The modules the plan ran, in execution order. */
  readonly ran: readonly string[];
  /** Available modules the plan did not run; empty when unknown. */
  readonly notRun: readonly string[];
  /** The module whose output received `feedback` (one the plan ran). */
  readonly module: string;
  /** The role of that module's output. */
  readonly usedAs: string;
  /** Feedback that output received further along, in order. */
  readonly feedback: readonly string[];
}

/**
 * Renders the user prompt of one control-feedback call (send it with the usual backward system prompt).
 *
 * @example
 * renderControlFeedbackPrompt({ role: "plan", value: '["solution_generator"]', ran: ["solution_generator"],
 *   notRun: ["knowledge_retrieval"], module: "solution_generator", usedAs: "solution",
 *   feedback: ['The deciding fact is missing: "…"'] });
 */
export function renderControlFeedbackPrompt(input: ControlFeedbackPromptInput): string {
  const notRun = input.notRun.length > 0 ? input.notRun.join(", ") : "(unknown: the plan's alternatives were not recorded)";
  return [
    `Give feedback on a variable with this role: ${inlineTag(ROLE_TAG, input.role)}`,
    "",
    "The variable is a plan: it fed no data to the modules below, it decided which of them ran. Modules the plan ran, in order:",
    inlineTag(MODULES_RUN_TAG, input.ran.join(", ")),
    "Available modules the plan did not run:",
    inlineTag(MODULES_NOT_RUN_TAG, notRun),
    "",
    `One module the plan ran, "${input.module}", produced ${input.usedAs}. Further along, that output received this feedback:`,
    blockTag(OBJECTIVE_FUNCTION_TAG, numbered(input.feedback)),
    "",
    "The variable's full current text:",
    blockTag(VARIABLE_TAG, input.value),
    "",
    "Think counterfactually. If the feedback says something was missing (a fact, a search result, a step), name the module that did not run and would have supplied it, in the form \"<module> did not run; <what was missing>\", and say how the plan should change. " +
      `If the modules that ran were the right ones and the problem lies inside them, reply just ${NO_CHANGE_MARKER}. Do not write the new plan.`,
  ].join("\n");
}

/** The modules a control-feedback prompt says did not run (empty when it says none or unknown). */
export function readModulesNotRun(prompt: string): string[] {
  const body = extractTagged(prompt, MODULES_NOT_RUN_TAG);
  if (body === undefined || body.startsWith("(")) return [];
  return body.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

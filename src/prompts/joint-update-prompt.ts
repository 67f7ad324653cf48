/**
 * @module prompts/joint-update-prompt
 * The prompts of a joint update (TGD `update: "joint"`): one optimizer call that sees every parameter of a subgraph —
 * each numbered, with its id, role, full text and (digested) feedback — and replies with one section per parameter
 * holding its complete improved text. Constraints and examples are shown once, for all of them.
 */
import { renderFeedbackPoints } from "./feedback-points.js";
import { renderJointSection } from "./joint-update-sections.js";
import { renderOptimizerFeedback, VARIABLE_REFERENCE, type OptimizerPromptInput } from "./optimizer-prompt.js";
import { blockTag, CONSTRAINTS_TAG, CONTEXT_TAG, EXAMPLES_TAG, inlineTag, PAST_FEEDBACK_TAG, PAST_ITERATIONS_TAG, ROLE_TAG, VARIABLE_TAG } from "./tags.js";

/**
 * One variable of a joint update request: what a single update prompt shows of it (`feedback` with its exchanges, or
 * `points` instead when given; past values and feedback for momentum and gradient memory), and its name.
 */
export type JointUpdateVariable = Pick<OptimizerPromptInput, "role" | "value" | "feedback" | "points" | "pastValues" | "pastFeedback"> & {
  /** How the user names it (the parameter's id, else its role). */
  readonly name: string;
};

/** Everything a joint update request shows. */
export interface JointUpdatePromptInput {
  /** Numbered from 1, in this order, in the request and the reply. */
  readonly variables: readonly JointUpdateVariable[];
  readonly constraints?: readonly string[];
  readonly examples?: readonly string[];
  /** The reply's section tag name (see `jointSectionTag`). */
  readonly tag: string;
}

/**
 * The system prompt of a joint update, naming the section tag.
 *
 * @example
 * renderJointUpdateSystemPrompt("IMPROVED_VARIABLE");
 */
export function renderJointUpdateSystemPrompt(tag: string): string {
  return [
    "You improve several pieces of text, called variables, that work together inside one system made of language model calls and functions.",
    "For each variable you are given a number, its name, its role, its full current text, and the feedback it received (with the exchanges the feedback came from, or merged into points that name their sources).",
    "Improve the variables together: they run in the same system, so keep them consistent with each other, and do not fix the same problem twice in two places. Feedback can be noisy or contradictory: act on what is important and well supported, and ignore the rest. Keep each variable fit for its role, and respect every constraint you are given.",
    "",
    "Reply with one section per variable, numbered as in the request, each holding that variable's complete improved text:",
    renderJointSection(tag, 1, "the complete improved text of variable 1"),
    renderJointSection(tag, 2, "the complete improved text of variable 2"),
    "and so on. A variable that needs no change gets a section with its current text, unchanged.",
    "",
    "The request is organised with these tags:",
    "- ROLE: what a variable is.",
    "- VARIABLE: a variable's full current text (its id attribute is the variable's number).",
    "- CONTEXT: a variable's feedback; each FEEDBACK block may follow the CONVERSATION it came from.",
    "- PAST_ITERATIONS and PAST_FEEDBACK: a variable's earlier versions and the feedback behind them.",
    "- CONSTRAINTS: rules every improved variable must follow.",
    "- EXAMPLES: examples to base the improved variables on.",
  ].join("\n");
}

/**
 * The user prompt of a joint update. In a variable's exchanges its own full text is replaced by a reference to its
 * number, so the request grows with the feedback, not with B copies of each prompt.
 *
 * @example
 * renderJointUpdatePrompt({ tag: "IMPROVED_VARIABLE", variables: [{ name: "planner", role: "system prompt", value: "…", feedback }] });
 */
export function renderJointUpdatePrompt(input: JointUpdatePromptInput): string {
  const n = input.variables.length;
  const parts = [`Improve these ${n} variables of one system together.`, ""];
  input.variables.forEach((v, i) => parts.push(...renderVariable(v, i + 1, n), ""));
  if (input.constraints && input.constraints.length > 0) {
    const body = input.constraints.map((c, i) => `${i + 1}. ${c}`).join("\n");
    parts.push("Every improved variable must follow every one of these constraints:", blockTag(CONSTRAINTS_TAG, body), "");
  }
  if (input.examples && input.examples.length > 0) {
    const body = input.examples.map((e, i) => `Example ${i + 1}:\n${e}`).join("\n\n");
    parts.push("Base the improved variables on these examples:", blockTag(EXAMPLES_TAG, body), "");
  }
  parts.push(
    `Rewrite each variable so that it addresses its feedback. Reply with exactly one section per variable, ${n === 1 ? "" : `1 to ${n}, `}each holding the complete improved text and nothing else:`,
    ...input.variables.map((v, i) => renderJointSection(input.tag, i + 1, `the complete improved ${v.role}`)),
  );
  return parts.join("\n");
}

/**
 * The one follow-up sent when a joint reply had no usable section for some variables: it asks for those only.
 *
 * @example
 * renderJointRepairPrompt([{ id: 2, name: "solver.system", role: "system prompt" }], "IMPROVED_VARIABLE");
 */
export function renderJointRepairPrompt(missing: ReadonlyArray<{ readonly id: number; readonly name: string; readonly role: string }>, tag: string): string {
  const list = missing.map((m) => `${m.id} ("${m.name}", ${m.role})`).join(", ");
  const several = missing.length > 1;
  return [
    `Your reply had no section, or an empty one, for variable${several ? "s" : ""} ${list}, so ${several ? "they" : "it"} could not be updated.`,
    `Send only ${several ? "those sections, each" : "that section,"} with the complete improved text (the current text if it needs no change):`,
    ...missing.map((m) => renderJointSection(tag, m.id, `the complete improved ${m.role}`)),
  ].join("\n");
}

function renderVariable(v: JointUpdateVariable, id: number, total: number): string[] {
  const reference = `[variable ${id}, shown in its VARIABLE block above]`;
  const context = v.points
    ? [`Its feedback (${v.feedback.length} pieces), merged into distinct points; each point names the pieces it came from:`, renderFeedbackPoints(v.points)]
    : ["Its feedback, each piece after the exchange it came from:", renderOptimizerFeedback(v.feedback, v.value).split(VARIABLE_REFERENCE).join(reference)];
  const parts = [
    `Variable ${id} of ${total}: "${v.name}", with this role: ${inlineTag(ROLE_TAG, v.role)}`,
    "Its full current text:",
    `<${VARIABLE_TAG} id="${id}">\n${v.value}\n</${VARIABLE_TAG}>`,
    context[0]!,
    `<${CONTEXT_TAG} id="${id}">\n${context[1]!}\n</${CONTEXT_TAG}>`,
  ];
  if (v.pastValues && v.pastValues.length > 0) {
    const body = v.pastValues.map((p) => `Before update ${p.step}:\n${p.value}`).join("\n\n");
    parts.push(`Earlier versions of variable ${id}, oldest first. If the same feedback keeps returning, the earlier changes were not enough: change more.`, blockTag(PAST_ITERATIONS_TAG, body));
  }
  if (v.pastFeedback && v.pastFeedback.length > 0) {
    const body = v.pastFeedback.map((p) => `Feedback behind update ${p.step}:\n${p.feedback.join("\n\n")}`).join("\n\n");
    parts.push(`Feedback variable ${id} got at earlier steps, oldest first. Keep what it fixed, and do not undo it.`, blockTag(PAST_FEEDBACK_TAG, body));
  }
  return parts;
}

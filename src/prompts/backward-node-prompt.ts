/**
 * @module prompts/backward-node-prompt
 * The user prompt of a backward call that asks, once, for feedback on ALL the trainable inputs of one node: the
 * exchange and objective are shown once, each variable is numbered, and the reply holds one `FEEDBACK_FOR` section per
 * variable. A node with a single trainable input uses `renderBackwardPrompt` instead (TextGrad's shape).
 */
import { numbered } from "./backward-prompt.js";
import { renderFeedbackSection } from "./feedback-sections.js";
import { NO_CHANGE_MARKER } from "./no-change.js";
import { blockTag, inlineTag, OBJECTIVE_FUNCTION_TAG, ROLE_TAG, VARIABLE_TAG } from "./tags.js";

/** One variable of a node backward prompt. */
export interface NodeBackwardVariable {
  readonly role: string;
  /** The full current text. */
  readonly value: string;
}

/** Everything a node backward prompt shows. */
export interface NodeBackwardPromptInput {
  /** The node's trainable inputs, in predecessor order; numbered from 1 in the prompt and the reply. */
  readonly variables: readonly NodeBackwardVariable[];
  readonly exchangeKind: "llm" | "function";
  readonly exchange: string;
  readonly mode: "evaluation" | "chain";
  readonly usedAs: string;
  readonly feedback: readonly string[];
}

/**
 * Renders the user prompt of one backward call for several variables of the same node.
 *
 * @example
 * renderNodeBackwardPrompt({ variables: [{ role: "system prompt", value: "…" }, { role: "question", value: "…" }],
 *   exchangeKind: "llm", exchange, mode: "chain", usedAs: "answer", feedback: ["Forgot the units."] });
 */
export function renderNodeBackwardPrompt(input: NodeBackwardPromptInput): string {
  const what = input.exchangeKind === "llm" ? "language model call" : "function (not a language model)";
  const n = input.variables.length;
  const parts = [`Give feedback on each of these ${n} variables:`, ...input.variables.map((v, i) => `${i + 1}. ${inlineTag(ROLE_TAG, v.role)}`), ""];
  if (input.mode === "evaluation") {
    parts.push(`The variables took part in this ${what}, whose output is an evaluation of them:`, input.exchange, "");
    parts.push("That evaluation is the objective. The only goal is to do better on it, and nothing else.", "");
  } else {
    parts.push(`The variables took part in this ${what}:`, input.exchange, "");
    parts.push(
      `The call is one step of a larger system: its output was then used as ${input.usedAs}. Further along, that output received this feedback:`,
      blockTag(OBJECTIVE_FUNCTION_TAG, numbered(input.feedback)),
      "",
    );
  }
  parts.push("The variables' full current texts:", ...input.variables.map((v, i) => `<${VARIABLE_TAG} id="${i + 1}">\n${v.value}\n</${VARIABLE_TAG}>`), "");
  parts.push(
    "For each variable, explain how it should change so that the objective above is met better. Be critical and specific, and do not write new versions.",
    `Reply with exactly one section per variable, in this form; a section whose whole text is ${NO_CHANGE_MARKER} means that variable needs no change:`,
    ...input.variables.map((v, i) => renderFeedbackSection(i + 1, `feedback on the ${v.role}, or ${NO_CHANGE_MARKER}`)),
  );
  return parts.join("\n");
}

/**
 * The one follow-up sent when a node backward reply lacked some sections: it asks for those sections only.
 *
 * @example
 * renderMissingSectionsPrompt([{ id: 2, role: "question" }]);
 */
export function renderMissingSectionsPrompt(missing: ReadonlyArray<{ readonly id: number; readonly role: string }>): string {
  const list = missing.map((m) => `${m.id} (${m.role})`).join(", ");
  return [
    `Your reply had no section for variable${missing.length > 1 ? "s" : ""} ${list}.`,
    `Send only ${missing.length > 1 ? "those sections" : "that section"}, in this form (${NO_CHANGE_MARKER} if the variable needs no change):`,
    ...missing.map((m) => renderFeedbackSection(m.id, `feedback on the ${m.role}, or ${NO_CHANGE_MARKER}`)),
  ].join("\n");
}

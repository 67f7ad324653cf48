/**
 * @module prompts/optimizer-prompt
 * The user prompt of one TGD update: role, full value, every feedback with its exchange, then the optional sections
 * (past values, past feedback, constraints, examples) and the reply format.
 */
import { renderFeedbackItems, type FeedbackItem } from "./feedback-block.js";
import { renderFeedbackPoints, type FeedbackPoint } from "./feedback-points.js";
import {
  blockTag,
  CONSTRAINTS_TAG,
  CONTEXT_TAG,
  EXAMPLES_TAG,
  inlineTag,
  PAST_FEEDBACK_TAG,
  PAST_ITERATIONS_TAG,
  ROLE_TAG,
  VARIABLE_TAG,
} from "./tags.js";
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "./update-tags.js";

/** Shown in a feedback's exchange where the variable's own text appeared verbatim. */
export const VARIABLE_REFERENCE = "[the variable shown in VARIABLE above]";

/**
 * Shorter values are not replaced by {@link VARIABLE_REFERENCE}: a short text (a word, a number) is likely to occur in
 * an exchange by coincidence, and repeating it costs nothing.
 */
export const MIN_REFERENCED_LENGTH = 16;

/** An earlier value of the variable: the one update number `step` (counted from 1) replaced. */
export interface PastValue {
  readonly step: number;
  readonly value: string;
}

/** The feedback that led to update number `step` of the variable. */
export interface PastFeedback {
  readonly step: number;
  readonly feedback: readonly string[];
}

/** Everything an update prompt shows. */
export interface OptimizerPromptInput {
  readonly role: string;
  /** The full current value. */
  readonly value: string;
  /** Every piece of feedback, in delivery order. */
  readonly feedback: readonly FeedbackItem[];
  /**
   * The feedback merged into distinct points (each naming the pieces it came from). When given, the points are shown
   * instead of `feedback` and its exchanges; `feedback` still gives the count.
   */
  readonly points?: readonly FeedbackPoint[];
  readonly constraints?: readonly string[];
  readonly examples?: readonly string[];
  /** Earlier values, oldest first (momentum). */
  readonly pastValues?: readonly PastValue[];
  /** Earlier feedback, oldest first (gradient memory). */
  readonly pastFeedback?: readonly PastFeedback[];
  readonly tags?: UpdateTags;
}

/**
 * Renders the update prompt. Where an exchange contains the variable's own text (say it was the system prompt of B
 * batch samples), that text is replaced by a short reference, so the prompt grows with the feedback, not B × prompt.
 *
 * @example
 * renderOptimizerPrompt({ role: "system prompt", value: "You are a solver.", feedback: [{ text: "Be brief.", from: "loss" }] });
 */
export function renderOptimizerPrompt(input: OptimizerPromptInput): string {
  const tags = input.tags ?? DEFAULT_UPDATE_TAGS;
  const context = input.points
    ? [
        `The feedback it received (${input.feedback.length} pieces), merged into distinct points; each point names the pieces it came from:`,
        blockTag(CONTEXT_TAG, renderFeedbackPoints(input.points)),
      ]
    : ["The feedback it received, each piece after the exchange it came from:", blockTag(CONTEXT_TAG, renderOptimizerFeedback(input.feedback, input.value))];
  const parts = [
    `Improve a variable with this role: ${inlineTag(ROLE_TAG, input.role)}`,
    "",
    "The variable's full current text:",
    blockTag(VARIABLE_TAG, input.value),
    "",
    ...context,
    "",
  ];
  if (input.pastValues && input.pastValues.length > 0) {
    const body = input.pastValues.map((p) => `Before update ${p.step}:\n${p.value}`).join("\n\n");
    parts.push(
      "Earlier versions of the variable, oldest first. If the same feedback keeps returning, the earlier changes were not enough: change more.",
      blockTag(PAST_ITERATIONS_TAG, body),
      "",
    );
  }
  if (input.pastFeedback && input.pastFeedback.length > 0) {
    const body = input.pastFeedback.map((p) => `Feedback behind update ${p.step}:\n${p.feedback.join("\n\n")}`).join("\n\n");
    parts.push("Feedback from earlier steps, oldest first. Keep what it fixed, and do not undo it.", blockTag(PAST_FEEDBACK_TAG, body), "");
  }
  if (input.constraints && input.constraints.length > 0) {
    const body = input.constraints.map((c, i) => `${i + 1}. ${c}`).join("\n");
    parts.push("The improved variable must follow every one of these constraints:", blockTag(CONSTRAINTS_TAG, body), "");
  }
  if (input.examples && input.examples.length > 0) {
    const body = input.examples.map((e, i) => `Example ${i + 1}:\n${e}`).join("\n\n");
    parts.push(`Base the improved ${input.role} on these examples:`, blockTag(EXAMPLES_TAG, body), "");
  }
  parts.push(
    `Rewrite the ${input.role} so that it addresses the feedback. Reply with the complete improved variable between ${tags.start} and ${tags.end}, and put nothing else between them.`,
  );
  return parts.join("\n");
}

/**
 * The CONTEXT body of an update that shows every piece of feedback with its exchange (where the variable's own text
 * is replaced by {@link VARIABLE_REFERENCE}). Exported so an optimizer can measure it against a budget.
 */
export function renderOptimizerFeedback(feedback: readonly FeedbackItem[], value: string): string {
  return renderFeedbackItems(feedback.map((item) => (item.conversation ? { ...item, conversation: referToVariable(item.conversation, value) } : item)));
}

function referToVariable(conversation: string, value: string): string {
  if (value.trim().length < MIN_REFERENCED_LENGTH) return conversation;
  return conversation.split(value).join(VARIABLE_REFERENCE);
}

/**
 * @module prompts/combine
 * Texts of `sum` and `aggregate` backward: the note attached when feedback on a combination is passed to one of its
 * parts, and the reduce call that summarises several pieces of feedback into one.
 */
import { renderFeedbackItems, type FeedbackItem } from "./feedback-block.js";
import { inlineTag, ROLE_TAG } from "./tags.js";

/** The feedback a part of a sum receives: the combination's feedback, labelled as such. */
export function renderCombinedFeedback(input: { readonly role: string; readonly feedback: string }): string {
  return `This feedback was given on a combination of this ${input.role} with other variables:\n${input.feedback}`;
}

/** System prompt of the reduce call. */
export function renderReduceSystemPrompt(): string {
  return [
    "You merge several pieces of feedback about the same variable into one piece of feedback.",
    "Keep every distinct point that is supported by its exchange, merge points that repeat, say which problems come up most often, and keep the reasons given.",
    "Do not write a new version of the variable; only summarise the feedback.",
  ].join("\n");
}

/**
 * User prompt of the reduce call: every piece of feedback with the exchange it came from, in delivery order.
 *
 * @example
 * renderReducePrompt({ role: "a combination of the following: answer 1, answer 2", items: [{ text: "…", from: "loss" }] });
 */
export function renderReducePrompt(input: { readonly role: string; readonly items: readonly FeedbackItem[] }): string {
  return [
    `Here are ${input.items.length} pieces of feedback on a variable with this role: ${inlineTag(ROLE_TAG, input.role)}`,
    "",
    renderFeedbackItems(input.items),
    "",
    "Summarise them into one piece of feedback that keeps every distinct point and the evidence for it.",
  ].join("\n");
}

/** The context kept with a summary: the exchanges behind the summarised feedback, numbered, in order. */
export function renderSummaryConversation(conversations: readonly string[]): string {
  if (conversations.length === 1) return conversations[0]!;
  return conversations.map((c, i) => `Exchange ${i + 1}:\n${c}`).join("\n\n");
}

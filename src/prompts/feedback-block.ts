/**
 * @module prompts/feedback-block
 * One piece of feedback with the exchange it came from, as the optimizer and the reduce prompt show it.
 */
import { blockTag, CONVERSATION_TAG, FEEDBACK_TAG } from "./tags.js";

/** A piece of feedback to show, with its context when it has one. */
export interface FeedbackItem {
  readonly text: string;
  /** Role of the variable whose backward rule sent it. */
  readonly from: string;
  /** The exchange it came from; empty or absent → no CONVERSATION block. */
  readonly conversation?: string;
  /** How the exchange's output was used. */
  readonly usedAs?: string;
}

/** Renders feedback items, each as an optional CONVERSATION block followed by exactly one FEEDBACK block. */
export function renderFeedbackItems(items: readonly FeedbackItem[]): string {
  return items.map((item, i) => renderFeedbackItem(item, i, items.length)).join("\n\n");
}

function renderFeedbackItem(item: FeedbackItem, index: number, total: number): string {
  const parts = [`Feedback ${index + 1} of ${total}, sent back from: ${item.from}.`];
  if (item.conversation) {
    parts.push("It came from this exchange:", blockTag(CONVERSATION_TAG, item.conversation));
    if (item.usedAs) parts.push(`The output of that exchange was used as ${item.usedAs}.`);
  }
  parts.push(blockTag(FEEDBACK_TAG, item.text));
  return parts.join("\n");
}

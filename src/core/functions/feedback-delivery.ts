/**
 * @module core/functions/feedback-delivery
 * Turns one backward reply (or one section of it) into a delivery, the same way in both feedback modes.
 */
import { isNoChange } from "../../prompts/no-change.js";
import type { BackwardContext, Delivery, GradNode } from "../feedback.js";

/**
 * The delivery of `text` to `target`, with the exchange as its context; undefined when the text says no change is
 * needed (see `isNoChange`), because such a reply is not feedback and must not cost an optimizer call.
 */
export function feedbackDelivery(ctx: BackwardContext, target: GradNode, exchangeKind: "llm" | "function", exchange: string, text: string): Delivery | undefined {
  const trimmed = text.trim();
  if (isNoChange(trimmed)) return undefined;
  return {
    target,
    gradient: { text: trimmed, from: ctx.output.role, context: { kind: exchangeKind, conversation: exchange, usedAs: ctx.output.role } },
  };
}

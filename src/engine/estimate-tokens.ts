/**
 * @module engine/estimate-tokens
 * The rough token estimate used wherever a real count is missing: one token per four characters. It errs high for
 * English prose, which is the safe side for budgets.
 */
import type { ChatMessage } from "./types.js";

/** ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** ceil(characters of all message contents / 4). */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) chars += message.content.length;
  return Math.ceil(chars / 4);
}

/**
 * @module engine/estimate-tokens
 * The rough token estimate used wherever a real count is missing: one token per four characters. It errs high for
 * English prose, which is the safe side for budgets.
 */
import { requestMessages, type ChatMessage, type EngineRequest, type Usage } from "./types.js";

/** ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** ceil(characters of all message contents / 4). */
export function estimateMessageTokens(messages: readonly Pick<ChatMessage, "content">[]): number {
  let chars = 0;
  for (const message of messages) chars += message.content.length;
  return Math.ceil(chars / 4);
}

/** Estimated usage of one call: every message of `request` as input, `reply` as output. For engines that count nothing. */
export function estimateUsage(request: EngineRequest, reply: string): Usage {
  const inputTokens = estimateMessageTokens(requestMessages(request));
  const outputTokens = estimateTokens(reply);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

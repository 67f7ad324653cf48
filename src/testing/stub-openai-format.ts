/**
 * @module testing/stub-openai-format
 * Which wire format a stub reply is written in — Chat Completions or Responses, plain or streamed — and OpenAI's error
 * body. The formats themselves are in `stub-chat-format.ts` and `stub-responses-format.ts`.
 */
import { chatCompletionBody, chatCompletionEvents } from "./stub-chat-format.js";
import type { StubRequest } from "./stub-openai-request.js";
import type { ReplyMessage } from "./stub-reply-message.js";
import { responsesBody, responsesEvents } from "./stub-responses-format.js";

type Json = Record<string, unknown>;

/** A complete (non-streamed) reply body for `request`. */
export function replyBody(request: StubRequest, message: ReplyMessage): Json {
  const created = Math.floor(Date.now() / 1000);
  return request.path.endsWith("/responses") ? responsesBody(request, message, created) : chatCompletionBody(request, message, created);
}

/** The server-sent events of a streamed reply (each already formatted as `data: …\n\n`). */
export function replyEvents(request: StubRequest, message: ReplyMessage): string[] {
  const created = Math.floor(Date.now() / 1000);
  return request.path.endsWith("/responses") ? responsesEvents(request, message, created) : chatCompletionEvents(request, message, created);
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type: string): Json {
  return { error: { message, type, param: null, code: null } };
}

/**
 * @module testing/stub-chat-format
 * Chat Completions replies of the stub server, plain and streamed, with text and tool calls in OpenAI's shapes
 * (`message.tool_calls`, `delta.tool_calls` chunks, finish_reason "tool_calls"). Only fields clients read are produced.
 */
import { estimateMessageTokens } from "../engine/estimate-tokens.js";
import type { StubRequest } from "./stub-openai-request.js";
import { completionTokens, newId, streamPieces, type ReplyMessage } from "./stub-reply-message.js";

type Json = Record<string, unknown>;

/** A complete `chat.completion` body. */
export function chatCompletionBody(request: StubRequest, message: ReplyMessage, created: number): Json {
  const calls = message.toolCalls;
  const assistant: Json = { role: "assistant", content: message.content ?? null, refusal: null };
  if (calls.length > 0) {
    assistant.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id: newId("chatcmpl"),
    object: "chat.completion",
    created,
    model: request.model,
    choices: [{ index: 0, message: assistant, logprobs: null, finish_reason: calls.length > 0 ? "tool_calls" : "stop" }],
    usage: usage(request, message),
  };
}

/**
 * The `chat.completion.chunk` events of a streamed reply: the role, the text in pieces, then per tool call one chunk
 * with its index, id, type and name followed by its arguments in pieces, the finish reason, usage when asked for
 * (`stream_options.include_usage`), and `[DONE]`.
 */
export function chatCompletionEvents(request: StubRequest, message: ReplyMessage, created: number): string[] {
  const id = newId("chatcmpl");
  const chunk = (choices: Json[], extra: Json = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices, ...extra })}\n\n`;
  const delta = (d: Json) => chunk([{ index: 0, delta: d, finish_reason: null }]);
  const events = [
    delta({ role: "assistant", content: message.content === undefined ? null : "" }),
    ...streamPieces(message.content ?? "").map((content) => delta({ content })),
  ];
  message.toolCalls.forEach((call, index) => {
    events.push(delta({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }));
    for (const piece of streamPieces(call.arguments)) events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk([{ index: 0, delta: {}, finish_reason: message.toolCalls.length > 0 ? "tool_calls" : "stop" }]));
  const wantsUsage = ((request.body as Json | undefined)?.stream_options as Json | undefined)?.include_usage === true;
  if (wantsUsage) events.push(chunk([], { usage: usage(request, message) }));
  events.push("data: [DONE]\n\n");
  return events;
}

function usage(request: StubRequest, message: ReplyMessage): Json {
  const prompt = estimateMessageTokens(request.messages);
  const completion = completionTokens(message);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

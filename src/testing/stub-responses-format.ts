/**
 * @module testing/stub-responses-format
 * Responses API replies of the stub server, plain and streamed: a `message` output item for the text and one
 * `function_call` output item per tool call, with the events clients read while streaming.
 */
import { estimateMessageTokens } from "../engine/estimate-tokens.js";
import type { StubRequest } from "./stub-openai-request.js";
import { completionTokens, newId, streamPieces, type ReplyMessage } from "./stub-reply-message.js";

type Json = Record<string, unknown>;

/** A complete `response` object. */
export function responsesBody(request: StubRequest, message: ReplyMessage, created: number): Json {
  const prompt = estimateMessageTokens(request.messages);
  const completion = completionTokens(message);
  const output: Json[] = [];
  if (message.content !== undefined) {
    output.push({
      type: "message",
      id: newId("msg"),
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: message.content, annotations: [] }],
    });
  }
  for (const call of message.toolCalls) {
    output.push({ type: "function_call", id: newId("fc", "_"), call_id: call.id, name: call.name, arguments: call.arguments, status: "completed" });
  }
  return {
    id: newId("resp"),
    object: "response",
    created_at: created,
    status: "completed",
    model: request.model,
    output,
    usage: {
      input_tokens: prompt,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: completion,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: prompt + completion,
    },
  };
}

/**
 * The events of a streamed reply: `response.created`, then per output item `response.output_item.added`, its text
 * (`response.output_text.delta`) or arguments (`response.function_call_arguments.delta` and `.done`) in pieces,
 * `response.output_item.done`, and finally `response.completed` with the whole response.
 */
export function responsesEvents(request: StubRequest, message: ReplyMessage, created: number): string[] {
  const final = responsesBody(request, message, created);
  const items = final.output as Json[];
  const events: Json[] = [{ type: "response.created", response: { ...final, status: "in_progress", output: [] } }];
  items.forEach((item, output_index) => {
    if (item.type === "message") {
      const text = message.content ?? "";
      events.push(
        { type: "response.output_item.added", output_index, item: { ...item, status: "in_progress", content: [] } },
        ...streamPieces(text).map((delta) => ({ type: "response.output_text.delta", item_id: item.id, output_index, content_index: 0, delta })),
      );
    } else {
      const args = String(item.arguments);
      events.push(
        { type: "response.output_item.added", output_index, item: { ...item, status: "in_progress", arguments: "" } },
        ...streamPieces(args).map((delta) => ({ type: "response.function_call_arguments.delta", item_id: item.id, output_index, delta })),
        { type: "response.function_call_arguments.done", item_id: item.id, output_index, arguments: args },
      );
    }
    events.push({ type: "response.output_item.done", output_index, item });
  });
  events.push({ type: "response.completed", response: final });
  return events.map((event, i) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`);
}

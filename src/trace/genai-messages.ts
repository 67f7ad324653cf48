/**
 * @module trace/genai-messages
 * The OTel GenAI message format (`gen_ai.input.messages` / `gen_ai.output.messages`, JSON strings on spans) and the
 * conversion both ways between it and {@link RecordedMessage}. Message ids are kept as a top-level `id` on the
 * message (the format has no slot for them; the graph builder needs them for message_id edges).
 */
import type { RecordedMessage } from "./module-call.js";
import { boundText } from "./safe-text.js";

/** One part of a GenAI message. */
export type GenAiPart =
  | { readonly type: "text"; readonly content: string }
  | { readonly type: "tool_call"; readonly id: string; readonly name: string; readonly arguments: unknown }
  | { readonly type: "tool_call_response"; readonly id: string; readonly result: unknown };

/** One GenAI message: `{ role, parts }`, plus `finish_reason` on outputs and our `id`. */
export interface GenAiMessage {
  readonly role: string;
  readonly parts: readonly GenAiPart[];
  readonly id?: string;
  readonly finish_reason?: string;
}

/**
 * RecordedMessages in the GenAI format. Tool results become a `tool_call_response` part, requested tool calls
 * `tool_call` parts (arguments parsed back to JSON when they are JSON).
 *
 * @example
 * toGenAiMessages([{ role: "user", content: "Hi" }]); // [{ role: "user", parts: [{ type: "text", content: "Hi" }] }]
 */
export function toGenAiMessages(messages: readonly RecordedMessage[]): GenAiMessage[] {
  return messages.map((m) => {
    const parts: GenAiPart[] = [];
    if (m.toolCallId !== undefined) parts.push({ type: "tool_call_response", id: m.toolCallId, result: boundText(m.content) });
    else if (m.content !== "" || !m.toolCalls?.length) parts.push({ type: "text", content: boundText(m.content) });
    for (const call of m.toolCalls ?? []) parts.push({ type: "tool_call", id: call.id, name: call.name, arguments: parseLoose(call.arguments) });
    return m.id === undefined ? { role: m.role, parts } : { role: m.role, parts, id: m.id };
  });
}

/**
 * The JSON text of {@link toGenAiMessages}`(messages)` (each message with `finish_reason` when given), written directly:
 * it is on every model call's span, and building the objects only to serialize them costs about twice as much.
 */
export function genAiMessagesJson(messages: readonly RecordedMessage[], finishReason?: string): string {
  let out = "[";
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const text = messageJson(m, finishReason);
    // anything but the usual string fields: as JSON.stringify writes the message object
    out += (i > 0 ? "," : "") + (text ?? JSON.stringify(withFinish(toGenAiMessages([m])[0]!, finishReason)));
  }
  return `${out}]`;
}

function messageJson(m: RecordedMessage, finishReason: string | undefined): string | undefined {
  if (typeof m.role !== "string" || typeof m.content !== "string" || (m.id !== undefined && typeof m.id !== "string")) return undefined;
  const q = JSON.stringify;
  let parts = "";
  if (m.toolCallId !== undefined) {
    if (typeof m.toolCallId !== "string") return undefined;
    parts = `{"type":"tool_call_response","id":${q(m.toolCallId)},"result":${q(boundText(m.content))}}`;
  } else if (m.content !== "" || !m.toolCalls?.length) parts = `{"type":"text","content":${q(boundText(m.content))}}`;
  for (const call of m.toolCalls ?? []) {
    if (typeof call.id !== "string" || typeof call.name !== "string" || typeof call.arguments !== "string") return undefined;
    const args = q(parseLoose(call.arguments));
    parts += `${parts === "" ? "" : ","}{"type":"tool_call","id":${q(call.id)},"name":${q(call.name)},"arguments":${args}}`;
  }
  const id = m.id === undefined ? "" : `,"id":${q(m.id)}`;
  const finish = finishReason === undefined ? "" : `,"finish_reason":${q(finishReason)}`;
  return `{"role":${q(m.role)},"parts":[${parts}]${id}${finish}}`;
}

function withFinish(message: GenAiMessage, finishReason: string | undefined): GenAiMessage {
  return finishReason === undefined ? message : { ...message, finish_reason: finishReason };
}

/**
 * GenAI messages (an array or its JSON string) as RecordedMessages; tolerant of missing fields and of the older
 * `{ role, content }` shape. Returns undefined when `value` is not a message list.
 */
export function fromGenAiMessages(value: unknown): RecordedMessage[] | undefined {
  const list = typeof value === "string" ? parseLoose(value) : value;
  if (!Array.isArray(list)) return undefined;
  const out: RecordedMessage[] = [];
  for (const raw of list) {
    if (typeof raw !== "object" || raw === null) continue;
    const m = raw as Record<string, unknown>;
    const role = typeof m.role === "string" ? m.role : "user";
    const texts: string[] = [];
    const toolCalls: { id: string; name: string; arguments: string }[] = [];
    let toolCallId: string | undefined = typeof m.tool_call_id === "string" ? m.tool_call_id : undefined;
    const parts = Array.isArray(m.parts) ? m.parts : [];
    for (const p of parts as Record<string, unknown>[]) {
      if (typeof p !== "object" || p === null) continue;
      if (p.type === "tool_call") toolCalls.push({ id: str(p.id), name: str(p.name), arguments: textOf(p.arguments) });
      else if (p.type === "tool_call_response") {
        toolCallId = str(p.id);
        texts.push(textOf(p.result ?? p.response));
      } else if (p.content !== undefined) texts.push(textOf(p.content));
    }
    if (parts.length === 0 && m.content !== undefined) texts.push(textOf(m.content));
    const message: { -readonly [K in keyof RecordedMessage]: RecordedMessage[K] } = { role, content: texts.join("\n") };
    if (typeof m.id === "string" && m.id !== "") message.id = m.id;
    if (toolCallId !== undefined) message.toolCallId = toolCallId;
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    out.push(message);
  }
  return out;
}

/**
 * A call's input as one text: the non-system messages — a lone message's content as is, several as `role: content`
 * blocks, requested tool calls rendered as in {@link replyText}. Writers and readers share it, so a span's `input.value` and a re-read call's `input` agree.
 */
export function messagesText(messages: readonly RecordedMessage[]): string {
  const rest = messages.filter((m) => m.role !== "system");
  return rest.length === 1 ? replyText(rest) : rest.map((m) => `${m.role}: ${replyText([m])}`).join("\n\n");
}

/**
 * A reply as one text: the assistant messages' contents, plus one `[tool call name(arguments)]` line per requested
 * tool call, so a reply that only calls tools is not empty (its text is what feedback is written about).
 */
export function replyText(messages: readonly RecordedMessage[]): string {
  const blocks: string[] = [];
  for (const m of messages) {
    if (m.content !== "") blocks.push(m.content);
    for (const call of m.toolCalls ?? []) blocks.push(`[tool call ${call.name}(${call.arguments})]`);
  }
  return blocks.join("\n\n");
}

/** `gen_ai.system_instructions` as text: the JSON parts' contents joined, or the attribute itself when it is plain text. */
export function systemInstructionsText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseLoose(value);
  if (!Array.isArray(parsed)) return value;
  const texts = parsed.map((p) => (typeof p === "string" ? p : textOf((p as Record<string, unknown> | null)?.content)));
  return texts.join("\n");
}

/** `messages` with the system prompt first, unless a system message is already there (for {@link ModuleCall.messages}). */
export function withSystemMessage(messages: readonly RecordedMessage[], system: string | undefined): RecordedMessage[] {
  if (system === undefined || messages.some((m) => m.role === "system")) return [...messages];
  return [{ role: "system", content: system }, ...messages];
}

/** JSON text parsed when it is JSON, else the text itself (attributes may hold either); undefined stays undefined. */
export function parseLoose(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Text of any JSON-ish value: strings as they are, undefined/null as "", everything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  try {
    return JSON.stringify(value);
  } catch {
    // BigInt, circular or too deeply nested values: String() may overflow on the same nesting
    try {
      return String(value);
    } catch {
      return "";
    }
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

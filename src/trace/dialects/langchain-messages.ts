/**
 * @module trace/dialects/langchain-messages
 * Messages and run inputs/outputs as LangChain serializes them into spans (LangSmith's OTel mode writes run
 * `inputs`/`outputs` as JSON): lc-constructor messages (`{ lc: 1, type: "constructor", id: [..., "AIMessage"],
 * kwargs }`), `{ type: "ai", data }` dicts and OpenAI-style `{ role, content, tool_calls }`. Message ids and tool call
 * ids are kept: they are the exact evidence for message_id and tool_call edges.
 */
import { messagesText, textOf } from "../genai-messages.js";
import type { RecordedMessage } from "../module-call.js";

const ROLES: Record<string, string> = {
  HumanMessage: "user",
  HumanMessageChunk: "user",
  human: "user",
  user: "user",
  AIMessage: "assistant",
  AIMessageChunk: "assistant",
  ai: "assistant",
  assistant: "assistant",
  SystemMessage: "system",
  system: "system",
  developer: "system",
  ToolMessage: "tool",
  ToolMessageChunk: "tool",
  tool: "tool",
  FunctionMessage: "function",
  function: "function",
};

/** True when `value` looks like one serialized chat message. */
function looksLikeMessage(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (v.lc === 1 && v.type === "constructor" && Array.isArray(v.id)) return true;
  if (typeof v.type === "string" && ROLES[v.type] !== undefined && (v.data !== undefined || v.content !== undefined)) return true;
  return typeof v.role === "string" && "content" in v;
}

/** One serialized LangChain (or OpenAI-style) message as a RecordedMessage, or undefined if it is not one. */
export function fromLangChainMessage(value: unknown): RecordedMessage | undefined {
  if (!looksLikeMessage(value)) return undefined;
  const v = value as Record<string, unknown>;
  let role: string;
  let kw: Record<string, unknown>;
  if (v.lc === 1 && Array.isArray(v.id)) {
    const cls = String(v.id[v.id.length - 1] ?? "");
    kw = (v.kwargs ?? {}) as Record<string, unknown>;
    role = cls === "ChatMessage" ? String(kw.role ?? "user") : ROLES[cls] ?? "user";
  } else if (typeof v.type === "string" && v.data !== undefined) {
    kw = (v.data ?? {}) as Record<string, unknown>;
    role = ROLES[v.type] ?? "user";
  } else {
    kw = v;
    role = ROLES[String(v.role ?? v.type)] ?? String(v.role ?? "user");
  }
  const message: { -readonly [K in keyof RecordedMessage]: RecordedMessage[K] } = { role, content: contentText(kw.content) };
  if (typeof kw.id === "string" && kw.id !== "") message.id = kw.id;
  if (typeof kw.tool_call_id === "string") message.toolCallId = kw.tool_call_id;
  const calls = toolCalls(kw);
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

/** A list of serialized messages (or a list of lists, as chat-model runs' `inputs.messages` is) as RecordedMessages. */
export function langChainMessages(value: unknown): RecordedMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const flat = value.length > 0 && Array.isArray(value[0]) ? (value[0] as unknown[]) : value;
  const out: RecordedMessage[] = [];
  for (const raw of flat) {
    const m = fromLangChainMessage(raw);
    if (m) out.push(m);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Run inputs/outputs as text: single-key wrappers (`{ input }`, `{ output }`, `{ args: [x] }`) unwrapped, message
 * lists rendered like LLM inputs, anything else as JSON.
 */
export function unwrapIo(value: unknown, depth = 0): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (depth > 4) return textOf(value);
  const asMessage = fromLangChainMessage(value);
  if (asMessage) return asMessage.content;
  if (Array.isArray(value)) {
    const messages = langChainMessages(value);
    if (messages && messages.length === (Array.isArray(value[0]) ? (value[0] as unknown[]).length : value.length)) return messagesText(messages);
    return value.length === 1 ? unwrapIo(value[0], depth + 1) : textOf(value);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k, v]) => !(k === "kwargs" && isEmpty(v)));
    if (entries.length === 1) return unwrapIo(entries[0]![1], depth + 1);
  }
  return textOf(value);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "object" && Object.keys(v as object).length === 0);
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts = content.map((block) => {
      if (typeof block === "string") return block;
      const b = (block ?? {}) as Record<string, unknown>;
      return typeof b.text === "string" ? b.text : "";
    });
    return texts.filter((t) => t !== "").join("\n");
  }
  return textOf(content);
}

function toolCalls(kw: Record<string, unknown>): { id: string; name: string; arguments: string }[] {
  const out: { id: string; name: string; arguments: string }[] = [];
  // LangChain's parsed tool_calls: [{ name, args, id }]; OpenAI's: [{ id, type: "function", function: { name, arguments } }]
  const direct = Array.isArray(kw.tool_calls) ? kw.tool_calls : (kw.additional_kwargs as Record<string, unknown> | undefined)?.tool_calls;
  if (!Array.isArray(direct)) return out;
  for (const raw of direct as Record<string, unknown>[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const fn = raw.function as Record<string, unknown> | undefined;
    out.push({
      id: String(raw.id ?? ""),
      name: String(raw.name ?? fn?.name ?? ""),
      arguments: textOf(raw.args ?? fn?.arguments ?? ""),
    });
  }
  return out;
}

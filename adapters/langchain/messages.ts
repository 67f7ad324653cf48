/**
 * @module adapters/langchain/messages
 * LangChain messages (BaseMessage instances, `{ role, content }` objects, `[role, content]` tuples) as
 * {@link RecordedMessage}s, and LangChain run values as span text. Duck-typed on purpose: the user's copy of
 * @langchain/core may not be ours (CJS/ESM duplicates), so `instanceof` would miss messages.
 */
import { messagesText, safeText, type RecordedMessage } from "../../src/trace/adapter-kit.js";

type Loose = Record<string, unknown>;

/** True for a LangChain message instance (anything with `getType()` / `_getType()`). */
export function isMessage(value: unknown): value is Loose {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Loose;
  return typeof v.getType === "function" || typeof v._getType === "function";
}

/** GenAI role of a LangChain message type: human → user, ai → assistant, developer → system, function → tool. */
export function genAiRole(type: unknown, fallback?: unknown): string {
  switch (type) {
    case "human":
    case "user":
      return "user";
    case "ai":
    case "assistant":
      return "assistant";
    case "system":
    case "developer":
      return "system";
    case "tool":
    case "function":
      return "tool";
    case "generic":
    case "chat":
      return typeof fallback === "string" && fallback !== "" ? genAiRole(fallback) : "user";
    default:
      return typeof type === "string" && type !== "" ? type : "user";
  }
}

/**
 * Text of a message content: strings as they are, content blocks by their text joined without separator (as
 * LangChain's own `message.text` does); non-text blocks (images, tool_use echoes) contribute nothing.
 */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : safeText(content).text;
  let out = "";
  for (const block of content) {
    if (typeof block === "string") out += block;
    else if (typeof block === "object" && block !== null) {
      const b = block as Loose;
      if ((b.type === "text" || b.type === "text_delta" || b.type === undefined) && typeof b.text === "string") out += b.text;
    }
  }
  return out;
}

/** One LangChain message (instance, `{ role, content }`, `[role, content]` or a bare string) as a RecordedMessage. */
export function toRecordedMessage(raw: unknown): RecordedMessage {
  if (typeof raw === "string") return { role: "user", content: raw };
  if (Array.isArray(raw)) return { role: genAiRole(raw[0]), content: contentText(raw[1]) };
  if (typeof raw !== "object" || raw === null) return { role: "user", content: safeText(raw).text };
  const m = raw as Loose;
  const type = typeof m.getType === "function" ? (m.getType as () => unknown).call(m) : typeof m._getType === "function" ? (m._getType as () => unknown).call(m) : (m.type ?? m.role);
  const role = genAiRole(type, m.role);
  const out: { -readonly [K in keyof RecordedMessage]: RecordedMessage[K] } = { role, content: contentText(m.content) };
  if (typeof m.id === "string" && m.id !== "") out.id = m.id;
  if (role === "tool" && typeof m.tool_call_id === "string") out.toolCallId = m.tool_call_id;
  if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
    out.toolCalls = m.tool_calls.map((c: Loose) => ({
      id: typeof c?.id === "string" ? c.id : "",
      name: typeof c?.name === "string" ? c.name : "",
      arguments: typeof c?.args === "string" ? c.args : safeText(c?.args ?? {}).text,
    }));
  }
  return out;
}

/** A list of LangChain messages as RecordedMessages (non-arrays give []). */
export function toRecordedMessages(list: unknown): RecordedMessage[] {
  return Array.isArray(list) ? list.map(toRecordedMessage) : [];
}

/**
 * Messages as one text: the system prompt (if any) on the first line, then {@link messagesText} of the rest. Its
 * normalized form equals the graph builder's view of an LLM call's input (system + input), so a prompt run's output
 * matches the LLM call it fed by content hash.
 */
function renderMessages(messages: readonly RecordedMessage[]): string {
  let system: string | undefined;
  for (const m of messages) if (m.role === "system") system = system === undefined ? m.content : `${system}\n\n${m.content}`;
  const rest = messagesText(messages);
  return system !== undefined ? `${system}\n${rest}` : rest;
}

/** The messages a value carries, when it is a message list, a prompt value or a `{ messages }` state. */
function messagesOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every(isMessageLike) ? value : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Loose;
  if (Array.isArray(v.messages) && v.messages.every(isMessageLike)) return v.messages;
  return undefined;
}

/**
 * A run's input or output as span text. Messages and prompt values read as conversation text, a single-key wrapper
 * (`{ input }`, `{ output }`) as its content, strings as they are; anything else as circular-safe JSON.
 * `lastMessage` reads a message list as its last message only (an agent's answer, not its whole transcript).
 */
export function valueText(value: unknown, options: { lastMessage?: boolean } = NO_OPTIONS): unknown {
  if (typeof value === "string") return value;
  if (isMessage(value)) return contentText(value.content);
  const messages = messagesOf(value);
  if (messages) {
    const records = toRecordedMessages(messages);
    if (options.lastMessage) return records[records.length - 1]?.content ?? "";
    return renderMessages(records);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Loose;
    // StringPromptValue
    if (typeof v.value === "string" && typeof v.toChatMessages === "function") return v.value;
    const key = soleKey(v);
    if (key === "input" || key === "output") return valueText(v[key], options);
  }
  return value;
}

const NO_OPTIONS: { lastMessage?: boolean } = {};

/** The only own enumerable key of `v`, when it has exactly one (found without listing the keys). */
function soleKey(v: Loose): string | undefined {
  let found: string | undefined;
  for (const key in v) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
    if (found !== undefined) return undefined;
    found = key;
  }
  return found;
}

function isMessageLike(value: unknown): boolean {
  if (isMessage(value)) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Loose;
  return typeof v.role === "string" && "content" in v;
}

/** Retrieved documents as text: their page contents separated by blank lines (non-documents as JSON). */
export function documentsText(documents: unknown): unknown {
  if (!Array.isArray(documents)) return documents;
  if (!documents.every((d) => typeof (d as Loose | null)?.pageContent === "string")) return documents;
  return documents.map((d) => (d as { pageContent: string }).pageContent).join("\n\n");
}

/**
 * @module prompts/structured-output-text
 * How a structured module output (a chat message with tool calls, a list of messages) is shown to the optimizer, and
 * the parser that reads the edited text back. The optimizer only ever edits text; these delimiters keep the parts it
 * may change (message content, tool-call arguments) apart from the parts it must not (tool names, ids, message kinds),
 * so the edited text can be turned back into a value of the same shape.
 */

/** One tool call as the optimizer sees it: the tool's name and its arguments as JSON text. */
export interface ToolCallText {
  readonly name: string;
  readonly arguments: string;
}

/** A message as the optimizer sees it: its text content and its tool calls, in order. */
export interface MessageText {
  readonly content: string;
  readonly toolCalls: readonly ToolCallText[];
}

/** `<TOOL_CALL name="…">{json}</TOOL_CALL>`: one block per tool call, after the content. */
export const TOOL_CALL_TAG = "TOOL_CALL";
/** `<MESSAGE index="i">…</MESSAGE>`: one block per message, when an output holds several. */
export const MESSAGE_TAG = "MESSAGE";

const TOOL_CALL_RE = new RegExp(`<${TOOL_CALL_TAG}\\s+name="([^"]*)"\\s*>([\\s\\S]*?)</${TOOL_CALL_TAG}>`, "g");
const MESSAGE_RE = new RegExp(`<${MESSAGE_TAG}\\s+index="(\\d+)"\\s*>([\\s\\S]*?)</${MESSAGE_TAG}>`, "g");

/**
 * Renders a message for editing: its content, then each tool call as a `<TOOL_CALL name="…">` block holding its JSON
 * arguments (pretty-printed so single values are easy to change).
 *
 * @example
 * renderMessageText({ content: "", toolCalls: [{ name: "book", arguments: '{"time":"09:00"}' }] });
 * // '<TOOL_CALL name="book">\n{\n  "time": "09:00"\n}\n</TOOL_CALL>'
 */
export function renderMessageText(message: MessageText): string {
  const blocks = message.content === "" ? [] : [message.content];
  for (const call of message.toolCalls) blocks.push(`<${TOOL_CALL_TAG} name="${call.name}">\n${prettyJson(call.arguments)}\n</${TOOL_CALL_TAG}>`);
  return blocks.join("\n\n");
}

/** Reads text written in the {@link renderMessageText} form: the content outside the blocks, and the blocks in order. */
export function parseMessageText(text: string): MessageText {
  const toolCalls: ToolCallText[] = [];
  for (const m of text.matchAll(TOOL_CALL_RE)) toolCalls.push({ name: m[1]!, arguments: m[2]!.trim() });
  return { content: text.replace(TOOL_CALL_RE, "").trim(), toolCalls };
}

/** Renders several messages for editing, each in a `<MESSAGE index="i">` block (one message is rendered bare). */
export function renderMessagesText(messages: readonly string[]): string {
  if (messages.length === 1) return messages[0]!;
  return messages.map((m, i) => `<${MESSAGE_TAG} index="${i}">\n${m}\n</${MESSAGE_TAG}>`).join("\n\n");
}

/**
 * Reads text written in the {@link renderMessagesText} form for `count` messages: each message's text by index, or
 * undefined for a message whose block is missing (the caller keeps that message as it was).
 */
export function parseMessagesText(text: string, count: number): Array<string | undefined> {
  if (count === 1) return [text];
  const out: Array<string | undefined> = new Array<string | undefined>(count).fill(undefined);
  for (const m of text.matchAll(MESSAGE_RE)) {
    const i = Number(m[1]);
    if (i < count && out[i] === undefined) out[i] = m[2]!.trim();
  }
  return out;
}

/**
 * The constraint the optimizer gets with a structured value: what it may change and what it must keep, so that the
 * edit can be turned back into the same kind of value.
 */
export function structuredOutputConstraint(hasToolCalls: boolean): string {
  const parts = [`Keep the structure of the value: every <${MESSAGE_TAG} index="…"> block stays, with its index.`];
  if (hasToolCalls) {
    parts.push(
      `Every <${TOOL_CALL_TAG} name="…"> block stays, in the same order and with the same name; inside it write only the tool's arguments as one JSON object. Change argument values that are wrong; do not describe the call in prose.`,
    );
  }
  return parts.join(" ");
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * @module optim/editable-value
 * A module's output as text the optimizer can edit, and the way back: the edited text rebuilt into a value of the
 * same shape. Refinement used to replay the edited *text*, so a model reply with tool calls came back as a plain
 * message (the tool never ran) and a LangGraph node update came back as a string (the graph rejected it, or its
 * messages reducer read it as a human message). Here the text is what is inside the value — message contents and
 * tool-call arguments, never its serialized JSON — and `rebuild` puts the edit back into a copy of the original.
 *
 * LangChain values are duck-typed and rebuilt with their own constructors: the user's copy of @langchain/core (or
 * @langchain/langgraph) may not be ours, and its reducers check the class they know.
 */
import { parseMessagesText, parseMessageText, renderMessagesText, renderMessageText, structuredOutputConstraint, type ToolCallText } from "../prompts/structured-output-text.js";
import { checkArguments, type ToolSpec } from "./tool-specs.js";

/** The outcome of {@link EditableValue.rebuild}: the new value, and what of the edit could not be used (and was kept as it was). */
export interface RebuiltValue {
  readonly value: unknown;
  readonly issues: readonly string[];
}

/** A value as editable text. */
export interface EditableValue {
  /** What the optimizer edits. */
  readonly text: string;
  /** True when `text` is not the value itself (a message, a state update, a Command, JSON): edits must keep its form. */
  readonly structured: boolean;
  /** Constraints the optimizer needs to keep the form (empty for plain text). */
  readonly constraints: readonly string[];
  /** The value with `text` edited in. Parts of the edit that do not fit (a broken tool call) keep their old value and are named in `issues`. */
  rebuild(text: string): RebuiltValue;
}

/** Options of {@link toEditable}. */
export interface ToEditableOptions {
  /** The tools the value's tool calls may call; edited arguments are checked against their schemas. */
  readonly tools?: readonly ToolSpec[];
  /** The text of a value that is neither a string nor a known structure (its span text). Default: its JSON. */
  readonly fallbackText?: string;
}

type Loose = Record<string, unknown>;
interface CallPart { readonly id: unknown; readonly name: string; readonly args: unknown }

/**
 * `value` as editable text: strings as they are; a LangChain message (or a recorded `{ role, content, toolCalls }`
 * message) as its content and `<TOOL_CALL>` blocks; a `{ messages: [...] }` state update or a LangGraph `Command`
 * carrying one as its messages; plain JSON as indented JSON; anything else as `fallbackText`, replayed as text.
 *
 * @example
 * const editable = toEditable(new AIMessage({ content: "", tool_calls: [{ id: "c1", name: "book", args: { time: "09:00" } }] }));
 * editable.text; // '<TOOL_CALL name="book">\n{\n  "time": "09:00"\n}\n</TOOL_CALL>'
 * editable.rebuild(editable.text.replace("09:00", "10:00")).value; // an AIMessage calling book({ time: "10:00" }), id c1
 */
export function toEditable(value: unknown, options: ToEditableOptions = {}): EditableValue {
  if (typeof value === "string") return plain(value, (text) => text);
  const single = messageEditable(value, options);
  if (single) return single;
  const update = stateUpdateEditable(value, options);
  if (update) return update;
  if (isCommand(value)) {
    const inner = stateUpdateEditable((value as Loose).update, options);
    if (inner) {
      const Ctor = (value as object).constructor as new (args: Loose) => unknown;
      const c = value as Loose;
      return {
        ...inner,
        rebuild: (text) => {
          const rebuilt = inner.rebuild(text);
          return { value: new Ctor({ update: rebuilt.value, goto: c.goto, graph: c.graph, resume: c.resume }), issues: rebuilt.issues };
        },
      };
    }
  }
  if (isPlainJson(value)) {
    const original = JSON.stringify(value, null, 2);
    return {
      text: original,
      structured: true,
      constraints: ["The value is JSON: keep it one valid JSON value of the same shape; change only what is wrong."],
      rebuild: (text) => {
        try {
          return { value: JSON.parse(stripFence(text)) as unknown, issues: [] };
        } catch {
          return { value, issues: ["the edited JSON did not parse; the value was kept as it was"] };
        }
      },
    };
  }
  const text = options.fallbackText ?? safeJson(value);
  return plain(text, (t) => t);
}

function plain(text: string, rebuild: (text: string) => unknown): EditableValue {
  return { text, structured: false, constraints: [], rebuild: (t) => ({ value: rebuild(t), issues: [] }) };
}

/** A LangChain message (anything with getType()/_getType()). */
function isLangChainMessage(value: unknown): value is Loose {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Loose;
  return typeof v.getType === "function" || typeof v._getType === "function";
}

/** A message as tracegrad records it (ModuleCall.outputMessages): `{ role, content: string, toolCalls? }`. */
function isRecordedMessage(value: unknown): value is Loose {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isLangChainMessage(value)) return false;
  const v = value as Loose;
  return typeof v.role === "string" && typeof v.content === "string";
}

function isCommand(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Loose).lg_name === "Command";
}

function messageEditable(value: unknown, options: ToEditableOptions): EditableValue | undefined {
  if (isLangChainMessage(value)) {
    const calls: CallPart[] = Array.isArray(value.tool_calls)
      ? (value.tool_calls as Loose[]).map((c) => ({ id: c?.id, name: String(c?.name ?? ""), args: c?.args ?? {} }))
      : [];
    const content = contentText(value.content);
    return messageLike(content, calls, options, (newContent, newCalls) => rebuildLangChainMessage(value, content, newContent, calls, newCalls));
  }
  if (isRecordedMessage(value)) {
    const recorded = Array.isArray(value.toolCalls) ? (value.toolCalls as Loose[]) : [];
    const calls: CallPart[] = recorded.map((c) => ({ id: c.id, name: String(c.name ?? ""), args: parseJson(String(c.arguments ?? "{}")) ?? {} }));
    return messageLike(value.content as string, calls, options, (newContent, newCalls) => {
      const out: Loose = { ...value, content: newContent };
      if (recorded.length > 0) out.toolCalls = newCalls.map((c, i) => ({ ...recorded[i], id: c.id, name: c.name, arguments: JSON.stringify(c.args) }));
      return out;
    });
  }
  return undefined;
}

function messageLike(
  content: string,
  calls: readonly CallPart[],
  options: ToEditableOptions,
  make: (content: string, calls: readonly CallPart[]) => unknown,
): EditableValue {
  const text = renderMessageText({ content, toolCalls: calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.args) })) });
  if (calls.length === 0) return { text, structured: true, constraints: [], rebuild: (t) => ({ value: make(t.trim(), []), issues: [] }) };
  return {
    text,
    structured: true,
    constraints: [structuredOutputConstraint(true)],
    rebuild: (t) => {
      const parsed = parseMessageText(t);
      const issues: string[] = [];
      const newCalls = calls.map((c, i) => editCall(c, parsed.toolCalls[i], i, options.tools, issues));
      if (parsed.toolCalls.length > calls.length) issues.push(`the edit added ${parsed.toolCalls.length - calls.length} tool call(s); only the original ${calls.length} were kept`);
      return { value: make(parsed.content, newCalls), issues };
    },
  };
}

/** One tool call after the edit: the edited arguments when they parse and fit the tool's schema, else the original. */
function editCall(original: CallPart, edited: ToolCallText | undefined, index: number, tools: readonly ToolSpec[] | undefined, issues: string[]): CallPart {
  const label = `tool call ${index} (${original.name})`;
  if (!edited) {
    issues.push(`${label} was missing from the edit; the original call was kept`);
    return original;
  }
  if (edited.name !== original.name) {
    issues.push(`${label}: the edit renamed the tool to "${edited.name}"; the original call was kept`);
    return original;
  }
  const args = parseJson(stripFence(edited.arguments));
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    issues.push(`${label}: the edited arguments are not a JSON object; the original call was kept`);
    return original;
  }
  const spec = tools?.find((t) => t.name === original.name);
  const problem = spec?.parameters ? checkArguments(args, spec.parameters) : undefined;
  if (problem) {
    issues.push(`${label}: the edited arguments do not fit the tool's schema (${problem}); the original call was kept`);
    return original;
  }
  return { ...original, args };
}

function rebuildLangChainMessage(message: Loose, oldContent: string, content: string, oldCalls: readonly CallPart[], calls: readonly CallPart[]): unknown {
  const Ctor = (message as object).constructor as new (fields: Loose) => unknown;
  const kwargs = (typeof message.lc_kwargs === "object" && message.lc_kwargs !== null ? message.lc_kwargs : {}) as Loose;
  const fields: Loose = { ...kwargs };
  // content blocks (images, reasoning) survive when the text was not edited
  fields.content = content === oldContent ? message.content : content;
  for (const key of ["id", "name", "response_metadata", "usage_metadata", "tool_call_id"] as const) if (message[key] !== undefined) fields[key] = message[key];
  if (oldCalls.length > 0) {
    fields.tool_calls = calls.map((c) => ({ id: c.id, name: c.name, args: c.args, type: "tool_call" }));
    // provider-format copies of the calls would disagree with the edited ones
    const extra = { ...((message.additional_kwargs ?? {}) as Loose) };
    delete extra.tool_calls;
    delete extra.function_call;
    fields.additional_kwargs = extra;
    delete fields.tool_call_chunks;
  }
  return new Ctor(fields);
}

/** `{ messages: [LangChain messages…], …rest }`: the messages are edited, the other keys kept. */
function stateUpdateEditable(value: unknown, options: ToEditableOptions): EditableValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isLangChainMessage(value)) return undefined;
  const list = (value as Loose).messages;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isLangChainMessage)) return undefined;
  const parts = list.map((m) => messageEditable(m, options)!);
  const text = renderMessagesText(parts.map((p) => p.text));
  const constraints = list.length > 1 || parts.some((p) => p.constraints.length > 0) ? [structuredOutputConstraint(parts.some((p) => p.constraints.length > 0))] : [];
  return {
    text,
    structured: true,
    constraints,
    rebuild: (t) => {
      const texts = parseMessagesText(t, list.length);
      const issues: string[] = [];
      const messages = list.map((m, i) => {
        const edited = texts[i];
        if (edited === undefined) {
          issues.push(`message ${i} was missing from the edit; it was kept as it was`);
          return m;
        }
        const rebuilt = parts[i]!.rebuild(edited);
        issues.push(...rebuilt.issues.map((x) => (list.length > 1 ? `message ${i}: ${x}` : x)));
        return rebuilt.value;
      });
      return { value: { ...(value as Loose), messages }, issues };
    },
  };
}

/** Text of a message content: a string, or the text blocks of a content list joined (as LangChain's `.text` does). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (typeof b === "string" ? b : typeof (b as Loose | null)?.text === "string" ? String((b as Loose).text) : "")).join("");
}

function isPlainJson(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false; // circular
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Optimizers like to fence JSON in ```json blocks; the fence is not part of the value. */
function stripFence(text: string): string {
  const m = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return m ? m[1]! : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

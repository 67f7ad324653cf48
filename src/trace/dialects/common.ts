/**
 * @module trace/dialects/common
 * What every dialect reader shares: the span fields that do not depend on the dialect, typed attribute getters that
 * never throw, and tolerant JSON parsing that turns a malformed attribute into a warning instead of an exception.
 */
import type { Usage } from "../../engine/types.js";
import { EXCEPTION } from "../attributes.js";
import type { CallKind, Dialect, LlmModuleCall, ModuleCall, ModuleCallBase, RecordedMessage, ToolModuleCall } from "../module-call.js";
import { hrTimeToMs, parentIdOf, type SpanAttributesLike, type SpanLike } from "../span-like.js";

/** Reports a problem with the span being read (read-calls prefixes the span's name and id). */
export type Warn = (problem: string) => void;

/** The dialect-independent part of a call. */
export type CallBase = Pick<ModuleCallBase, "spanId" | "traceId" | "parentSpanId" | "name" | "startTime" | "endTime" | "error" | "attributes">;

/**
 * What a dialect reader contributes to a call (undefined fields are left out of the record). `system`, `messages` and
 * `outputMessages` are kept only on LLM calls and `toolCallId` only on tool calls, so readers need not branch.
 */
export interface CallFields {
  readonly kind: CallKind;
  readonly input: string;
  readonly output: string;
  /** Overrides the span name (e.g. a tool's or agent's own name). */
  readonly name?: string | undefined;
  readonly params?: ModuleCallBase["params"] | undefined;
  readonly inputRefs?: ModuleCallBase["inputRefs"] | undefined;
  readonly system?: string | undefined;
  readonly messages?: LlmModuleCall["messages"] | undefined;
  readonly outputMessages?: LlmModuleCall["outputMessages"] | undefined;
  readonly toolCallId?: string | undefined;
  readonly model?: string | undefined;
  readonly usage?: ModuleCallBase["usage"] | undefined;
  readonly valueId?: string | undefined;
  readonly moduleId?: string | undefined;
  readonly callIndex?: number | undefined;
  readonly role?: string | undefined;
  readonly replayed?: boolean | undefined;
  readonly replayable?: boolean | undefined;
}

/** One span convention: how to recognise it and how to read a span written in it. */
export interface DialectReader {
  readonly dialect: Dialect;
  matches(attributes: SpanAttributesLike): boolean;
  read(span: SpanLike, base: CallBase, warn: Warn): CallFields;
}

/** The fields every call has, whatever its dialect. */
export function callBase(span: SpanLike): CallBase {
  const { traceId, spanId } = span.spanContext();
  return {
    spanId,
    traceId,
    parentSpanId: parentIdOf(span),
    name: span.name,
    startTime: hrTimeToMs(span.startTime),
    endTime: hrTimeToMs(span.endTime),
    error: errorOf(span),
    attributes: span.attributes,
  };
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The record. Built field by field in one fixed order rather than by object spread: spreads of these records cost
 * microseconds each in V8, which dominated reading 100k spans; undefined fields are left out.
 */
export function makeCall(base: CallBase, dialect: Dialect, f: CallFields): ModuleCall {
  type Mutable<T> = { -readonly [K in keyof T]: T[K] };
  const call: Mutable<ModuleCallBase> & Partial<Mutable<Omit<LlmModuleCall, "kind">>> & Partial<Mutable<Omit<ToolModuleCall, "kind">>> = {
    spanId: base.spanId,
    traceId: base.traceId,
    name: f.name ?? base.name,
    kind: f.kind,
    dialect,
    startTime: base.startTime,
    endTime: base.endTime,
    input: f.input,
    output: f.output,
    params: f.params ?? NONE,
    inputRefs: f.inputRefs ?? NONE,
    attributes: base.attributes,
  };
  if (base.parentSpanId !== undefined) call.parentSpanId = base.parentSpanId;
  if (base.error !== undefined) call.error = base.error;
  if (f.kind === "llm") {
    if (f.system !== undefined) call.system = f.system;
    if (f.messages !== undefined) call.messages = f.messages;
    if (f.outputMessages !== undefined) call.outputMessages = f.outputMessages;
  }
  if (f.kind === "tool" && f.toolCallId !== undefined) call.toolCallId = f.toolCallId;
  if (f.model !== undefined) call.model = f.model;
  if (f.usage !== undefined) call.usage = f.usage;
  if (f.valueId !== undefined) call.valueId = f.valueId;
  if (f.moduleId !== undefined) call.moduleId = f.moduleId;
  if (f.callIndex !== undefined) call.callIndex = f.callIndex;
  if (f.role !== undefined) call.role = f.role;
  if (f.replayed !== undefined) call.replayed = f.replayed;
  if (f.replayable !== undefined) call.replayable = f.replayable;
  // the kind decides which of the kind-specific fields were copied above
  return call as ModuleCall;
}

/** The span's error message when its status is ERROR (status message, else the exception event's message). */
function errorOf(span: SpanLike): string | undefined {
  if (span.status?.code !== 2) return undefined;
  if (span.status.message) return span.status.message;
  const exception = span.events?.find((e) => e.name === "exception");
  const message = exception?.attributes?.[EXCEPTION.message];
  return typeof message === "string" && message !== "" ? message : "error";
}

/** A string attribute (numbers and booleans stringified), or undefined. */
export function str(attrs: SpanAttributesLike, key: string): string | undefined {
  const v = attrs[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A numeric attribute (numeric strings accepted), or undefined. */
export function num(attrs: SpanAttributesLike, key: string): number | undefined {
  const v = attrs[key];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A string-array attribute (a single string becomes a one-element array), or []. */
export function strList(attrs: SpanAttributesLike, key: string): string[] {
  const v = attrs[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/**
 * True when some key is `prefix` followed by an index, as in the legacy `gen_ai.prompt.0.content`: a bare prefix
 * match would also take the current convention's `gen_ai.prompt.name` (a registry prompt's name) for a legacy field.
 */
export function hasIndexedPrefix(attrs: SpanAttributesLike, prefix: string): boolean {
  for (const key in attrs) {
    if (!key.startsWith(prefix)) continue;
    const c = key.charCodeAt(prefix.length);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Parses a JSON attribute; a malformed one is reported and read as undefined. */
export function parseJson(attrs: SpanAttributesLike, key: string, warn: Warn): unknown {
  const text = str(attrs, key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    warn(`${key} is not valid JSON; ignored`);
    return undefined;
  }
}

/** The values of an index-keyed map (flattened `prefix.{i}.…` attributes, read in key order), in index order. */
export function inIndexOrder<T>(byIndex: ReadonlyMap<number, T>): T[] {
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** A message read from flattened, index-keyed attributes, before it is assembled. */
export interface MessageDraft {
  readonly id?: string;
  readonly toolCallId?: string;
  /** Tool calls by index, each with the sub-fields found so far. */
  readonly calls: ReadonlyMap<number, { readonly id?: string; readonly name?: string; readonly arguments?: string }>;
}

/** Assembles a draft into a RecordedMessage; each dialect decides the role and content (their defaults differ). */
export function draftToMessage(draft: MessageDraft, role: string, content: string): RecordedMessage {
  const message: { -readonly [K in keyof RecordedMessage]: RecordedMessage[K] } = { role, content };
  if (draft.id) message.id = draft.id;
  if (draft.toolCallId) message.toolCallId = draft.toolCallId;
  const calls = inIndexOrder(draft.calls).map((c) => ({ id: c.id ?? "", name: c.name ?? "", arguments: c.arguments ?? "" }));
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

/** Usage from input/output token counts, when at least one is known. */
export function usageOf(input: number | undefined, output: number | undefined, total?: number): Usage | undefined {
  if (input === undefined && output === undefined) return undefined;
  const i = input ?? 0;
  const o = output ?? 0;
  return { inputTokens: i, outputTokens: o, totalTokens: total ?? i + o };
}

/** Gives the first assistant output message the response id when it has none (OpenAI: AIMessage.id = response id). */
export function withResponseId(messages: readonly RecordedMessage[], responseId: string | undefined): RecordedMessage[] {
  if (responseId === undefined || messages.length === 0 || messages.some((m) => m.id !== undefined)) return [...messages];
  const [first, ...rest] = messages;
  return [{ ...first!, id: responseId }, ...rest];
}

/** The system prompt among messages (system messages joined), or undefined. */
export function systemOf(messages: readonly RecordedMessage[]): string | undefined {
  const parts = messages.filter((m) => m.role === "system").map((m) => m.content);
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

/**
 * @module trace/dialects/common
 * What every dialect reader shares: the span fields that do not depend on the dialect, typed attribute getters that
 * never throw, and tolerant JSON parsing that turns a malformed attribute into a warning instead of an exception.
 */
import type { Usage } from "../../engine/types.js";
import type { Dialect, ModuleCall, RecordedMessage } from "../module-call.js";
import { hrTimeToMs, parentIdOf, type SpanAttributesLike, type SpanLike } from "../span-like.js";

/** Reports a problem with the span being read (read-calls prefixes the span's name and id). */
export type Warn = (problem: string) => void;

/** The dialect-independent part of a call. */
export type CallBase = Pick<ModuleCall, "spanId" | "traceId" | "parentSpanId" | "name" | "startTime" | "endTime" | "error" | "attributes">;

/** One span convention: how to recognise it and how to read a span written in it. */
export interface DialectReader {
  readonly dialect: Dialect;
  matches(attributes: SpanAttributesLike): boolean;
  read(span: SpanLike, base: CallBase, warn: Warn): ModuleCall;
}

/** The fields every call has, whatever its dialect. */
export function callBase(span: SpanLike): CallBase {
  const { traceId, spanId } = span.spanContext();
  const base: { -readonly [K in keyof CallBase]: CallBase[K] } = {
    spanId,
    traceId,
    name: span.name,
    startTime: hrTimeToMs(span.startTime),
    endTime: hrTimeToMs(span.endTime),
    attributes: span.attributes,
  };
  const parent = parentIdOf(span);
  if (parent !== undefined) base.parentSpanId = parent;
  const error = errorOf(span);
  if (error !== undefined) base.error = error;
  return base;
}

/** The span's error message when its status is ERROR (status message, else the exception event's message). */
function errorOf(span: SpanLike): string | undefined {
  if (span.status?.code !== 2) return undefined;
  if (span.status.message) return span.status.message;
  const exception = span.events?.find((e) => e.name === "exception");
  const message = exception?.attributes?.["exception.message"];
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

/** True when any attribute key starts with `prefix`. */
export function hasPrefix(attrs: SpanAttributesLike, prefix: string): boolean {
  for (const key in attrs) if (key.startsWith(prefix)) return true;
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

/** JSON text parsed when it is JSON, else the text itself (entity inputs may be either); undefined stays undefined. */
export function parseLoose(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Usage from input/output token counts, when at least one is known. */
export function usageOf(input: number | undefined, output: number | undefined, total?: number): Usage | undefined {
  if (input === undefined && output === undefined) return undefined;
  const i = input ?? 0;
  const o = output ?? 0;
  return { inputTokens: i, outputTokens: o, totalTokens: total ?? i + o };
}

/** Text of any JSON-ish value: strings as they are, everything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
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

/** Assigns optional fields only when defined, so records stay free of `key: undefined` noise. */
export function defined<T extends object>(target: T, extra: { [K in keyof T]?: T[K] | undefined }): T {
  for (const key in extra) if (extra[key] !== undefined) (target as Record<string, unknown>)[key] = extra[key];
  return target;
}

/** Small readers over captured spans for the LangChain adapter tests. */
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

export function byKind(spans: readonly ReadableSpan[], kind: string): ReadableSpan[] {
  return spans.filter((s) => s.attributes["tracegrad.kind"] === kind);
}

export function one(spans: readonly ReadableSpan[], kind: string): ReadableSpan {
  const found = byKind(spans, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} span, got ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

export function attr(span: ReadableSpan, key: string): unknown {
  return span.attributes[key];
}

export function json(span: ReadableSpan, key: string): any {
  const v = span.attributes[key];
  if (typeof v !== "string") throw new Error(`${span.name} has no ${key}`);
  return JSON.parse(v);
}

export function parentOf(span: ReadableSpan, spans: readonly ReadableSpan[]): ReadableSpan | undefined {
  const id = span.parentSpanContext?.spanId;
  return spans.find((s) => s.spanContext().spanId === id);
}

/** Spans in start order (end order is what a capture keeps). */
export function inStartOrder(spans: readonly ReadableSpan[]): ReadableSpan[] {
  const t = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  return [...spans].sort((a, b) => t(a) - t(b));
}

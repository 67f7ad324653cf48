/** Small readers over captured spans for the LangChain adapter tests. */
import type { SpanLike } from "../../../src/trace/span-like.js";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { tool } from "langchain";
import { z } from "zod";

export function byKind(spans: readonly SpanLike[], kind: string): SpanLike[] {
  return spans.filter((s) => s.attributes["tracegrad.kind"] === kind);
}

export function one(spans: readonly SpanLike[], kind: string): SpanLike {
  const found = byKind(spans, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} span, got ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

export function attr(span: SpanLike, key: string): unknown {
  return span.attributes[key];
}

export function json(span: SpanLike, key: string): any {
  const v = span.attributes[key];
  if (typeof v !== "string") throw new Error(`${span.name} has no ${key}`);
  return JSON.parse(v);
}

export function parentOf(span: SpanLike, spans: readonly SpanLike[]): SpanLike | undefined {
  const id = span.parentSpanContext?.spanId;
  return spans.find((s) => s.spanContext().spanId === id);
}

/** Spans in start order (end order is what a capture keeps). */
export function inStartOrder(spans: readonly SpanLike[]): SpanLike[] {
  const t = (s: SpanLike) => s.startTime[0] * 1e9 + s.startTime[1];
  return [...spans].sort((a, b) => t(a) - t(b));
}

/** A tool and a scripted model that calls it once, shared by the createAgent tests. */
export const getWeather = tool(async ({ city }: { city: string }) => `Sunny, 21°C in ${city}`, {
  name: "get_weather",
  description: "Current weather of a city",
  schema: z.object({ city: z.string() }),
});

export function weatherModel() {
  return fakeModel()
    .respondWithTools([{ name: "get_weather", args: { city: "Paris" }, id: "call_paris" }])
    .respond(new AIMessage({ content: "It is sunny in Paris.", id: "final-1" }));
}

export const ask = { messages: [{ role: "user", content: "Weather in Paris?" }] };

import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildGraph, TextLoss, toOtlpJson, type TraceGraph } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const toolStep = (id: string, name: string, input: object) => ({
  content: [{ type: "tool-call" as const, toolCallId: id, toolName: name, input: JSON.stringify(input) }],
  finishReason: { unified: "tool-calls" as const, raw: undefined },
  usage,
  warnings: [],
});
const textStep = (text: string) => ({ content: [{ type: "text" as const, text }], finishReason: { unified: "stop" as const, raw: undefined }, usage, warnings: [] });

/** A three-step AI SDK agent: two tool calls, then the answer, recorded by the SDK's own telemetry. */
async function runAgent(): Promise<InMemorySpanExporter> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const steps = [toolStep("call-1", "weather", { city: "Paris" }), toolStep("call-2", "clothing", { weather: "rainy, 12C" }), textStep("Take an umbrella and a coat.")];
  let i = 0;
  const model = new MockLanguageModelV3({ doGenerate: async () => steps[Math.min(i++, steps.length - 1)] as never });
  await generateText({
    model,
    prompt: "What should I wear in Paris today?",
    tools: {
      weather: tool({ description: "weather", inputSchema: z.object({ city: z.string() }), execute: async () => "rainy, 12C" }),
      clothing: tool({ description: "clothing", inputSchema: z.object({ weather: z.string() }), execute: async () => "umbrella and coat" }),
    },
    stopWhen: stepCountIs(5),
    experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("ai") },
  });
  await provider.forceFlush();
  return exporter;
}

async function expectTrainable(g: TraceGraph): Promise<void> {
  const llms = g.nodes.filter((n) => n.kind === "llm");
  const tools = g.nodes.filter((n) => n.kind === "tool");
  expect(llms.length).toBe(3);
  expect(tools.length).toBe(2);
  const first = llms.find((n) => !g.edges.some((e) => e.to === n.id && e.from !== "input"))!;
  for (const t of tools) {
    expect(g.edges.some((e) => e.to === t.id && e.kind === "tool_call" && llms.some((l) => l.id === e.from))).toBe(true);
    expect(g.edges.some((e) => e.from === t.id && e.kind === "tool_call" && llms.some((l) => l.id === e.to))).toBe(true);
  }
  expect(g.edges.some((e) => e.from === "input" && e.to === first.id)).toBe(true);
  const engine = new FakeEngine(() => "mention the temperature");
  await (await new TextLoss("Is the advice useful?", { engine }).forward(g.output)).backward({ engine });
  expect(g.variables.get(first.id)!.gradients.length).toBeGreaterThan(0);
}

describe("AI SDK generateText with telemetry", () => {
  afterEach(() => context.disable());

  it("without a context manager (each span its own trace): stitched, warned, and feedback reaches the first call", async () => {
    const spans = (await runAgent()).getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBeGreaterThan(1);
    const g = buildGraph(spans);
    expect(g.warnings.join("\n")).toMatch(/no OTel context manager/);
    await expectTrainable(g);
    await expectTrainable(buildGraph(JSON.stringify(toOtlpJson(spans))));
  });

  it("with a context manager: one trace, and feedback reaches the first call", async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const spans = (await runAgent()).getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const g = buildGraph(spans);
    await expectTrainable(g);
    await expectTrainable(buildGraph(JSON.stringify(toOtlpJson(spans))));
  });
});

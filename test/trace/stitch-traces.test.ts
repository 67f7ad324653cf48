import { describe, expect, it } from "vitest";
import { buildGraph, TextLoss, type ModuleCall } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

function call(partial: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall {
  return { traceId: partial.spanId, name: partial.spanId, kind: "llm", dialect: "vercel", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...partial };
}

// AI SDK spans recorded without a context manager: every span is the root of a trace of its own
const split = (): ModuleCall[] => [
  call({ spanId: "run", kind: "module", startTime: 0, endTime: 100, input: "What is the weather in Paris?", output: "It is sunny in Paris." }),
  call({ spanId: "llm1", startTime: 1, endTime: 10, input: "What is the weather in Paris?", output: "", outputMessages: [{ role: "assistant", content: "", toolCalls: [{ id: "tc1", name: "weather", arguments: '{"city":"Paris"}' }] }] }),
  call({ spanId: "tool", kind: "tool", toolCallId: "tc1", startTime: 11, endTime: 20, input: '{"city":"Paris"}', output: "sunny, 24C" }),
  call({ spanId: "llm2", startTime: 21, endTime: 30, input: "sunny, 24C", output: "It is sunny in Paris.", messages: [{ role: "user", content: "What is the weather in Paris?" }, { role: "tool", content: "sunny, 24C", toolCallId: "tc1" }] }),
];

describe("stitchTraces: spans of one run split across trace ids", () => {
  it("joins traces that ran inside another trace's time range, warns naming them, and backward reaches the first call", async () => {
    const g = buildGraph(split());
    expect(g.edges.find((e) => e.from === "tool" && e.to === "llm2")).toMatchObject({ kind: "tool_call" });
    expect(g.edges.find((e) => e.from === "llm1" && e.to === "tool")).toMatchObject({ kind: "tool_call" });
    expect(g.warnings.join("\n")).toMatch(/trace run continue under trace ids llm1, tool, llm2.*no OTel context manager/);
    const engine = new FakeEngine(() => "be more specific");
    await (await new TextLoss("Is the answer correct?", { engine }).forward(g.output)).backward({ engine });
    expect(g.variables.get("llm1")!.gradients.length).toBeGreaterThan(0);
  });

  it("takes the parent's trace id when the parent span is in the input", () => {
    const calls = split().map((c) => (c.spanId === "run" ? c : { ...c, parentSpanId: "run" }));
    const g = buildGraph(calls);
    expect(g.edges.find((e) => e.from === "tool" && e.to === "llm2")).toMatchObject({ kind: "tool_call" });
    expect(g.warnings.join("\n")).not.toMatch(/context manager/);
  });

  it("links a tool to the model that read its result despite sub-millisecond skew between root spans' clocks", () => {
    // each root span's clock is anchored to Date.now(): the tool may seem to end 0.4 ms after the next model started
    const calls = split().map((c) => (c.spanId === "tool" ? { ...c, endTime: 21.4 } : c));
    const g = buildGraph(calls);
    expect(g.edges.find((e) => e.from === "tool" && e.to === "llm2")).toMatchObject({ kind: "tool_call" });
    const late = split().map((c) => (c.spanId === "tool" ? { ...c, endTime: 25 } : c));
    expect(buildGraph(late).edges.find((e) => e.from === "tool" && e.to === "llm2")).toBeUndefined();
  });

  it("joins a trace that seems to end just after the run, by less than the skew between root spans' clocks", () => {
    // seen with the AI SDK: the last model call's own clock put its end 0.25 ms after the run that contained it
    const calls = split().map((c) => (c.spanId === "run" ? { ...c, endTime: 29.7 } : c));
    const g = buildGraph(calls);
    expect(g.warnings.join("\n")).toMatch(/trace run continue under trace ids llm1, tool, llm2/);
    expect(g.edges.find((e) => e.from === "tool" && e.to === "llm2")).toMatchObject({ kind: "tool_call" });
    const later = split().map((c) => (c.spanId === "run" ? { ...c, endTime: 27 } : c));
    expect(buildGraph(later).edges.find((e) => e.from === "tool" && e.to === "llm2")).toBeUndefined();
  });

  it("keeps traces that are disjoint in time apart", () => {
    const a = call({ spanId: "a", startTime: 0, endTime: 10, output: "the same long output text that could be matched later" });
    const b = call({ spanId: "b", startTime: 20, endTime: 30, input: "the same long output text that could be matched later" });
    const g = buildGraph([a, b]);
    expect(g.edges.find((e) => e.from === "a" && e.to === "b")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { Engine, EngineRequest, EngineResponse } from "../../src/engine/types.js";
import { TG } from "../../src/trace/attributes.js";
import { param } from "../../src/trace/param.js";
import { readCalls } from "../../src/trace/read-calls.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import type { SpanLike } from "../../src/trace/span-like.js";
import { tracedEngine } from "../../src/trace/traced-engine.js";

function fakeEngine(reply: (r: EngineRequest) => string): Engine & { calls: EngineRequest[] } {
  const calls: EngineRequest[] = [];
  return {
    model: "fake-1",
    calls,
    async generate(request) {
      calls.push(request);
      return { text: reply(request), usage: { inputTokens: 11, outputTokens: 3, totalTokens: 14 } };
    },
  };
}

describe("tracedEngine", () => {
  it("calls straight through outside trace(), returning the engine's own response object", async () => {
    const response: EngineResponse = { text: "hi" };
    const engine = tracedEngine({ model: "m", generate: async () => response });
    expect(engine.model).toBe("m");
    expect(await engine.generate({ prompt: "x" })).toBe(response);
  });

  it("emits a GenAI chat span with JSON messages, usage and OpenInference keys", async () => {
    const prompt = param("solver.system", "Solve step by step.", { role: "system prompt of the solver" });
    const engine = tracedEngine(fakeEngine((r) => `answer: ${r.prompt}`), { provider: "openai" });
    const solver = traceModule("solver", async (q: string) => (await engine.generate({ system: prompt.value, prompt: q, temperature: 0 })).text, { params: [prompt] });
    const run = await trace(() => solver("2+2?"));
    expect(run.output).toBe("answer: 2+2?");
    const llm = run.spans.find((s) => s.name === "chat fake-1")!;
    const mod = run.spans.find((s) => s.name === "solver")!;
    expect(llm.parentSpanContext?.spanId).toBe(mod.spanContext().spanId);
    expect(llm.kind).toBe(2); // CLIENT
    expect(llm.attributes).toMatchObject({
      [TG.kind]: "llm",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "fake-1",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.temperature": 0,
      "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Solve step by step." }]),
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "2+2?" }] }]),
      "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "answer: 2+2?" }] }]),
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 3,
      "openinference.span.kind": "LLM",
      "llm.model_name": "fake-1",
      "input.value": "2+2?",
      "output.value": "answer: 2+2?",
      [TG.systemPrompt]: "Solve step by step.",
      [TG.paramIds]: ["solver.system"],
      "llm.prompt_template.template": "Solve step by step.",
      [TG.valueId]: llm.spanContext().spanId,
    });
    // the module's result is the LLM's text: the registry resolves it to the LLM call when reused
    const { calls } = readCalls([llm]);
    expect(calls[0]).toMatchObject({ kind: "llm", dialect: "tracegrad", system: "Solve step by step.", input: "2+2?", output: "answer: 2+2?", model: "fake-1", params: [{ id: "solver.system" }] });
    const call = calls[0]!;
    expect(call.kind === "llm" ? call.messages : undefined).toEqual([{ role: "system", content: "Solve step by step." }, { role: "user", content: "2+2?" }]);
  });

  it("records the producer of the prompt as an explicit input reference", async () => {
    const engine = tracedEngine(fakeEngine(() => "ok"));
    const draft = traceModule("draft", (topic: string) => `Draft about ${topic}`);
    const run = await trace(() => engine.generate({ prompt: draft("otel") }));
    const d = run.spans.find((s) => s.name === "draft")!;
    const llm = run.spans.find((s) => s.name === "chat fake-1")!;
    expect(llm.attributes[TG.inputRefs]).toEqual([d.spanContext().spanId]);
  });

  it("rethrows the engine's own error and marks the span", async () => {
    const boom = new Error("rate limited");
    const engine = tracedEngine({ model: "flaky", generate: () => Promise.reject(boom) }, { name: "planner llm" });
    let spans: readonly SpanLike[] = [];
    await expect(trace(() => engine.generate({ prompt: "x" }), { onAgentError: (_e, s) => (spans = s) })).rejects.toBe(boom);
    expect(spans.find((s) => s.name === "planner llm")!.status?.code).toBe(2);
  });
});

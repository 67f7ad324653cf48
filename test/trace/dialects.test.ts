import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { buildGraph } from "../../src/trace/build-graph.js";
import type { LlmModuleCall, ModuleCall } from "../../src/trace/module-call.js";
import { fromOtlpJson } from "../../src/trace/otlp.js";
import { readCalls } from "../../src/trace/read-calls.js";
import type { SpanLike } from "../../src/trace/span-like.js";

const load = (name: string) => fromOtlpJson(readFileSync(new URL(`../fixtures/${name}.otlp.json`, import.meta.url), "utf8"));
const read = (name: string) => readCalls(load(name));
/** The call as an LLM call (messages are only on those), failing the test when it is not one. */
const asLlm = (c: ModuleCall | undefined): LlmModuleCall => {
  expect(c?.kind).toBe("llm");
  return c as LlmModuleCall;
};
const strip = ({ attributes: _a, startTime: _s, endTime: _e, traceId: _t, ...rest }: ModuleCall) => rest;

describe("readCalls: one ModuleCall per span, whatever the dialect", () => {
  it("OTel GenAI (current): agent, chat with tool calls, execute_tool, message ids from response ids", () => {
    const { calls, warnings } = read("genai-current");
    expect(warnings).toEqual([]);
    const [agent, chat1, tool, chat2] = calls;
    expect(strip(agent!)).toMatchObject({ name: "weather_agent", kind: "agent", dialect: "genai", input: "What is the weather in Paris today?", output: "It is sunny in Paris, 21°C." });
    expect(strip(chat1!)).toMatchObject({
      name: "chat gpt-4o-mini",
      kind: "llm",
      parentSpanId: "00f067aa0ba902b7",
      system: "You are a weather assistant. Use tools.",
      input: "What is the weather in Paris today?",
      output: '[tool call get_weather({"city":"Paris"})]',
      model: "gpt-4o-mini",
      usage: { inputTokens: 52, outputTokens: 17, totalTokens: 69 },
      params: [{ id: "weather_agent.system", value: "You are a weather assistant. Use tools." }],
      outputMessages: [{ role: "assistant", content: "", id: "chatcmpl-AbC123", toolCalls: [{ id: "call_VSPygqKTWdrhaFErNvMV18Yl", name: "get_weather", arguments: '{"city":"Paris"}' }] }],
    });
    expect(asLlm(chat1).messages![0]).toEqual({ role: "system", content: "You are a weather assistant. Use tools." });
    expect(strip(tool!)).toMatchObject({ name: "get_weather", kind: "tool", toolCallId: "call_VSPygqKTWdrhaFErNvMV18Yl", input: '{"city":"Paris"}', output: '{"city":"Paris","forecast":"sunny","temperature_c":21}' });
    expect(asLlm(chat2).messages!.map((m) => [m.role, m.id, m.toolCallId])).toEqual([
      ["system", undefined, undefined],
      ["user", undefined, undefined],
      ["assistant", "chatcmpl-AbC123", undefined],
      ["tool", undefined, "call_VSPygqKTWdrhaFErNvMV18Yl"],
    ]);
    expect(chat2!.output).toBe("It is sunny in Paris, 21°C.");
  });

  it("GenAI legacy (OpenLLMetry): indexed prompts/completions, tool calls, Traceloop workflow entity I/O", () => {
    const { calls, warnings } = read("genai-legacy");
    expect(warnings).toEqual([]);
    const [workflow, chat1, chat2] = calls;
    expect(strip(workflow!)).toMatchObject({ name: "joke_generator", kind: "chain", dialect: "genai-legacy", input: "opentelemetry", output: "Why did the span break up with the trace? It needed more context." });
    expect(strip(chat1!)).toMatchObject({
      kind: "llm",
      dialect: "genai-legacy",
      system: "You are a funny assistant.",
      input: "Tell me a joke about opentelemetry",
      model: "gpt-3.5-turbo",
      usage: { inputTokens: 24, outputTokens: 9, totalTokens: 33 },
      outputMessages: [{ role: "assistant", content: "", id: "chatcmpl-9xYz", toolCalls: [{ id: "call_joke_1", name: "pick_topic", arguments: '{"topic":"tracing"}' }] }],
    });
    expect(asLlm(chat2).messages![3]).toEqual({ role: "tool", content: "tracing", toolCallId: "call_joke_1" });
    expect(asLlm(chat2).messages![2]!.toolCalls).toEqual([{ id: "call_joke_1", name: "pick_topic", arguments: '{"topic":"tracing"}' }]);
  });

  it("OpenInference: flattened messages, tool_call ids, message ids, prompt template as a parameter", () => {
    const { calls, warnings } = read("openinference");
    expect(warnings).toEqual([]);
    const [chain, prompt, llm1, tool, llm2] = calls;
    expect(strip(chain!)).toMatchObject({ name: "RunnableSequence", kind: "chain", dialect: "openinference", output: "12 * 7 = 84." });
    expect(strip(prompt!)).toMatchObject({
      kind: "prompt",
      output: "You are a concise math tutor. Answer the question: What is 12 * 7?",
      params: [{ id: "math_tutor.prompt", value: "You are a concise math tutor. Answer the question: {question}", version: "v3", role: 'prompt template "math_tutor.prompt" (variables: question)' }],
    });
    expect(strip(llm1!)).toMatchObject({
      kind: "llm",
      model: "gpt-4o-mini",
      system: "You are a concise math tutor. Answer the question: What is 12 * 7?",
      input: "Use the calculator.",
      usage: { inputTokens: 40, outputTokens: 18, totalTokens: 58 },
      outputMessages: [{ role: "assistant", id: "chatcmpl-oi-1", toolCalls: [{ id: "call_calc_1", name: "multiply", arguments: '{"a":12,"b":7}' }] }],
    });
    expect(strip(tool!)).toMatchObject({ name: "multiply", kind: "tool", toolCallId: "call_calc_1", input: '{"a":12,"b":7}', output: "84" });
    expect(asLlm(llm2).messages!.map((m) => [m.role, m.id, m.toolCallId])).toEqual([
      ["system", undefined, undefined],
      ["assistant", "chatcmpl-oi-1", undefined],
      ["tool", undefined, "call_calc_1"],
    ]);
  });

  it("Vercel AI SDK: functionId names the module, doGenerate is the LLM, ai.toolCall the tool", () => {
    const { calls, warnings } = read("vercel-ai");
    expect(warnings).toEqual([]);
    const [outer, gen1, tool, gen2] = calls;
    expect(strip(outer!)).toMatchObject({ name: "travel-assistant", moduleId: "travel-assistant", kind: "module", dialect: "vercel", input: "Is it raining in Tokyo?", output: "Yes, it is raining in Tokyo (4 mm).", usage: { inputTokens: 180, outputTokens: 30, totalTokens: 210 } });
    expect(outer).not.toHaveProperty("system"); // only LLM calls carry a system prompt; the model call below has it
    expect(strip(gen1!)).toMatchObject({
      name: "chat gpt-4o",
      kind: "llm",
      model: "gpt-4o",
      input: "Is it raining in Tokyo?",
      outputMessages: [{ role: "assistant", content: "", id: "chatcmpl-v-1", toolCalls: [{ id: "call_tokyo_1", name: "weather", arguments: '{"location":"Tokyo"}' }] }],
    });
    expect(strip(tool!)).toMatchObject({ name: "weather", kind: "tool", toolCallId: "call_tokyo_1", input: '{"location":"Tokyo"}', output: '{"rain":true,"mm":4}' });
    expect(asLlm(gen2).messages!.at(-1)).toEqual({ role: "tool", content: '{"rain":true,"mm":4}', toolCallId: "call_tokyo_1" });
    expect(gen2!.output).toBe("Yes, it is raining in Tokyo (4 mm).");
  });

  it("LangSmith OTel mode: run inputs/outputs JSON with serialized LangChain messages", () => {
    const { calls, warnings } = read("langsmith-otel");
    expect(warnings).toEqual([]);
    const [agent, llm1, tool, llm2] = calls;
    expect(strip(agent!)).toMatchObject({ name: "support_agent", kind: "chain", dialect: "langsmith", input: "Where is my order #123?" });
    expect(strip(llm1!)).toMatchObject({
      name: "ChatOpenAI",
      kind: "llm",
      model: "gpt-4o-mini",
      system: "You are a support agent for Acme.",
      input: "Where is my order #123?",
      usage: { inputTokens: 60, outputTokens: 15, totalTokens: 75 },
      outputMessages: [{ role: "assistant", content: "", id: "chatcmpl-ls-1", toolCalls: [{ id: "call_order_1", name: "lookup_order", arguments: '{"order_id":"123"}' }] }],
    });
    expect(strip(tool!)).toMatchObject({ name: "lookup_order", kind: "tool", toolCallId: "call_order_1", input: '{"order_id":"123"}', output: "Order 123 shipped on Jan 2 via UPS." });
    expect(asLlm(llm2).messages!.map((m) => [m.role, m.id, m.toolCallId])).toEqual([
      ["system", undefined, undefined],
      ["user", "3f1c2e4a-0000-4000-8000-000000000001", undefined],
      ["assistant", "chatcmpl-ls-1", undefined],
      ["tool", "5b1c2e4a-0000-4000-8000-000000000002", "call_order_1"],
    ]);
    expect(llm2!.output).toBe("Your order #123 shipped on Jan 2 via UPS.");
  });

  it("keeps spans of unknown dialects as opaque calls with a warning naming each span", () => {
    const { calls, warnings } = read("unknown-dialect");
    expect(calls.map((c) => [c.name, c.kind, c.dialect, c.input, c.output])).toEqual([
      ["GET /api/orders", "unknown", "unknown", "", ""],
      ["db.query", "unknown", "unknown", "select * from orders", "3 rows"],
    ]);
    expect(calls[1]!.error).toBe("deadlock detected");
    expect(warnings).toEqual([
      'span "GET /api/orders" (id abcdefabcdef0001) has no known GenAI attributes; kept as an opaque call',
      'span "db.query" (id abcdefabcdef0002) has no known GenAI attributes; kept as an opaque call',
    ]);
  });

  it("turns missing and malformed attributes into warnings, never exceptions", () => {
    const span = (name: string, attributes: Record<string, string | number>): SpanLike => ({
      name,
      spanContext: () => ({ traceId: "0".repeat(31) + "1", spanId: `${name.padEnd(16, "0")}`.slice(0, 16) }),
      startTime: [1, 0],
      endTime: [2, 0],
      attributes,
    });
    const broken = { name: "broken", spanContext: () => { throw new Error("no context"); } } as unknown as SpanLike;
    const { calls, warnings } = readCalls([
      span("chat1", { "gen_ai.operation.name": "chat", "gen_ai.input.messages": "{not json" }),
      span("chat2", { "gen_ai.operation.name": "chat" }),
      span("vercel", { "ai.operationId": "ai.generateText.doGenerate", "ai.prompt.messages": "[oops" }),
      broken,
    ]);
    expect(calls).toHaveLength(3);
    expect(warnings).toEqual([
      'span "chat1" (id chat100000000000) gen_ai.input.messages is not a JSON message list; ignored',
      expect.stringMatching(/^span "chat2" \(id chat200000000000\) has no gen_ai.input.messages\/gen_ai.output.messages \(message content is opt-in/),
      'span "vercel" (id vercel0000000000) ai.prompt.messages is not valid JSON; ignored',
      'span "vercel" (id vercel0000000000) has no ai.prompt.messages (recordInputs may be false)',
      "span #3 could not be read (no context); skipped",
    ]);
  });

  it("reads a current-convention span carrying a registry prompt's gen_ai.prompt.name as GenAI, not legacy", () => {
    const span: SpanLike = {
      name: "chat gpt-4o",
      spanContext: () => ({ traceId: "0".repeat(31) + "2", spanId: "c".repeat(16) }),
      startTime: [1, 0],
      endTime: [2, 0],
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.prompt.name": "planner.system",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 12,
      },
    };
    // message content is opt-in: without it, the operation name and the prompt name are all the span says
    const { calls } = readCalls([span]);
    expect(calls[0]).toMatchObject({ dialect: "genai", kind: "llm", model: "gpt-4o" });
    const legacy = { ...span, attributes: { "gen_ai.operation.name": "chat", "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "How many legs?" } };
    expect(readCalls([legacy]).calls[0]).toMatchObject({ dialect: "genai-legacy" });
  });

  it("orders calls by start time, ancestors first when they start in the same millisecond", () => {
    const mk = (id: string, parent: string | undefined, start: number): SpanLike => ({
      name: id,
      spanContext: () => ({ traceId: "a".repeat(32), spanId: id.repeat(16).slice(0, 16) }),
      parentSpanContext: parent ? { spanId: parent.repeat(16).slice(0, 16) } : undefined,
      startTime: [start, 0],
      endTime: [start + 1, 0],
      attributes: { "tracegrad.kind": "module" },
    });
    // end order, as a span processor sees them: children first
    const { calls } = readCalls([mk("c", "b", 5), mk("b", "a", 5), mk("d", undefined, 3), mk("a", undefined, 5)]);
    expect(calls.map((c) => c.name)).toEqual(["d", "a", "b", "c"]);
  });
});

describe("ModuleCalls carry the evidence the graph builder needs", () => {
  for (const name of ["genai-current", "openinference", "vercel-ai", "langsmith-otel"]) {
    it(`${name}: tool_call edges LLM → tool → LLM`, () => {
      const calls = readCalls(load(name)).calls;
      const graph = buildGraph(calls);
      const llms = calls.filter((c) => c.kind === "llm");
      const tool = calls.find((c) => c.kind === "tool")!;
      expect(graph.edges).toContainEqual(expect.objectContaining({ from: llms[0]!.spanId, to: tool.spanId, kind: "tool_call" }));
      expect(graph.edges).toContainEqual(expect.objectContaining({ from: tool.spanId, to: llms[1]!.spanId, kind: "tool_call" }));
    });
  }
});

// Prompt optimization of an AI SDK agent, end to end: a multi-step generateText tool loop (mock model from `ai/test`,
// the SDK's own telemetry captured by tracegradSpanProcessor) whose system prompt is a param(). Feedback travels
// from the metric back through the model calls and the tool to the prompt; the assertion is on what the tool was
// really called with afterwards, not on a "changed" flag.
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { optimize, param, refine, trace, tracegradSpanProcessor, Variable } from "../../src/index.js";
import { formatUpdate, SimulatedModel, textgradRule } from "../../src/testing/index.js";

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const finish = (unified: "tool-calls" | "stop") => ({ finishReason: { unified, raw: undefined }, usage, warnings: [] });

beforeEach(() => void context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterEach(() => context.disable());

/** A weather agent: the mock model asks for the weather tool (in the units its system prompt asks for), then answers with the tool's result. */
function weatherAgent() {
  const provider = new TracerProvider({ spanProcessors: [tracegradSpanProcessor()] });
  const prompt = param("weather.system", "You answer questions about the weather.", { role: "system prompt of the weather agent" });
  const toolCalls: Array<{ city: string; units: string }> = [];
  const weather = tool({
    description: "current temperature in a city",
    inputSchema: z.object({ city: z.string(), units: z.enum(["celsius", "fahrenheit"]) }),
    execute: async (args) => (toolCalls.push(args), args.units === "celsius" ? `12°C in ${args.city}` : `54°F in ${args.city}`),
  });
  const agent = async (city: string) => {
    const model = new MockLanguageModelV3({
      doGenerate: async ({ prompt: messages }) => {
        const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
        const result = messages.flatMap((m) => (m.role === "tool" ? m.content : [])).find((p) => p.type === "tool-result");
        if (result) return { content: [{ type: "text" as const, text: `It is ${JSON.stringify(result.output)} right now.` }], ...finish("stop") } as never;
        const units = /metric|celsius/i.test(system) ? "celsius" : "fahrenheit";
        return { content: [{ type: "tool-call" as const, toolCallId: `call-${city}`, toolName: "weather", input: JSON.stringify({ city, units }) }], ...finish("tool-calls") } as never;
      },
    });
    const { text } = await generateText({
      model,
      system: prompt.value,
      prompt: `What is the temperature in ${city}?`,
      tools: { weather },
      stopWhen: stepCountIs(4),
      experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("ai") },
    });
    return text;
  };
  return { agent, prompt, toolCalls };
}

/** tracegrad's engine, a simulated model: the backward engine says to ask for metric units, the optimizer adds that. */
const engine = () =>
  new SimulatedModel([
    textgradRule("backward", () => "The answer should be in Celsius: the system prompt should ask the tool for metric units."),
    textgradRule("optimizer", (r) => formatUpdate(`${r.variable ?? ""} Always ask the weather tool for metric units (celsius).`.trim(), r.tags)),
  ]);

const metric = (out: string) => (out.includes("°C") ? 1 : { score: 0, feedback: "The temperature must be given in degrees Celsius." });

describe("AI SDK agent: optimize and refine its system prompt", () => {
  it("optimize(): feedback reaches the prompt through the SDK's spans, and afterwards the tool runs with celsius", async () => {
    const { agent, prompt, toolCalls } = weatherAgent();
    const result = await optimize({ agent, trainset: ["Paris", "Oslo"], valset: ["Rome", "Lima"], metric, engine: engine(), parameters: [prompt], steps: 1, batchSize: 2 });
    expect(result.baseline.score).toBe(0);
    expect(result.best.score).toBe(1);
    expect(result.steps[0]!.proposals.map((p) => p.parameter)).toEqual(["weather.system"]);
    toolCalls.length = 0;
    expect(await agent("Madrid")).toContain("12°C in Madrid");
    expect(toolCalls).toEqual([{ city: "Madrid", units: "celsius" }]);
  });

  it('refine({ target: "prompts" }) on one traced run: the re-run called the tool with the new arguments', async () => {
    const { agent, prompt, toolCalls } = weatherAgent();
    const run = await trace(() => agent("Paris"));
    expect(toolCalls).toEqual([{ city: "Paris", units: "fahrenheit" }]);
    // the SDK's own spans are in the graph: two model calls and the tool between them, the prompt feeding a model call
    expect(run.graph.nodes.filter((n) => n.kind === "llm").length).toBeGreaterThanOrEqual(2);
    expect(run.graph.nodes.some((n) => n.kind === "tool" && n.name.includes("weather"))).toBe(true);
    const llmIds = new Set(run.graph.nodes.filter((n) => n.kind === "llm").map((n) => n.id));
    expect(run.graph.edges.some((e) => e.from === "param:weather.system" && llmIds.has(e.to))).toBe(true);
    const loss = async (out: Variable) =>
      new Variable(`${out.value}: wrong units`, {
        role: "evaluation of the answer",
        predecessors: [out],
        requiresGrad: true,
        backwardRule: { name: "judge", run: async ({ targets }) => targets.map((target) => ({ target, gradient: { text: "Give the temperature in Celsius.", from: "evaluation of the answer" } })) },
      });
    const refined = await refine(run, { loss, engine: engine(), target: "prompts" });
    expect(prompt.value).toContain("metric units");
    expect(refined.run.output).toContain("12°C in Paris");
    expect(toolCalls.at(-1)).toEqual({ city: "Paris", units: "celsius" });
  });
});

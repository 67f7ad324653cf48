// Issue 9, task 1: in a createAgent tool loop every model call reads the whole message history, so the graph links
// each step to all earlier ones. Feedback must travel along the chain of steps (context edges stay in the graph but
// carry none): backward costs at most 3N+3 calls and its prompts grow linearly, and the first step still hears about
// the final answer. Real ChatOpenAI over HTTP to the local stub server, which scripts the tool calls.
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, tool } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildGraph, param, TextLoss, trace, type EngineRequest, type TraceGraph } from "../../src/index.js";
import { FakeEngine, readTextgradRequest, startStubServer, type StubServer } from "../../src/testing/index.js";
import { renderFeedbackSection } from "../../src/prompts/feedback-sections.js";
import { tracegradCallbacks, tracegradMiddleware } from "../../adapters/langchain/index.js";

let stub: StubServer;
const STEPS = new Map<string, number>(); // user request -> how many lookups the scripted model makes
beforeAll(async () => {
  stub = await startStubServer({
    reply: (req) => {
      const n = STEPS.get(req.messages.find((m) => m.role === "user")?.content ?? "") ?? 0;
      const done = req.messages.filter((m) => m.role === "tool").length;
      if (done < n) return { toolCalls: [{ id: `call_${done}`, name: "lookup", arguments: { query: `item number ${done} of the catalogue list` } }] };
      return `Final: looked up ${done} items.`;
    },
  });
});
afterAll(() => stub.close());

async function runLoop(n: number) {
  const request = `Look up all ${n} items.`;
  STEPS.set(request, n);
  const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  const lookup = tool(async ({ query }: { query: string }) => `Result for "${query}": found in the catalogue.`, {
    name: "lookup", description: "Looks one item up.", schema: z.object({ query: z.string() }),
  });
  const systemPrompt = param(`agent-${n}.system`, "You look items up one at a time with the lookup tool.", { role: "system prompt of the agent" });
  const agent = createAgent({ model, tools: [lookup], middleware: [tracegradMiddleware({ systemPrompt, name: "agent" })] });
  return trace(() => agent.invoke({ messages: [{ role: "user", content: request }] }, { callbacks: [tracegradCallbacks()], recursionLimit: 500 }), {
    output: (s) => String(s.messages.at(-1)?.content),
  });
}

/** Backward engine (one section per requested variable) and judge; counts backward calls and their prompt chars. */
function backwardEngine() {
  const seen = { calls: 0, chars: 0 };
  const engine = new FakeEngine((req: EngineRequest) => {
    const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
    if (request?.kind !== "backward") return "Wrong: the answer should list the items found.";
    seen.calls++;
    seen.chars += req.prompt.length + (req.system?.length ?? 0);
    const text = "List what each lookup found.";
    return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, text)).join("\n") : text;
  });
  return { engine, seen };
}

async function backwardOn(graph: TraceGraph, feedback?: "per-input") {
  const { engine, seen } = backwardEngine();
  const loss = await new TextLoss("Judge the answer.", { engine }).forward(graph.output);
  await loss.backward({ engine, ...(feedback ? { feedback } : {}) });
  return seen;
}

const modelCalls = (g: TraceGraph) => g.nodes.filter((n) => n.kind === "llm").map((n) => g.variables.get(n.id)!);

describe("a createAgent tool loop: history edges are context, feedback goes along the chain", () => {
  it("costs at most 3N+3 backward calls, and the first step and the prompt still get feedback", async () => {
    for (const n of [3, 8]) {
      const run = await runLoop(n);
      const g = run.graph;
      expect(modelCalls(g)).toHaveLength(n + 1);
      const seen = await backwardOn(g);
      expect(seen.calls).toBeLessThanOrEqual(3 * n + 3);
      expect(seen.calls).toBeGreaterThan(n); // every step was asked, not just the last
      const [first] = modelCalls(g);
      expect(first!.gradients.map((x) => x.text)).toContain("List what each lookup found.");
      expect(g.parameters[0]!.gradients).toHaveLength(n + 1); // the prompt hears from every call that used it
      // context edges stay in the graph: the last step still reads the first one, but not as a feedback edge
      const last = g.nodes.filter((x) => x.kind === "llm").at(-1)!;
      const firstToLast = g.edges.find((e) => e.from === first!.id && e.to === last.id);
      expect(firstToLast?.carriesFeedback).toBe(false);
      expect(g.variables.get(last.id)!.predecessors).not.toContain(first);
      expect(g.edges.every((e) => typeof e.carriesFeedback === "boolean")).toBe(true);
    }
  });

  it("grows linearly in N, where every history edge carrying feedback grows quadratically", async () => {
    const at = async (n: number) => {
      const run = await runLoop(n);
      const old = buildGraph(run.spans, { params: run.params, output: run.graph.output.value, historyEdges: "feedback" });
      return { now: await backwardOn(run.graph), nowPerInput: await backwardOn(run.graph, "per-input"), old: await backwardOn(old, "per-input"), oldChars: (await backwardOn(old)).chars, edges: old.edges };
    };
    const small = await at(4);
    const large = await at(16);
    expect(small.edges.every((e) => e.carriesFeedback === true)).toBe(true);
    expect(large.now.calls).toBeLessThanOrEqual(3 * 16 + 3);
    expect(large.now.chars / small.now.chars).toBeLessThanOrEqual(4.5 * 1.05); // 4x the steps
    expect(large.oldChars / small.oldChars).toBeGreaterThan(6);
    // TextGrad's per-input mode stays linear too with context edges, and was quadratic without them
    expect(large.nowPerInput.calls).toBeLessThanOrEqual(4 * 16 + 3);
    expect(large.old.calls).toBeGreaterThanOrEqual(17 * 17);
  });

  it("rejects an unknown historyEdges value with a typed error naming the option", async () => {
    const run = await runLoop(1);
    expect(() => buildGraph(run.spans, { historyEdges: "all" as never })).toThrow(/historyEdges must be "context" or "feedback"/);
  });
});

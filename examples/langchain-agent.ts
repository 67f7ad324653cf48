/**
 * @module examples/langchain-agent
 * An unmodified LangChain `createAgent` agent with a tool, captured by tracegrad: no change to the agent's code, only
 * `instrumentLangChain()` inside `trace()`. Prints the rebuilt graph — model → tool → model linked by tool_call ids and
 * message ids — and the prompt parameter the middleware made optimizable.
 *
 * Run alone with `npx tsx examples/langchain-agent.ts`.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { param, trace, type TraceGraph } from "../src/index.js";
import { instrumentLangChain, tracegradMiddleware } from "../adapters/langchain/index.js";

const lookupCapital = tool(async ({ state }: { state: string }) => (state.toLowerCase() === "montana" ? "Helena is the capital of Montana." : `No entry for ${state}.`), {
  name: "lookup_capital",
  description: "Looks up the capital city of a US state in an almanac.",
  schema: z.object({ state: z.string() }),
});

/**
 * A scripted stand-in model (LangChain's own test double): it asks for the tool once, then answers. Used when no real
 * model is configured; it keeps this example free of HTTP. To script the same tool call over real HTTP, give
 * `startStubServer` (tracegrad/testing) the replies `[{ toolCalls: [{ name: "lookup_capital", arguments: { state: "Montana" } }] }, "…"]`.
 */
export function scriptedToolModel(): BaseChatModel {
  return fakeModel()
    .respondWithTools([{ name: "lookup_capital", args: { state: "Montana" }, id: "call_capital_1" }])
    .respond(new AIMessage({ content: "The capital of Montana is Helena.", id: "answer-1" })) as unknown as BaseChatModel;
}

/** Runs the agent once under trace() and prints what was captured. */
export async function showLangChainAgent(model: BaseChatModel, label: string): Promise<TraceGraph> {
  const systemPrompt = param("almanac.system", "You answer geography questions. Use the almanac tool before answering.", {
    role: "system prompt of the almanac agent",
  });
  // the agent itself is ordinary LangChain code; the middleware only makes its system prompt a parameter
  const agent = createAgent({ model, tools: [lookupCapital], name: "almanac_agent", middleware: [tracegradMiddleware({ systemPrompt, name: "almanac" })] });
  const run = await trace(async () => {
    instrumentLangChain();
    return agent.invoke({ messages: [{ role: "user", content: "What is the capital of Montana?" }] });
  });
  const answer = run.output.messages.at(-1)?.content;
  console.log(`\n== An unmodified createAgent agent, captured (${label}) ==`);
  console.log(`answer: ${String(answer)}`);
  printGraph(run.graph);
  console.log(`parameters: ${run.graph.parameters.map((p) => `${p.id} (${p.role})`).join(", ")}`);
  return run.graph;
}

/** Prints nodes and data-flow edges, one per line. */
export function printGraph(graph: TraceGraph): void {
  // an LLM call is named after its model; say which module it ran in, or the lines are ambiguous
  const calls = new Map(graph.calls.map((c) => [c.spanId, c]));
  const moduleOf = (id: string) => {
    for (let p = calls.get(id)?.parentSpanId; p; p = calls.get(p)?.parentSpanId) {
      const parent = calls.get(p);
      if (parent?.kind === "module" || parent?.kind === "agent") return ` (in ${parent.name})`;
    }
    return "";
  };
  const name = new Map(graph.nodes.map((n) => [n.id, `${n.kind}:${n.name}${n.kind === "llm" ? moduleOf(n.id) : ""}`]));
  console.log(`graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  for (const e of graph.edges) {
    console.log(`  ${name.get(e.from)} -> ${name.get(e.to)}  [${e.kind}, ${e.confidence}]`);
  }
  for (const w of graph.warnings) console.log(`  warning: ${w}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await showLangChainAgent(scriptedToolModel(), "scripted stand-in model");
}

// Issue 8, defects 8 and 9: wrapping LangGraph nodes that each make one model call added module -> module edges
// beside the model calls' own edges (a parallel path, so upstream prompts got the same feedback twice), and the input
// node was the state's JSON, linked to nothing but the first wrapper.
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { param, TextLoss, trace, type TraceRun } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";
import { instrumentLangChain, tracegradNode } from "../../adapters/langchain/index.js";

type State = typeof MessagesAnnotation.State;
const QUESTION = "What is the capital of Australia?";

async function pipeline(wrap: boolean) {
  const writerPrompt = param("writer.system", "You write a short report from the research notes.", { role: "system prompt of the writer" });
  const researcherModel = fakeModel().respond(new AIMessage("Australia's capital is Sydney, its largest city by population."));
  const writerModel = fakeModel().respond(new AIMessage("Report: the capital of Australia is Sydney, the largest city."));
  const node = (name: string, system: () => string, model: typeof researcherModel) => {
    const fn = async (state: State) => ({ messages: [await model.invoke([new SystemMessage(system()), ...state.messages])] });
    return wrap ? tracegradNode(name, fn) : fn;
  };
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("researcher", node("researcher", () => "You research facts about the topic.", researcherModel))
    .addNode("writer", node("writer", () => writerPrompt.value, writerModel))
    .addEdge(START, "researcher")
    .addEdge("researcher", "writer")
    .addEdge("writer", END)
    .compile();
  const run = await trace(async () => {
    instrumentLangChain();
    return graph.invoke({ messages: [new HumanMessage(QUESTION)] });
  }, { output: (s) => String(s.messages.at(-1)?.content) });
  return { run, writerPrompt };
}

const label = (run: TraceRun<unknown>, id: string) => {
  const n = run.graph.nodes.find((x) => x.id === id)!;
  return n.kind === "llm" || n.kind === "module" ? `${n.kind}:${n.name}` : n.kind === "param" ? `param:${n.name}` : n.kind;
};
const edgeSet = (run: TraceRun<unknown>) => run.graph.edges.filter((e) => e.carriesFeedback !== false).map((e) => `${label(run, e.from)} -> ${label(run, e.to)}`);

describe("LangGraph nodes wrapped with tracegradNode", () => {
  it("add no path beside their model calls' edges: a wrapper only passes its call's reply on", async () => {
    const plain = edgeSet((await pipeline(false)).run);
    const { run } = await pipeline(true);
    const wrapped = edgeSet(run);
    // every edge of the unwrapped graph is still there, and the only new ones lead from a model call to its wrapper
    // (and from the last wrapper to the output): no module -> module edge, no input -> wrapper edge
    for (const e of plain.filter((x) => !x.endsWith("-> output"))) expect(wrapped).toContain(e);
    const added = wrapped.filter((e) => !plain.includes(e));
    expect(added.filter((e) => !e.endsWith("-> output")).sort()).toEqual(["llm:researcher.model -> module:researcher", "llm:writer.model -> module:writer"]);
    expect(wrapped.filter((e) => /^module:.* -> module:/.test(e))).toEqual([]);
  });

  it("the input node is the question, linked to the model call that read it", async () => {
    const { run } = await pipeline(true);
    expect(run.graph.nodes.find((n) => n.kind === "input")!.value).toBe(QUESTION);
    expect(edgeSet(run).filter((e) => e.startsWith("input ->"))).toEqual(["input -> llm:researcher.model"]);
  });

  it("a prompt gets one piece of feedback per consumer, not one per parallel path", async () => {
    const { run, writerPrompt } = await pipeline(true);
    const engine = new FakeEngine((req) => (req.prompt.includes("<ROLE>") ? "Say that the capital is Canberra, not Sydney." : "Wrong: the capital is Canberra."));
    await (await new TextLoss("Judge the report.", { engine }).forward(run.graph.output)).backward({ engine });
    expect(writerPrompt.gradients.map((g) => g.text)).toEqual(["Say that the capital is Canberra, not Sydney."]);
    const researcher = run.graph.nodes.find((n) => n.kind === "llm" && n.name === "researcher.model")!;
    expect(run.graph.variables.get(researcher.id)!.gradients).toHaveLength(1);
  });
});

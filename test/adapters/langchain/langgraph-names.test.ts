// Issue 8, task 7: LangChain runs used to be named generically — every model call `chat <model>` with the default
// role, every unnamed createAgent `invoke_agent LangGraph`. A call's LangGraph node (and its path through
// subgraphs) now names it, and a node that builds its own SystemMessage(prompt.value) is bound to the parameter.
import { describe, expect, it } from "vitest";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import { instrumentLangChain } from "../../../adapters/langchain/index.js";
import { attr, byKind, inStartOrder } from "./helpers.js";

type State = typeof MessagesAnnotation.State;

describe("LangGraph node names", () => {
  it("names a model call by its node, with a role saying so, and binds a node-built system prompt by value", async () => {
    const prompt = param("researcher.system", "You research capitals.", { role: "system prompt of the researcher" });
    const model = fakeModel().respond(new AIMessage("Canberra."));
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("researcher", async (state: State) => ({
        messages: [await model.invoke([new SystemMessage(prompt.value), ...state.messages])],
      }))
      .addEdge(START, "researcher")
      .addEdge("researcher", END)
      .compile();
    const run = await trace(async () => {
      instrumentLangChain();
      return graph.invoke({ messages: [new HumanMessage("Capital of Australia?")] });
    });
    const [llm] = byKind(run.spans, "llm");
    expect(attr(llm!, "tracegrad.module.id")).toBe("researcher.model");
    expect(attr(llm!, "tracegrad.module.role")).toBe('response of the model in the LangGraph node "researcher"');
    expect(attr(llm!, "tracegrad.param.ids")).toEqual(["researcher.system"]);
    expect(attr(llm!, "tracegrad.replayable")).toBeUndefined();
    // the graph's node names come from span names (the builder's choice): the span keeps GenAI's `chat <model>`
    expect(run.graph.parameters).toContain(prompt);
  });

  it("names a subgraph's model call by its node path", async () => {
    const model = fakeModel().respond(new AIMessage("done"));
    const inner = new StateGraph(MessagesAnnotation)
      .addNode("writer", async (state: State) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge(START, "writer")
      .compile();
    const outer = new StateGraph(MessagesAnnotation).addNode("team", inner).addEdge(START, "team").compile();
    const run = await trace(async () => {
      instrumentLangChain();
      return outer.invoke({ messages: [new HumanMessage("go")] });
    });
    const [llm] = byKind(run.spans, "llm");
    expect(attr(llm!, "tracegrad.module.id")).toBe("team/writer.model");
  });

  it("names createAgent agents by name, and unnamed sub-agents by the tool that invoked them", async () => {
    const inner = createAgent({ model: fakeModel().respond(new AIMessage("Booked.")), tools: [] });
    const calendar = tool(async ({ request }: { request: string }) => {
      const out = await inner.invoke({ messages: [new HumanMessage(request)] });
      return String(out.messages.at(-1)?.content);
    }, { name: "calendar_agent", description: "Books meetings.", schema: z.object({ request: z.string() }) });
    const supervisor = createAgent({
      name: "supervisor",
      model: fakeModel()
        .respond(new AIMessage({ content: "", tool_calls: [{ id: "c1", name: "calendar_agent", args: { request: "Book Monday" } }] }))
        .respond(new AIMessage("All set.")),
      tools: [calendar],
    });
    const run = await trace(async () => {
      instrumentLangChain();
      return supervisor.invoke({ messages: [new HumanMessage("Book a meeting on Monday")] });
    });
    const agents = inStartOrder(byKind(run.spans, "agent")).map((s) => s.name);
    expect(agents).toEqual(["invoke_agent supervisor", "invoke_agent calendar_agent"]);
    const llmIds = inStartOrder(byKind(run.spans, "llm")).map((s) => attr(s, "tracegrad.module.id"));
    expect(llmIds).toEqual(["supervisor.model", "calendar_agent.model", "supervisor.model"]);
  });
});

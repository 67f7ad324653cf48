// Issue 8, task 7: wrapping a LangGraph node used to need traceModule plus a cast to the state type; tracegradNode
// keeps addNode's inference (this file typechecks without annotating `state`) and refine replays the node.
import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { refine, TextLoss, trace, type EngineRequest } from "../../../src/index.js";
import { renderFeedbackSection } from "../../../src/prompts/feedback-sections.js";
import { FakeEngine, formatUpdate, readTextgradRequest } from "../../../src/testing/index.js";
import { tracegradNode } from "../../../adapters/langchain/index.js";

/** Judge, backward engine and optimizer: Sydney is wrong, the optimizer swaps in Canberra. */
const engine = new FakeEngine((req: EngineRequest) => {
  const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
  if (request?.kind === "optimizer") return formatUpdate((request.variable ?? "").replace("Sydney", "Canberra"), request.tags);
  if (request?.kind === "backward") {
    const feedback = /Sydney/.test(req.prompt) ? "Sydney is not the capital of Australia; Canberra is." : "";
    return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, feedback)).join("\n") : feedback;
  }
  return /Canberra/.test(req.prompt) ? "Correct." : "Wrong: the capital of Australia is Canberra.";
});

describe("tracegradNode", () => {
  it("keeps StateGraph.addNode's state inference, records the node with its role, and refine replays it", async () => {
    const seen: string[] = [];
    let researcherCalls = 0;
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("researcher", tracegradNode("researcher", async (state) => {
        researcherCalls += 1;
        return { messages: [new AIMessage(`The capital asked about in "${String(state.messages[0]?.content)}" is Sydney.`)] };
      }))
      .addNode("writer", tracegradNode("writer", async (state) => {
        seen.push(String(state.messages.at(-1)?.content));
        return { messages: [new AIMessage(`Report: ${String(state.messages.at(-1)?.content)}`)] };
      }))
      .addEdge(START, "researcher")
      .addEdge("researcher", "writer")
      .addEdge("writer", END)
      .compile();
    const finalText = (s: typeof MessagesAnnotation.State) => String(s.messages.at(-1)?.content);
    const run = await trace(() => graph.invoke({ messages: [new HumanMessage("Australia")] }), { output: finalText });

    const span = run.spans.find((s) => s.name === "researcher")!;
    expect(span.attributes["tracegrad.module.role"]).toBe('state update of the LangGraph node "researcher"');
    const refined = await refine(run, { engine, loss: (out) => new TextLoss("Judge the report.", { engine }).forward(out) });
    expect(refined.modules.find((m) => m.module === "researcher")?.changed).toBe(true);
    expect(researcherCalls).toBe(1); // replayed, not run again
    expect(seen).toEqual(['The capital asked about in "Australia" is Sydney.', 'The capital asked about in "Australia" is Canberra.']);
    expect(finalText(refined.run.output)).toBe('Report: The capital asked about in "Australia" is Canberra.');
  });
});

describe("tracegradNode around a node that calls a chat model", () => {
  it("keeps the node's module id apart from its model call's", async () => {
    const { fakeModel } = await import("@langchain/core/testing");
    const { instrumentLangChain } = await import("../../../adapters/langchain/index.js");
    const model = fakeModel().respond(new AIMessage("Canberra."));
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("researcher", tracegradNode("researcher", async (state) => ({ messages: [await model.invoke(state.messages)] })))
      .addEdge(START, "researcher")
      .compile();
    const run = await trace(async () => {
      instrumentLangChain();
      return graph.invoke({ messages: [new HumanMessage("Capital of Australia?")] });
    });
    // LangGraph's own chain run for the node is a "chain" span (not a graph node); the wrapper and the model call are
    const ids = run.spans
      .filter((s) => s.attributes["tracegrad.kind"] !== "chain")
      .map((s) => `${String(s.attributes["tracegrad.kind"])} ${String(s.attributes["tracegrad.module.id"])}`)
      .filter((id) => id.includes("researcher"));
    expect(ids.sort()).toEqual(["llm researcher.model", "module researcher"]);
  });
});

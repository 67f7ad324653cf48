// Issue 8, defect 2: LangGraph node outputs used to be replayed as text. A traceModule-wrapped node returning
// `{ messages: [AIMessage] }` made the re-run throw InvalidUpdateError (the node "returned" a string); a wrapped
// model call was refined as LangChain's serialized JSON and came back as a HumanMessage. Here the text inside the
// value is refined and the node's update keeps its shape, so the downstream node sees an AI message with the edit.
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { Command, END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { refine, TextLoss, trace, traceModule, type EngineRequest } from "../../src/index.js";
import { renderFeedbackSection } from "../../src/prompts/feedback-sections.js";
import { FakeEngine, formatUpdate, readTextgradRequest } from "../../src/testing/index.js";

type State = typeof MessagesAnnotation.State;

/** Judge, backward engine and optimizer: Sydney is wrong, the optimizer swaps in Canberra wherever it is shown. */
function engineFor(shown: string[]): FakeEngine {
  return new FakeEngine((req: EngineRequest) => {
    const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
    if (request?.kind === "optimizer") {
      shown.push(request.variable ?? "");
      return formatUpdate((request.variable ?? "").replace("Sydney", "Canberra"), request.tags);
    }
    if (request?.kind === "backward") {
      const feedback = /Sydney/.test(req.prompt) ? "Sydney is not the capital of Australia; Canberra is." : "";
      return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, feedback)).join("\n") : feedback;
    }
    return /Canberra/.test(req.prompt) ? "Correct." : "Wrong: the capital of Australia is Canberra.";
  });
}

/** A two-node graph: `researcher` (the node under test) then `writer`, which records what it saw. */
function graphWith(researcher: (state: State) => Promise<unknown>) {
  const seen: Array<{ type: string; text: string }> = [];
  const writer = traceModule("writer", async (state: State) => {
    const last = state.messages.at(-1) as BaseMessage;
    seen.push({ type: last.getType(), text: String(last.content) });
    return { messages: [new AIMessage(`Report: ${String(last.content)}`)] };
  });
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("researcher", researcher as (state: State) => Promise<State>)
    .addNode("writer", writer)
    .addEdge(START, "researcher")
    .addEdge("researcher", "writer")
    .addEdge("writer", END)
    .compile();
  const ask = () => graph.invoke({ messages: [new HumanMessage("What is the capital of Australia?")] });
  return { seen, ask };
}

const finalText = (state: State) => String(state.messages.at(-1)?.content);

async function refineGraph(researcher: (state: State) => Promise<unknown>) {
  const { seen, ask } = graphWith(researcher);
  const run = await trace(() => ask(), { output: finalText });
  expect(finalText(run.output)).toBe("Report: The capital of Australia is Sydney.");
  const shown: string[] = [];
  const engine = engineFor(shown);
  const refined = await refine(run, { engine, loss: (out) => new TextLoss("Judge the report.", { engine }).forward(out) });
  return { seen, shown, refined };
}

describe("refine a LangGraph StateGraph whose node is wrapped with traceModule", () => {
  it("refines a node returning { messages: [AIMessage] }: no InvalidUpdateError, the writer sees an AI message with the edit", async () => {
    const researcher = traceModule("researcher", async (_state: State) => ({ messages: [new AIMessage("The capital of Australia is Sydney.")] }));
    const { seen, shown, refined } = await refineGraph(researcher);

    expect(shown[0]).toBe("The capital of Australia is Sydney."); // the message's text, not {"lc":1,…}
    const first = refined.modules.find((m) => m.module === "researcher")!;
    expect([first.changed, first.after, first.evaluation]).toEqual([true, "The capital of Australia is Canberra.", "Correct."]);
    expect(seen).toEqual([
      { type: "ai", text: "The capital of Australia is Sydney." },
      { type: "ai", text: "The capital of Australia is Canberra." },
    ]);
    expect(finalText(refined.run.output)).toBe("Report: The capital of Australia is Canberra.");
    expect(refined.evaluation).toBe("Correct.");
  });

  it("refines a node returning a Command({ update: { messages } }): the update keeps its shape", async () => {
    const researcher = traceModule("researcher", async (_state: State) => new Command({ update: { messages: [new AIMessage("The capital of Australia is Sydney.")] } }));
    const { seen, refined } = await refineGraph(researcher);

    expect(refined.modules.find((m) => m.module === "researcher")?.changed).toBe(true);
    expect(seen.at(-1)).toEqual({ type: "ai", text: "The capital of Australia is Canberra." });
    expect(finalText(refined.run.output)).toBe("Report: The capital of Australia is Canberra.");
  });

  it("refines a wrapped model call inside a node: its AIMessage is edited as text and replayed as an AIMessage, not a HumanMessage", async () => {
    const model = fakeModel().respond(new AIMessage({ content: "The capital of Australia is Sydney.", id: "m-1" }));
    const ask = traceModule("researcher.model", (messages: BaseMessage[]) => model.invoke(messages));
    const { seen, shown, refined } = await refineGraph(async (state: State) => ({ messages: [await ask(state.messages)] }));

    expect(shown[0]).toBe("The capital of Australia is Sydney.");
    expect(refined.modules.find((m) => m.module === "researcher.model")?.changed).toBe(true);
    expect(seen.at(-1)).toEqual({ type: "ai", text: "The capital of Australia is Canberra." });
    expect(model.callCount).toBe(1); // replayed, not called again
    expect(finalText(refined.run.output)).toBe("Report: The capital of Australia is Canberra.");
  });
});

/**
 * A checkpointed LangGraph agent (fixed thread + MemorySaver) re-run by rerun(): with the run's own id as thread id,
 * every run starts from a fresh thread; with a fixed id the re-run appended to the first run's conversation, so the
 * model saw the old answer as part of the question (the defect this fixes).
 */
import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { MemorySaver, MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { instrumentLangChain } from "../../adapters/langchain/index.js";
import { trace, type RunContext } from "../../src/trace/run-trace.js";

/** A one-node graph whose node calls a fake chat model; the model answers with how many messages it saw. */
function checkpointedAgent() {
  const model = fakeModel();
  for (let i = 0; i < 4; i++) model.respond((messages: BaseMessage[]) => new AIMessage(`answer after ${messages.length} message(s)`));
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("call_model", async (state) => ({ messages: [await model.invoke(state.messages)] }))
    .addEdge("__start__", "call_model")
    .addEdge("call_model", "__end__")
    .compile({ checkpointer: new MemorySaver() });
  return { graph, model };
}

const question = "What is the boiling point of water at 3000 m?";
const lastContent = (state: { messages: BaseMessage[] }) => String(state.messages.at(-1)?.content);
const seen = (model: ReturnType<typeof fakeModel>, call: number) => model.calls[call]!.messages.map((m) => String(m.content));

describe("a checkpointed LangGraph agent under rerun()", () => {
  it("with thread_id: ctx.runId, the re-run's model call sees only the original question", async () => {
    const { graph, model } = checkpointedAgent();
    const runIds: string[] = [];
    const agent = (ctx: RunContext) => {
      instrumentLangChain();
      runIds.push(ctx.runId);
      return graph.invoke({ messages: [new HumanMessage(question)] }, { configurable: { thread_id: ctx.runId } });
    };
    const run = await trace(agent, { output: lastContent });
    const again = await run.rerun();

    expect(seen(model, 0)).toEqual([question]);
    expect(seen(model, 1)).toEqual([question]);
    expect(again.output.messages.map((m) => String(m.content))).toEqual([question, "answer after 1 message(s)"]);
    expect(runIds).toEqual([run.runId, again.runId]);
    expect(again.runId).not.toBe(run.runId);
    expect([run.attempt, again.attempt]).toEqual([0, 1]);
    // the selected last message is what the graph (and so a loss) sees; the state itself is returned untouched
    expect(again.graph.output.value).toBe("answer after 1 message(s)");
    expect(Array.isArray(again.output.messages)).toBe(true);
  });

  it("with a fixed thread id the re-run accumulates the first run's conversation (why runId exists)", async () => {
    const { graph, model } = checkpointedAgent();
    const run = await trace(() => graph.invoke({ messages: [new HumanMessage(question)] }, { configurable: { thread_id: "fixed" } }), { output: lastContent });
    await run.rerun();
    expect(seen(model, 1)).toEqual([question, "answer after 1 message(s)", question]);
  });
});

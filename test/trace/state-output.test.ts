import { describe, expect, it } from "vitest";
import { buildGraph, type ModuleCall } from "../../src/index.js";
import { lastMessageText } from "../../src/trace/state-output.js";

function call(partial: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall {
  return { traceId: "t1", name: partial.spanId, kind: "llm", dialect: "langsmith", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...partial };
}

describe("a run that returns a { messages } state", () => {
  const state = JSON.stringify({ messages: [{ role: "user", content: "Capital of France?" }, { lc: 1, type: "constructor", id: ["langchain_core", "messages", "AIMessage"], kwargs: { content: "Paris is the capital." } }] });

  it("has the last message's text as the output node's value, linked to the call that wrote it", () => {
    const g = buildGraph([
      call({ spanId: "graph", kind: "agent", startTime: 0, endTime: 50, input: '{"messages":[{"role":"user","content":"Capital of France?"}]}', output: state }),
      call({ spanId: "agent", parentSpanId: "graph", startTime: 5, endTime: 40, input: "Capital of France?", output: "Paris is the capital." }),
    ]);
    expect(g.output.value).toBe("Paris is the capital.");
    expect(g.edges.find((e) => e.to === "output")).toMatchObject({ from: "agent", kind: "content" });
  });

  it("reads plain, serialized and multi-part messages, and leaves other JSON alone", () => {
    expect(lastMessageText(state)).toBe("Paris is the capital.");
    expect(lastMessageText('{"messages":[{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}')).toBe("a\nb");
    expect(lastMessageText('{"answer":"x"}')).toBeUndefined();
    expect(lastMessageText("not json")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { buildGraph, TextLoss, type ModuleCall } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

function call(partial: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall {
  return { traceId: "t1", name: partial.spanId, kind: "llm", dialect: "genai", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...partial };
}

// a supervisor model asks for the tool "booking", which runs a sub-agent whose user message is the tool argument
const supervisor = (): ModuleCall[] => [
  call({ spanId: "sup1", startTime: 0, endTime: 10, input: "Please book a meeting at 10 with Ann", outputMessages: [{ role: "assistant", content: "", toolCalls: [{ id: "tc1", name: "booking", arguments: '{"request":"book a meeting at 10"}' }] }] }),
  call({ spanId: "booking", kind: "tool", toolCallId: "tc1", startTime: 11, endTime: 30, input: '{"request":"book a meeting at 10"}', output: "Booked for 10:00." }),
  call({ spanId: "sub1", parentSpanId: "booking", startTime: 12, endTime: 29, input: "book a meeting at 10", output: "Booked for 10:00.", messages: [{ role: "user", content: "book a meeting at 10" }] }),
  call({ spanId: "sup2", startTime: 31, endTime: 40, input: "Booked for 10:00.", output: "Your meeting is booked for 10:00.", messages: [{ role: "user", content: "Please book a meeting at 10 with Ann" }, { role: "tool", content: "Booked for 10:00.", toolCallId: "tc1" }] }),
];

describe("sub-agents called as tools", () => {
  it("link the supervisor's tool-call arguments to the sub-agent's first model call, and feedback reaches it", async () => {
    const g = buildGraph(supervisor());
    expect(g.edges.find((e) => e.from === "sup1" && e.to === "sub1")).toMatchObject({ kind: "content" });
    // the tool only wraps the sub-agent: no second path sup1 → booking beside sup1 → sub1
    expect(g.edges.find((e) => e.from === "sup1" && e.to === "booking")).toBeUndefined();
    const engine = new FakeEngine(() => "name the attendee");
    await (await new TextLoss("Is the booking right?", { engine }).forward(g.output)).backward({ engine });
    expect(g.variables.get("sub1")!.gradients.length).toBeGreaterThan(0);
    expect(g.variables.get("sup1")!.gradients.length).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { buildGraph, type ModuleCall } from "../../src/index.js";

function call(partial: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall {
  return { traceId: "t1", name: partial.spanId, kind: "llm", dialect: "tracegrad", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...partial };
}

describe("the input node", () => {
  it("is matched by the text inside a JSON argument list and feeds every innermost call that reads it", () => {
    const q = "What is the capital of France, and why is it the capital?";
    const g = buildGraph([
      call({ spanId: "pipeline", kind: "module", startTime: 0, endTime: 100, input: JSON.stringify([{ messages: [{ role: "user", content: q }] }]), output: "Paris, for historical reasons." }),
      call({ spanId: "draft", parentSpanId: "pipeline", startTime: 10, endTime: 40, input: q, output: "Paris." }),
      call({ spanId: "refine", parentSpanId: "pipeline", startTime: 50, endTime: 90, input: `Question: ${q}\nDraft: Paris.`, output: "Paris, for historical reasons." }),
    ]);
    const from = g.edges.filter((e) => e.from === "input").map((e) => e.to).sort();
    expect(from).toEqual(["draft", "refine"]);
    expect(g.edges.find((e) => e.from === "input")?.kind).toBe("content");
  });
});

import { describe, expect, it } from "vitest";
import { buildGraph, trace, tracedEngine, traceModule, type ModuleCall } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

describe("the input node's value", () => {
  it("is the question an agent was given, not the fixed topic its first module looks up", async () => {
    const llm = tracedEngine(new FakeEngine((r) => (r.prompt.startsWith("boiling") ? "Water boils at 100 °C at sea level." : "100 °C.")));
    const notes = traceModule("notes", async (topic: string) => (await llm.generate({ prompt: topic })).text);
    const answer = traceModule("answer", async (q: string, n: string) => (await llm.generate({ prompt: `${n}\nQ: ${q}` })).text);
    const q = "At what temperature does water boil on a 3000 m mountain?";
    const run = await trace(async () => answer(q, await notes("boiling water")));
    expect(run.graph.nodes.find((n) => n.kind === "input")!.value).toBe(q);
    const readers = run.graph.edges.filter((e) => e.from === "input").map((e) => run.graph.calls.find((c) => c.spanId === e.to)!);
    expect(readers.map((c) => c.kind)).toEqual(["llm"]);
    expect(readers[0]!.input).toContain(q);
  });
});

describe("graph node names", () => {
  it("name a model call by its module id when it has one", () => {
    const call = (p: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall =>
      ({ traceId: "t", name: p.spanId, kind: "llm", dialect: "tracegrad", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...p }) as ModuleCall;
    const g = buildGraph([
      call({ spanId: "a", name: "chat gpt-4o-mini", moduleId: "researcher.model", startTime: 0, endTime: 1, input: "q", output: "notes" }),
      call({ spanId: "b", name: "chat gpt-4o-mini", startTime: 2, endTime: 3, input: "notes", output: "answer" }),
    ]);
    expect(g.nodes.filter((n) => n.kind === "llm").map((n) => n.name)).toEqual(["researcher.model", "chat gpt-4o-mini"]);
  });
});

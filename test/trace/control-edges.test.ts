import { describe, expect, it } from "vitest";
import { backward, buildGraph, InvalidArgumentError, TextLoss, trace, traceModule, type ModuleCall } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

function call(partial: Partial<ModuleCall> & { spanId: string; startTime: number; endTime: number }): ModuleCall {
  return { traceId: "t1", name: partial.spanId, kind: "module", dialect: "tracegrad", input: "", output: "", params: [], inputRefs: [], attributes: {}, ...partial };
}

/** A router whose output lists the steps to run, then those steps, as ordinary code would run them. */
async function routedRun(plan: string, options: Parameters<typeof traceModule>[2] = {}) {
  const router = traceModule("router", (q: string) => plan, options);
  const steps: Record<string, (q: string, notes: string) => string> = {
    lookup: traceModule("lookup", (q: string) => `notes about ${q}`),
    search: traceModule("search", (q: string) => `results for ${q}`),
    answer: traceModule("answer", (q: string, notes: string) => `answer from ${notes || "nothing"}`),
  };
  return trace(() => {
    const q = "Which planet is largest?";
    const chosen = router(q);
    let notes = "";
    for (const name of ["lookup", "search", "answer"]) if (chosen.includes(name)) notes = steps[name]!(q, notes);
    return notes;
  });
}

const controlTargets = (run: Awaited<ReturnType<typeof routedRun>>) =>
  run.graph.edges.filter((e) => e.kind === "control").map((e) => [run.graph.calls.find((c) => c.spanId === e.from)?.name, run.graph.calls.find((c) => c.spanId === e.to)?.name]);

describe("control edges", () => {
  it("are inferred from an output that lists, as a plan, the modules that then run", async () => {
    const run = await routedRun('["lookup", "answer"]');
    expect(controlTargets(run)).toEqual([["router", "lookup"], ["router", "answer"]]);
    expect(run.graph.edges.filter((e) => e.kind === "control").every((e) => e.confidence < 1)).toBe(true);
  });

  it("are not inferred from prose that merely mentions module names", async () => {
    const run = await routedRun("First lookup the planet, then answer the question.");
    expect(controlTargets(run)).toEqual([]);
  });

  it("go from a declared planner to every call it selected, with the modules it did not run", async () => {
    const calls = [
      call({ spanId: "plan", startTime: 0, endTime: 10, output: '["lookup", "answer"]', attributes: { "tracegrad.planner": true, "tracegrad.planner.modules": ["lookup", "search", "answer"] } }),
      call({ spanId: "lookup", startTime: 11, endTime: 20, input: "q", output: "notes about the planets" }),
      call({ spanId: "answer", startTime: 21, endTime: 30, input: "notes about the planets", output: "Saturn" }),
    ];
    const graph = buildGraph(calls);
    expect(graph.edges.filter((e) => e.kind === "control").map((e) => [e.from, e.to, e.confidence])).toEqual([
      ["plan", "lookup", 1],
      ["plan", "answer", 1],
    ]);
    // backward asks the plan once, through the selected call nearest the output, and shows the counterfactual
    const prompts: string[] = [];
    const engine = new FakeEngine((req) => {
      prompts.push(req.prompt);
      if (req.prompt.includes("MODULES_NOT_RUN")) return "search did not run; the size comparison was missing. The plan should include search.";
      return req.prompt.includes("<VARIABLE>") ? "The answer should be Jupiter." : "Wrong: the largest planet is Jupiter.";
    });
    const loss = await new TextLoss("Is the answer right?", { engine }).forward(graph.output);
    await backward(loss, { engine });
    const asked = prompts.filter((p) => p.includes("MODULES_NOT_RUN"));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("<MODULES_RUN>lookup, answer</MODULES_RUN>");
    expect(asked[0]).toContain("<MODULES_NOT_RUN>search</MODULES_NOT_RUN>");
    expect(graph.variables.get("plan")!.gradients.map((g) => g.text)).toEqual(["search did not run; the size comparison was missing. The plan should include search."]);
  });

  it("kind \"planner\" and its modules are validated at wrap time", () => {
    expect(() => traceModule("p", () => "", { kind: "router" as never })).toThrow(InvalidArgumentError);
    expect(() => traceModule("p", () => "", { modules: ["a"] })).toThrow(/kind: "planner"/);
    expect(() => traceModule("p", () => "", { kind: "planner", modules: ["a", ""] })).toThrow(InvalidArgumentError);
  });

  it("a declared planner marks its span, and its plan reaches the modules it chose", async () => {
    const run = await routedRun('["search", "answer"]', { kind: "planner", modules: ["lookup", "search", "answer"] });
    const router = run.graph.calls.find((c) => c.name === "router")!;
    expect(router.attributes["tracegrad.planner"]).toBe(true);
    expect(controlTargets(run)).toEqual([["router", "search"], ["router", "answer"]]);
  });
});

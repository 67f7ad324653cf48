import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { TG } from "../../src/trace/attributes.js";
import { Param, param } from "../../src/trace/param.js";
import { withoutParamReads } from "../../src/trace/param-reads.js";
import { peekValue } from "../../src/trace/peek-value.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { tracedEngine } from "../../src/trace/traced-engine.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";
import type { Engine } from "../../src/engine/types.js";
import type { SpanLike } from "../../src/trace/span-like.js";

const named = (spans: readonly SpanLike[], name: string) => spans.find((s) => s.name === name)!;
const role = { role: "system prompt of the planner" };

describe("param(): reads inside trace() are recorded", () => {
  it("a module that only reads plannerPrompt.value gets the same attributes as one that lists it", async () => {
    const plannerPrompt = param("planner.system", "Plan the steps.", role);
    const inferred = traceModule("planner", async (q: string) => `${plannerPrompt.value} -> ${q}`);
    const listed = traceModule("listed", async (q: string) => `${plannerPrompt.value} -> ${q}`, { params: [plannerPrompt] });
    const run = await trace(async () => [await inferred("2+2?"), await listed("3+3?")]);

    const pick = (s: SpanLike) => Object.fromEntries(Object.entries(s.attributes).filter(([k]) => k.startsWith(TG.paramPrefix)));
    const a = pick(named(run.spans, "planner"));
    expect(a[TG.paramIds]).toEqual(["planner.system"]);
    expect(a).toEqual(pick(named(run.spans, "listed")));
    expect(a["tracegrad.param.planner.system.value"]).toBe("Plan the steps.");
    expect(run.params.get("planner.system")).toBe(plannerPrompt);
    expect(run.graph.parameters).toContain(plannerPrompt);
  });

  it("gives the graph an edge from the prompt to the call that read it, and backward lands feedback on it", async () => {
    const plannerPrompt = param("planner.system", "Plan the steps.", role);
    const planner = traceModule("planner", async (q: string) => `plan for ${q} (${plannerPrompt.value.length} chars of rules)`);
    const run = await trace(() => planner("2+2?"));
    const call = named(run.spans, "planner").spanContext().spanId;
    expect(run.graph.edges.some((e) => e.from === "param:planner.system" && e.to === call)).toBe(true);

    const engine = new FakeEngine((req) => (req.system?.startsWith("Judge") ? "The plan is too vague." : "Make the planner prompt ask for numbered steps."));
    const loss = await new TextLoss("Judge the plan.", { engine }).forward(run.graph.output);
    await loss.backward({ engine });
    const target = run.graph.parameters.find((p) => p.id === "planner.system")!;
    expect(target).toBe(plannerPrompt);
    expect(plannerPrompt.gradients.length).toBeGreaterThan(0);
  });

  it("does not duplicate a listed parameter that is also read, and keeps the listed Variable", async () => {
    const listedPrompt = param("p", "listed", role);
    const readPrompt = param("p", "read", role); // same id, another object: explicit beats inferred
    const mod = traceModule("m", () => listedPrompt.value + readPrompt.value + listedPrompt.value, { params: [listedPrompt] });
    const run = await trace(() => mod());
    expect(named(run.spans, "m").attributes[TG.paramIds]).toEqual(["p"]);
    expect(run.params.get("p")).toBe(listedPrompt);
  });

  it("records reads outside any module on the run span, and each read on the innermost module only", async () => {
    const a = param("a", "A", role);
    const b = param("b", "B", role);
    const inner = traceModule("inner", () => b.value);
    const outer = traceModule("outer", () => inner());
    const run = await trace(() => a.value + outer());
    expect(named(run.spans, "tracegrad.run").attributes[TG.paramIds]).toEqual(["a"]);
    expect(named(run.spans, "inner").attributes[TG.paramIds]).toEqual(["b"]);
    expect(named(run.spans, "outer").attributes[TG.paramIds]).toBeUndefined();
  });

  it("attributes a read inside a tracedEngine call to its LLM span, and keeps the system-prompt match", async () => {
    const injected = param("injected.system", "Be terse.", role);
    const passed = param("passed.system", "Be kind.", role);
    const inner = new FakeEngine(["ok", "ok"], { model: "m" });
    // an engine wrapper that applies the prompt itself: the read happens inside the traced call
    const llm = tracedEngine({ model: "m", generate: (req) => inner.generate({ ...req, system: injected.value }) } satisfies Engine);
    const mod = traceModule("mod", async () => {
      const system = passed.value;
      return (await llm.generate({ system, prompt: "hi" })).text;
    });
    const run = await trace(() => mod());
    const llmSpan = run.spans.find((s) => s.attributes[TG.kind] === "llm")!;
    expect(llmSpan.attributes[TG.paramIds]).toEqual(["passed.system", "injected.system"]);
    expect(named(run.spans, "mod").attributes[TG.paramIds]).toEqual(["passed.system"]);
    expect(inner.calls[0]!.system).toBe("Be terse.");
  });

  it("does not count a test double's comparisons (FakeEngine replies) or withoutParamReads as uses", async () => {
    const p = param("p", "P", role);
    const engine = tracedEngine(new FakeEngine((req) => (req.system === p.value ? "yes" : "no"), { model: "m" }));
    const mod = traceModule("mod", async () => (await engine.generate({ prompt: "hi" })).text + withoutParamReads(() => p.value));
    const run = await trace(() => mod());
    expect(run.output).toBe("noP");
    expect(run.spans.every((s) => s.attributes[TG.paramIds] === undefined)).toBe(true);
    expect(run.params.size).toBe(0);
  });

  it("costs nothing outside trace(), never throws into the agent, and keeps Variable inert", async () => {
    const p = param("p", "P", role);
    expect(p).toBeInstanceOf(Param);
    expect(p).toBeInstanceOf(Variable);
    expect(p.value).toBe("P");
    expect(peekValue(p)).toBe("P");
    p.setValue("Q");
    expect(p.value).toBe("Q");
    expect(Object.getOwnPropertyDescriptor(Variable.prototype, "value")!.get!.toString()).not.toMatch(/record|trace|capture/i);

    // a read after its module's span ended (a callback fired later) is harmless
    const faults: unknown[] = [];
    let late: () => string = () => "";
    const mod = traceModule("mod", () => {
      late = () => p.value;
      return "x";
    });
    const run = await trace(async () => {
      mod();
      return late();
    }, { onError: (e) => faults.push(e) });
    expect(run.output).toBe("Q");
    expect(named(run.spans, "mod").attributes[TG.paramIds]).toBeUndefined();
    expect(faults).toEqual([]);
  });
});

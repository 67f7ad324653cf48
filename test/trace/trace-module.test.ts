import { describe, expect, it } from "vitest";
import { trace as otelTrace } from "@opentelemetry/api";
import type { SpanLike } from "../../src/trace/span-like.js";
import { TG } from "../../src/trace/attributes.js";
import { param } from "../../src/trace/param.js";
import { trace } from "../../src/trace/run-trace.js";
import { shortHash } from "../../src/trace/safe-text.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { InvalidArgumentError } from "../../src/errors.js";

const byName = (spans: readonly SpanLike[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: readonly SpanLike[], name: string) => {
  const found = byName(spans, name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
};

describe("traceModule", () => {
  const plannerPrompt = param("planner.system", "You choose the modules.", { role: "system prompt of the planner" });
  const planner = traceModule("planner", async (question: string) => `plan for: ${question}`, {
    params: [plannerPrompt],
    role: "plan: the list of modules to run",
  });
  const solver = traceModule("solver", async (plan: string) => {
    const checked = await checker(plan);
    return `answer (${checked})`;
  });
  const checker = traceModule("checker", (text: string) => text.length, { kind: "tool" });

  it("outside trace() just calls through, with the same this and result", () => {
    const obj = { factor: 3, times: traceModule("times", function (this: { factor: number }, x: number) { return x * this.factor; }) };
    expect(obj.times(2)).toBe(6);
    expect(checker("abc")).toBe(3);
  });

  it("records nesting, module attributes, parameter ids and versions", async () => {
    const run = await trace(async () => solver(await planner("2+2?")));
    expect(run.output).toBe("answer (14)");
    const root = one(run.spans, "tracegrad.run");
    const p = one(run.spans, "planner");
    const s = one(run.spans, "solver");
    const c = one(run.spans, "checker");
    expect(p.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(s.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(c.parentSpanContext?.spanId).toBe(s.spanContext().spanId);
    expect(new Set(run.spans.map((x) => x.spanContext().traceId)).size).toBe(1);

    expect(p.attributes).toMatchObject({
      [TG.kind]: "module",
      [TG.moduleId]: "planner",
      [TG.moduleRole]: "plan: the list of modules to run",
      [TG.callIndex]: 0,
      [TG.paramIds]: ["planner.system"],
      "tracegrad.param.planner.system.version": shortHash("You choose the modules."),
      "tracegrad.param.planner.system.value": "You choose the modules.",
      "tracegrad.param.planner.system.role": "system prompt of the planner",
      "gen_ai.operation.name": "invoke_agent",
      "openinference.span.kind": "CHAIN",
      "input.value": "2+2?",
      "output.value": "plan for: 2+2?",
      [TG.valueId]: p.spanContext().spanId,
    });
    expect(c.attributes).toMatchObject({ [TG.kind]: "tool", "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "checker", "openinference.span.kind": "TOOL" });
    expect(run.params.get("planner.system")).toBe(plannerPrompt);
  });

  it("resolves arguments to the value ids of the calls that produced them", async () => {
    const join = traceModule("join", (parts: { plan: string; extra: string }) => `${parts.plan} + ${parts.extra}`);
    const run = await trace(async () => {
      const plan = await planner("q");
      const solved = await solver(plan);
      return join({ plan, extra: solved });
    });
    const p = one(run.spans, "planner").spanContext().spanId;
    const s = one(run.spans, "solver").spanContext().spanId;
    expect(one(run.spans, "solver").attributes[TG.inputRefs]).toEqual([p]);
    expect(one(run.spans, "join").attributes[TG.inputRefs]).toEqual([p, s]);
    expect(one(run.spans, "checker").attributes[TG.inputRefs]).toEqual([p]);
    expect(one(run.spans, "planner").attributes[TG.inputRefs]).toBeUndefined();
  });

  it("matches objects by identity and counts calls per module", async () => {
    const make = traceModule("make", () => ({ items: [1, 2] }));
    const use = traceModule("use", (o: { items: number[] }) => o.items.length);
    const run = await trace(() => {
      const a = make();
      make();
      return use(a);
    });
    const makes = byName(run.spans, "make");
    expect(makes.map((s) => s.attributes[TG.callIndex])).toEqual([0, 1]);
    expect(one(run.spans, "use").attributes[TG.inputRefs]).toEqual([makes[0]!.spanContext().spanId]);
    expect(run.values.get(makes[0]!.spanContext().spanId)).toEqual({ items: [1, 2] });
  });

  it("rethrows the module's own error untouched and records it on the span", async () => {
    const boom = new TypeError("bad plan");
    const failing = traceModule("failing", async () => {
      throw boom;
    });
    const failingSync = traceModule("failingSync", () => {
      throw boom;
    });
    let seen: readonly SpanLike[] = [];
    await expect(trace(() => failing(), { onAgentError: (_e, spans) => (seen = spans) })).rejects.toBe(boom);
    const span = one(seen, "failing");
    expect(span.status?.code).toBe(2);
    expect(span.status?.message).toBe("bad plan");
    expect(span.events?.some((e) => e.name === "exception")).toBe(true);
    expect(one(seen, "tracegrad.run").status?.code).toBe(2);
    await expect(trace(() => failingSync())).rejects.toBe(boom);
    expect(() => failingSync()).toThrow(boom);
  });

  it("returns the very same promise object the module returned", async () => {
    const p = Promise.resolve("same");
    const passthrough = traceModule("passthrough", () => p);
    let returned: unknown;
    await trace(() => {
      returned = passthrough();
      return returned;
    });
    expect(returned).toBe(p);
  });

  it("replays planned outputs without running the module", async () => {
    let runs = 0;
    const expensive = traceModule("expensive", async (x: string) => {
      runs++;
      return `computed ${x}`;
    });
    const syncModule = traceModule("syncModule", (x: string) => `sync ${x}`);
    const replay = { lookup: (name: string, index: number) => (name === "expensive" && index === 1 ? { output: "from the recording" } : name === "syncModule" ? { output: "replayed sync" } : undefined) };
    const run = await trace(async () => [await expensive("a"), await expensive("b"), syncModule("c")], { replay });
    expect(run.output).toEqual(["computed a", "from the recording", "replayed sync"]);
    expect(runs).toBe(1);
    const spans = byName(run.spans, "expensive");
    expect(spans.map((s) => s.attributes[TG.replayed])).toEqual([undefined, true]);
    expect(spans[1]!.attributes["output.value"]).toBe("from the recording");
    expect(one(run.spans, "syncModule").attributes[TG.replayed]).toBe(true);
  });

  it("returns a replayed output as a promise for async modules", async () => {
    const asyncModule = traceModule("asyncModule", async () => "real");
    let returned: unknown;
    await trace(() => {
      returned = asyncModule();
      return returned;
    }, { replay: { lookup: () => ({ output: "recorded" }) } });
    expect(returned).toBeInstanceOf(Promise);
    await expect(returned).resolves.toBe("recorded");
  });

  it("rejects bad definitions with typed errors", () => {
    expect(() => traceModule("", () => 1)).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", 42 as unknown as () => number)).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", () => 1, { params: [{} as never] })).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", () => 1, { params: [{} as never] })).toThrow(/param\(/);
  });

  it("rejects a blank or non-string role at wrap time", () => {
    expect(() => traceModule("x", () => 1, { role: " " })).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", () => 1, { role: "" })).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", () => 1, { role: 42 as never })).toThrow(InvalidArgumentError);
    expect(() => traceModule("x", () => 1, { role: " " })).toThrow('traceModule("x"): role');
    expect(() => traceModule("x", () => 1, { role: "answer" })).not.toThrow();
  });

  it("never registers tracegrad's provider globally", async () => {
    const before = otelTrace.getTracerProvider();
    await trace(() => planner("q"));
    expect(otelTrace.getTracerProvider()).toBe(before);
  });
});

// refine()'s options and result shape, on a stub run so they need no agent: validation happens before the run is
// touched, and a run without replayable calls is an error, not a silent no-op.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  InvalidArgumentError,
  NoEngineError,
  refine,
  trace,
  traceModule,
  Variable,
  type ModuleRefinement,
  type PromptRefinement,
  type RefineOptions,
  type RefineResult,
  type TraceGraph,
  type TraceRun,
} from "../../src/index.js";
import type { OutputsRefineResult, PromptsRefineResult } from "../../src/optim/refine.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

function stubRun(): TraceRun<string> {
  const output = new Variable("final answer", { role: "final answer" });
  const graph: TraceGraph = { nodes: [], edges: [], output, parameters: [], variables: new Map(), calls: [], warnings: [] };
  const run: TraceRun<string> = { output: "final answer", spans: [], graph, params: new Map(), values: new Map(), traceId: "t1", runId: "r1", attempt: 0, rerun: async () => run };
  return run;
}
const engine = new FakeEngine([]);
const loss = async (out: Variable) => out;

describe("refine: result is a union on target", () => {
  it("outputs mode (the default, or target: \"outputs\") returns target, modules and the final evaluation, and no prompts", async () => {
    const answer = traceModule("answer", async () => "final answer");
    const run = await trace(() => answer());
    for (const refined of [await refine(run, { loss, engine }), await refine(run, { loss, engine, target: "outputs" })]) {
      expect(refined.target).toBe("outputs");
      // the identity loss draws no feedback: the module is visited, nothing changes, nothing is re-run
      expect(refined.modules.map((m) => [m.module, m.changed, m.evaluation])).toEqual([["answer", false, "final answer"]]);
      expect(refined.evaluation).toBe("final answer");
      expect(refined).not.toHaveProperty("prompts");
      expect(refined.run).toBe(run);
      expect(refined.initial).toBe(run);
      expect(refined.usage).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0 });
    }
  });

  it("outputs mode on a run with no replayable call throws, listing the calls and how to make them replayable (it used to return modules: [] silently)", async () => {
    const run = stubRun();
    const calls = [{ spanId: "s1", traceId: "t1", name: "ChatOpenAI", kind: "llm", dialect: "tracegrad", startTime: 0, endTime: 1, input: "", output: "", params: [], inputRefs: [], attributes: {} }];
    const withCalls = { ...run, graph: { ...run.graph, calls } } as unknown as TraceRun<string>;
    const error = await refine(withCalls, { loss, engine }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/no replayable call.*ChatOpenAI \(llm\).*traceModule.*tracegradMiddleware/s);
    await expect(refine(stubRun(), { loss, engine })).rejects.toThrow(/The run has: \(no calls\)/);
  });

  it("is typed by target without narrowing (checked by tsc)", () => {
    // Never called: the assertions are on types.
    const typed = async (run: TraceRun<string>, options: RefineOptions) => {
      const outputs = await refine(run, { loss, engine });
      expectTypeOf(outputs).toEqualTypeOf<OutputsRefineResult<string>>();
      expectTypeOf(outputs.modules).toEqualTypeOf<readonly ModuleRefinement[]>();
      // @ts-expect-error an outputs result has no prompts
      void outputs.prompts;
      expectTypeOf(await refine(run, { loss, engine, target: "outputs" })).toEqualTypeOf<OutputsRefineResult<string>>();
      const prompts = await refine(run, { loss, engine, target: "prompts" });
      expectTypeOf(prompts).toEqualTypeOf<PromptsRefineResult<string>>();
      expectTypeOf(prompts.prompts).toEqualTypeOf<readonly PromptRefinement[]>();
      // @ts-expect-error a prompts result has no modules
      void prompts.modules;
      const either = await refine(run, options);
      expectTypeOf(either).toEqualTypeOf<RefineResult<string>>();
      if (either.target === "prompts") expectTypeOf(either).toEqualTypeOf<PromptsRefineResult<string>>();
      // @ts-expect-error "prompt" is not a target
      await refine(run, { loss, engine, target: "prompt" });
    };
    expect(typed).toBeTypeOf("function");
  });
});

describe("refine: options are checked before anything runs", () => {
  it("rejects an unknown target, listing the valid ones (it used to run outputs mode silently)", async () => {
    const error = await refine(stubRun(), { loss, engine, target: "prompt" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe('refine(): target must be "outputs" or "prompts" (got "prompt").');
    expect(engine.calls).toHaveLength(0);
  });

  it("rejects a missing loss, naming loss and the misspelt key (it used to throw TypeError: options.loss is not a function)", async () => {
    const error = await refine(stubRun(), { los: loss, engine } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/\{ loss \}.*"los"/);
  });

  it("rejects missing options, a missing engine and something that is not an engine", async () => {
    await expect(refine(stubRun(), undefined as never)).rejects.toThrow(InvalidArgumentError);
    await expect(refine(stubRun(), { loss } as never)).rejects.toThrow(NoEngineError);
    const notEngine = refine(stubRun(), { loss, engine: { invoke: () => "hi" } } as never);
    await expect(notEngine).rejects.toThrow(InvalidArgumentError);
    await expect(refine(stubRun(), { loss, engine: "gpt-4o" } as never)).rejects.toThrow(/engine.*generate\(request\).*chatModelEngine/);
  });

  it("rejects rounds that are not a whole number ≥ 1, and modules that are not names", async () => {
    await expect(refine(stubRun(), { loss, engine, rounds: 0 })).rejects.toThrow(/rounds.*whole number ≥ 1.*0/);
    await expect(refine(stubRun(), { loss, engine, rounds: 1.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(refine(stubRun(), { loss, engine, modules: "planner" } as never)).rejects.toThrow(/modules.*array of module names/);
  });
});

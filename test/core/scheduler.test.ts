// Backward as a scheduler: concurrency, determinism, pruning, scale, cycles, failures.
import { describe, expect, it } from "vitest";
import { EngineCallError, GraphCycleError } from "../../src/errors.js";
import { Variable } from "../../src/core/variable.js";
import { BlackboxLLM } from "../../src/core/functions/blackbox-llm.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { extractTagged } from "../../src/prompts/tags.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const BACKWARD = renderBackwardSystemPrompt();
const isBackward = (r: EngineRequest) => r.system === BACKWARD;

/** An engine that takes `ms` per call and records the most calls it ever had in flight. */
function slowEngine(ms: number, reply: (r: EngineRequest) => string = (r) => (isBackward(r) ? `fb ${extractTagged(r.prompt, "ROLE")}` : `ans ${r.prompt}`)) {
  const state = { inFlight: 0, max: 0 };
  const engine = new FakeEngine(async (r) => {
    state.max = Math.max(state.max, ++state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, ms));
    state.inFlight--;
    return reply(r);
  });
  return { engine, state };
}

async function batchGraph(engine: FakeEngine, size: number) {
  const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
  const model = new BlackboxLLM({ engine, systemPrompt: system });
  const judge = new TextLoss("Judge the answer.", { engine });
  const losses = await Promise.all(
    Array.from({ length: size }, async (_, i) => judge.forward(await model.forward(new Variable(`q${i}`, { role: "question" }), { role: `answer ${i}` }))),
  );
  return { system, root: sum(losses) };
}

describe("backward scheduler", () => {
  it("runs independent batch samples concurrently, bounded by concurrency", async () => {
    for (const [concurrency, expected] of [[undefined, 4], [2, 2], [1, 1]] as const) {
      const { engine, state } = slowEngine(15);
      const { root } = await batchGraph(engine, 4);
      state.max = 0;
      await root.backward({ engine, ...(concurrency === undefined ? {} : { concurrency }) });
      expect(state.max).toBe(expected);
    }
  });

  it("sends identical prompts in identical order with concurrency 1 and the default", async () => {
    const runs: string[][] = [];
    for (const concurrency of [1, undefined]) {
      const { engine } = slowEngine(1);
      const { root } = await batchGraph(engine, 3);
      const before = engine.calls.length;
      await root.backward({ engine, ...(concurrency === undefined ? {} : { concurrency }) });
      runs.push(engine.calls.slice(before).map((r) => `${r.system}\n---\n${r.prompt}`));
    }
    expect(runs[0]).toHaveLength(6);
    expect(runs[1]).toEqual(runs[0]);
  });

  it("makes no call for a node with nothing trainable upstream", async () => {
    const engine = new FakeEngine((r) => (isBackward(r) ? "fb" : "ans"));
    const trainedSystem = new Variable("You are a careful solver.", { role: "trained prompt", requiresGrad: true });
    const trained = await new LLMCall({ engine, systemPrompt: trainedSystem }).forward(new Variable("q", { role: "question" }), { role: "trained answer" });
    const frozen = await new LLMCall({ engine, systemPrompt: "fixed" }).forward(new Variable("q", { role: "question" }), { role: "frozen answer" });
    expect(frozen.requiresGrad).toBe(false);
    const loss = await new TextLoss("Judge.", { engine }).forward(sum([trained, frozen]));
    const before = engine.calls.length;
    const report = await loss.backward({ engine });
    const roles = engine.calls.slice(before).map((r) => extractTagged(r.prompt, "ROLE"));
    expect(roles).toEqual([sum([trained, frozen]).role, "trained prompt"]);
    expect(report.calls).toBe(2);
    expect(frozen.gradients).toEqual([]);

    const lone = await new TextLoss("Judge.", { engine }).forward(frozen);
    expect((await lone.backward({ engine })).calls).toBe(0);
  });

  it("handles a 10,000-node chain without overflowing the stack", async () => {
    const engine = new FakeEngine(() => "fb");
    const step = new StringBasedFunction({ purpose: "copy", fn: ({ x }) => x!.value });
    const start = new Variable("v", { role: "start", requiresGrad: true });
    let v = start;
    for (let i = 0; i < 10_000; i++) v = step.forward({ x: v }, { role: `node ${i}` });
    const report = await v.backward({ engine });
    expect(report.calls).toBe(10_000);
    expect(start.gradients).toHaveLength(1);
  });

  it("handles a 10,000-wide fan-in (sum of 10k variables)", async () => {
    const engine = new FakeEngine(() => "fb");
    const leaves = Array.from({ length: 10_000 }, (_, i) => new Variable(`v${i}`, { role: `leaf ${i}`, requiresGrad: true }));
    const loss = await new TextLoss("Judge.", { engine }).forward(sum(leaves, { role: "all leaves" }));
    const report = await loss.backward({ engine });
    expect(report.calls).toBe(1);
    expect(leaves.every((l) => l.gradients.length === 1)).toBe(true);
  });

  it("rejects a cycle with GraphCycleError", async () => {
    const a = new Variable("a", { role: "a", requiresGrad: true });
    const b = sum([a], { role: "b" });
    (a as unknown as { predecessors: Variable[] }).predecessors = [b];
    await expect(b.backward({ engine: new FakeEngine(() => "fb") })).rejects.toThrow(GraphCycleError);
  });

  it("an engine failing mid-backward gives EngineCallError and takes back feedback delivered elsewhere", async () => {
    const engine = new FakeEngine((r) => {
      if (isBackward(r) && extractTagged(r.prompt, "ROLE") === "system prompt" && extractTagged(r.prompt, "LM_INPUT") === "q1") throw new Error("boom");
      return isBackward(r) ? `fb ${extractTagged(r.prompt, "LM_INPUT")}` : `ans ${r.prompt}`;
    });
    const { system, root } = await batchGraph(engine, 2);
    const error = await root.backward({ engine }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toContain('for "system prompt"');
    expect(system.gradients).toEqual([]);
    const answers = root.predecessors.map((loss) => loss.predecessors[1]!);
    expect(answers.map((a) => a.gradients.length)).toEqual([0, 0]);
  });
});

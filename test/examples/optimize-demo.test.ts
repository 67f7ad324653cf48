import { describe, expect, it } from "vitest";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { evaluateChameleon } from "../../examples/chameleon/evaluate.js";
import { runOptimizeDemo, splitQuestions } from "../../examples/chameleon/optimize-demo.js";
import { defaultChameleonPrompts, type ChameleonPrompts } from "../../examples/chameleon/prompts.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { createImperfectChameleonModel } from "../../examples/chameleon/sim/imperfect-model.js";
import type { SimulatedQuestion } from "../../examples/chameleon/sim/simulated-world.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

/** Accuracy of a fresh, untraced agent with `prompts` on `qs` — measured here, not read from the demo's result. */
async function measure(prompts: ChameleonPrompts, qs: readonly SimulatedQuestion[]): Promise<number> {
  const { model } = createImperfectChameleonModel(chameleonWorld);
  return (await evaluateChameleon(createChameleon({ model: new SimulatedChatModel(model), prompts }), qs)).accuracy;
}

describe("npm run demo:optimize (runOptimizeDemo)", () => {
  it("prints a line per step and improves the agent, as a fresh agent with the returned prompts confirms on validation and test", async () => {
    const lines: string[] = [];
    const demo = await runOptimizeDemo({ print: (l) => lines.push(l) });
    const { split, result } = demo;

    expect(lines.filter((l) => /^step \d+\/8: (accepted|rejected)/.test(l))).toHaveLength(8);
    expect(result.steps).toHaveLength(8);
    expect(new Set([...split.train, ...split.val, ...split.test].map((q) => q.id)).size).toBe(48);

    const start = defaultChameleonPrompts();
    const returned: ChameleonPrompts = { ...start };
    for (const [name, value] of Object.entries(result.best.values)) returned[name.replace(/^chameleon\./, "") as keyof ChameleonPrompts] = value;
    expect(returned).toEqual(demo.prompts);

    const valBefore = await measure(start, split.val);
    const valAfter = await measure(returned, split.val);
    expect(valBefore).toBeCloseTo(result.baseline.score, 10);
    expect(valAfter).toBeCloseTo(result.best.score, 10);
    expect(valAfter).toBeGreaterThan(valBefore);

    const testBefore = await measure(start, split.test);
    const testAfter = await measure(returned, split.test);
    expect(testBefore).toBe(demo.test.baseline);
    expect(testAfter).toBe(demo.test.optimized);
    expect(testAfter).toBeGreaterThan(testBefore);

    // the simulated optimizer really was imperfect: not every proposal was a general fix
    expect(demo.decisions.some((d) => d.kind !== "general")).toBe(true);
  }, 30_000);

  it("is deterministic: the same seed prints the same lines", async () => {
    const a: string[] = [];
    const b: string[] = [];
    await runOptimizeDemo({ seed: 3, steps: 3, print: (l) => a.push(l) });
    await runOptimizeDemo({ seed: 3, steps: 3, print: (l) => b.push(l) });
    expect(a).toEqual(b);
    expect(splitQuestions(3)).toEqual(splitQuestions(3));
    expect(splitQuestions(3).test).not.toEqual(splitQuestions(4).test);
  }, 30_000);
});

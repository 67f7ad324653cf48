import { describe, expect, it } from "vitest";
import { optimize } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

const optimizeTask = (selection: "greedy" | "pareto") => {
  const task = createSimulatedTask({ seed: 9 });
  return optimize({ ...taskOptions(task), steps: 12, batchSize: 4, selection }).then((result) => ({ task, result }));
};

describe("optimize() with Pareto selection", () => {
  it("keeps a candidate that wins on a subset of the valset that greedy's best loses on", async () => {
    const { result: greedy } = await optimizeTask("greedy");
    const { task, result: pareto } = await optimizeTask("pareto");
    const winners = pareto.pool.filter((c) => c.scores.some((s, i) => s > greedy.best.scores[i]!));
    expect(winners.length).toBeGreaterThan(0);
    // such a candidate is not simply better overall: greedy's gate would have dropped it
    const kept = winners.find((c) => c.score <= greedy.best.score);
    expect(kept).toBeDefined();
    // the examples it wins are explained by the world's rules (scores are what its prompt earns)
    for (const c of pareto.pool) expect(c.score).toBeCloseTo(task.accuracy(c.values["solver.system"]!, task.valset), 10);
    // lineage: every candidate but the first has a parent in the pool, produced at an earlier or equal step
    for (const c of pareto.pool.slice(1)) {
      const parent = pareto.pool.find((p) => p.id === c.parent);
      expect(parent).toBeDefined();
      expect(parent!.step).toBeLessThanOrEqual(c.step);
    }
    // the best is the pool's best mean, and never below the baseline
    expect(pareto.best.score).toBe(Math.max(...pareto.pool.map((c) => c.score)));
    expect(pareto.best.score).toBeGreaterThan(pareto.baseline.score);
  });

  it("validates a child only after it beats its parent on the same minibatch", async () => {
    const { result } = await optimizeTask("pareto");
    for (const step of result.steps) {
      if (step.batchScores.child === undefined) continue;
      const [parent, child] = [step.batchScores.parent, step.batchScores.child].map((xs) => xs.reduce((a, b) => a + b, 0));
      if (child! > parent!) expect(step.candidateScore).toBeDefined();
      else expect([step.accepted, step.candidateScore]).toEqual([false, undefined]);
    }
    expect(result.steps.some((s) => s.reason.startsWith("not better than its parent on the minibatch"))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { optimize, type OptimizeEvent } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

const run = (seed: number, gate: boolean, steps = 8) => {
  const task = createSimulatedTask({ seed });
  const events: OptimizeEvent[] = [];
  const result = optimize({
    ...taskOptions(task),
    steps,
    batchSize: 4,
    gate,
    onEvent: (e) => events.push(e),
  });
  return { task, events, result };
};

describe("optimize() greedy with the validation gate", () => {
  it("never lets the validation score fall, and ends above the baseline", async () => {
    const { task, events, result: pending } = run(1, true);
    const result = await pending;
    expect(result.best.score).toBeGreaterThan(result.baseline.score);
    let previous = result.baseline.score;
    for (const step of result.steps) {
      expect(step.score).toBeGreaterThanOrEqual(previous);
      previous = step.score;
    }
    // the returned prompt is what the world's rules say it scores, and the parameter is left at it
    expect(task.prompt.value).toBe(result.best.values["solver.system"]);
    expect(task.accuracy(task.prompt.value, task.valset)).toBeCloseTo(result.best.score, 10);
    expect(result.baseline.score).toBeCloseTo(task.accuracy("Answer the question.", task.valset), 10);
    // some candidates were rejected: the decisions mattered
    expect(result.steps.some((s) => !s.accepted && s.candidateScore !== undefined && s.candidateScore < s.score) || result.steps.some((s) => s.proposals.some((p) => p.reason.startsWith("overfitting guard")))).toBe(true);
    expect(events[0]?.type).toBe("start");
    expect(events.at(-1)?.type).toBe("end");
    expect(events.filter((e) => e.type === "step")).toHaveLength(result.steps.length);
    expect(result.usage.calls).toBe(task.engine.calls.length);
  });

  it("without the gate, the same seed accepts a regression", async () => {
    const gated = await run(2, true, 10).result;
    const ungated = await run(2, false, 10).result;
    const scores = [ungated.baseline.score, ...ungated.steps.map((s) => s.score)];
    const fell = ungated.steps.some((s, i) => s.accepted && s.score < scores[i]!);
    expect(fell).toBe(true);
    const gatedScores = [gated.baseline.score, ...gated.steps.map((s) => s.score)];
    expect(gated.steps.every((s, i) => s.score >= gatedScores[i]!)).toBe(true);
  });
});

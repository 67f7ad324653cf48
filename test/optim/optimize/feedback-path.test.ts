import { describe, expect, it } from "vitest";
import { optimize } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

describe("optimize(): feedback reaches the prompts only through the graph", () => {
  const optimizeTask = (dropParamEdges: boolean) => {
    const task = createSimulatedTask({ seed: 1 });
    return optimize({
      ...taskOptions(task),
      steps: 6,
      ...(dropParamEdges ? { dropEdge: (_e: unknown, ends: { from: { kind: string } }) => ends.from.kind === "param" } : {}),
    }).then((result) => ({ task, result }));
  };

  it("with the edge from the prompt cut, nothing improves and no update is asked for", async () => {
    const { result: intact } = await optimizeTask(false);
    expect(intact.best.score).toBeGreaterThan(intact.baseline.score);

    const { task, result } = await optimizeTask(true);
    expect(result.best.score).toBe(result.baseline.score);
    expect(result.steps.every((s) => !s.accepted && s.proposals.length === 0)).toBe(true);
    expect(result.steps.some((s) => s.reason.startsWith("no parameter received feedback"))).toBe(true);
    expect(task.engine.counts.optimizer).toBe(0);
    expect(task.prompt.value).toBe("Answer the question.");
  });

  it("records, per step and parameter, the feedback, the proposal and the verdict", async () => {
    const { result } = await optimizeTask(false);
    const proposals = result.steps.flatMap((s) => s.proposals);
    expect(proposals.length).toBeGreaterThan(0);
    for (const p of proposals) {
      expect(p.parameter).toBe("solver.system");
      expect(p.feedback.length).toBeGreaterThan(0);
      expect(p.feedback.every((f) => f.includes("should make the solver fix this"))).toBe(true);
      expect(["accepted", "rejected"]).toContain(p.status);
      expect(p.reason).not.toBe("");
    }
    const accepted = proposals.filter((p) => p.status === "accepted");
    expect(accepted.length).toBeGreaterThan(0);
    for (const p of accepted) expect(p.scoreAfter!).toBeGreaterThanOrEqual(p.scoreBefore!);
  });
});

import { describe, expect, it } from "vitest";
import { optimize } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

const run = (guard?: false | { minSpanWords: number }) => {
  const task = createSimulatedTask({ seed: 1 });
  return optimize({
    ...taskOptions(task),
    steps: 8,
    ...(guard === undefined ? {} : { guard }),
  }).then((result) => ({ task, result }));
};

const copiesTraining = (text: string, task: ReturnType<typeof createSimulatedTask>) => task.trainset.some((e) => text.includes(`"${e.question}"`));

describe("optimize() overfitting guard", () => {
  it("rejects a proposal that copies a training example before validating it, and says why", async () => {
    const { task, result } = await run();
    const guarded = result.steps.flatMap((s) => s.proposals.map((p) => ({ s, p }))).filter(({ p }) => p.reason.startsWith("overfitting guard"));
    expect(guarded.length).toBeGreaterThan(0);
    for (const { s, p } of guarded) {
      expect(p.status).toBe("rejected");
      expect(p.reason).toMatch(/copies (the answer of training example \d+|\d+ words of training example \d+'s input)/);
      expect(copiesTraining(p.after, task)).toBe(true);
      expect(s.candidateScore).toBeUndefined(); // no validation was spent on it
    }
    expect(copiesTraining(result.best.values["solver.system"]!, task)).toBe(false);
  });

  it("without it, the same seed lets a copied training example into the prompts", async () => {
    const { task, result } = await run(false);
    expect(result.steps.flatMap((s) => s.proposals).some((p) => p.reason.startsWith("overfitting guard"))).toBe(false);
    const accepted = result.steps.flatMap((s) => s.proposals).filter((p) => p.status === "accepted");
    expect(accepted.some((p) => copiesTraining(p.after, task))).toBe(true);
  });
});

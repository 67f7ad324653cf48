import { describe, expect, it } from "vitest";
import { optimize, TextLoss } from "../../../src/index.js";
import { createSimulatedTask, SimulatedModel, type TaskExample } from "../../../src/testing/index.js";

describe("optimize({ loss })", () => {
  it("uses the given loss on each failing sample's output (an LLM judge here) instead of the metric's words", async () => {
    const task = createSimulatedTask({ seed: 1 });
    const byQuestion = new Map(task.trainset.map((e) => [e.question, e]));
    // the simulated judge says what is wrong, from the question named in its instruction
    const engine = new SimulatedModel([
      ...task.engine.rules,
      {
        role: "judge",
        matches: (r) => r.system?.startsWith("Judge the answer to: ") === true,
        reply: (r) => task.metric(r.prompt, byQuestion.get(r.system!.slice("Judge the answer to: ".length))!).feedback ?? "Correct.",
      },
    ]);
    const seen: number[] = [];
    const result = await optimize({
      agent: task.agent,
      trainset: task.trainset,
      valset: task.valset,
      metric: (output: string, example: TaskExample) => (output === example.answer ? 1 : 0), // a bare score: no words
      engine,
      steps: 6,
      loss: (output, sample) => {
        seen.push(sample.score);
        return new TextLoss(`Judge the answer to: ${sample.example.question}`, { engine }).forward(output);
      },
    });
    expect(engine.counts.judge).toBeGreaterThan(0);
    expect(engine.counts.judge).toBe(seen.length);
    expect(seen.every((s) => s < 1)).toBe(true); // perfect samples send nothing
    expect(result.best.score).toBeGreaterThan(result.baseline.score);
  });
});

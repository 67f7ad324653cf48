import { describe, expect, it } from "vitest";
import { param, traceModule } from "../../src/index.js";
import { finalAnswerLine, parseIntegerAnswer, sortedWordsMatch } from "../../bench/quality/metrics.js";
import { runQualityBench } from "../../bench/quality/run-bench.js";
import { simulatedStudent } from "../../bench/quality/sim/student.js";
import { loadTask, TASK_NAMES } from "../../bench/quality/tasks.js";

describe("bench/quality data and metrics", () => {
  it("loads TextGrad's splits: BBH 50/100/100 in file order, GSM8K 200/300/1319", () => {
    const sizes = TASK_NAMES.map((n) => loadTask(n)).map((t) => [t.name, t.train.length, t.val.length, t.test.length]);
    expect(sizes).toEqual([["object_counting", 50, 100, 100], ["word_sorting", 50, 100, 100], ["gsm8k", 200, 300, 1319]]);
    const gsm = loadTask("gsm8k");
    // DSPy's shuffled train split starts with this question (random.Random(0) over the official train file)
    expect(gsm.train[0]!.input).toMatch(/^Question: The result from the 40-item Statistics exam Marion and Ella/);
    expect(gsm.train.every((e) => /^\d+$/.test(e.target))).toBe(true);
  });

  it("scores as TextGrad does: the last token with a digit, cut at the decimal point", () => {
    expect(parseIntegerAnswer("so 3 + 4.\nAnswer: 7")).toBe(7);
    expect(parseIntegerAnswer("Answer: $1,250.50")).toBe(1250);
    expect(parseIntegerAnswer("no number")).toBe(0);
    expect(finalAnswerLine("think\nAnswer: a b\nmore")).toBe("a b");
    expect(sortedWordsMatch("Answer: apple, Banana", "apple banana")).toBe(1);
    expect(sortedWordsMatch("Answer: banana apple", "apple banana")).toBe(0);
  });
});

describe("npm run bench:quality, offline on a tiny subset", () => {
  it("runs every task end to end, says simulated in every line, and its optimized accuracy is what the returned prompt scores", async () => {
    const lines: string[] = [];
    const figures = await runQualityBench({ subset: 12, steps: 3, simulate: true, print: (l) => lines.push(l) });

    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.startsWith("simulated | "))).toBe(true);
    expect(lines.filter((l) => /^simulated \| .*step \d+\/3: (accepted|rejected)/.test(l)).length).toBe(9);
    expect(lines.some((l) => l.includes("TextGrad reported 77.8% -> 91.9%"))).toBe(true);
    expect(figures.map((f) => f.task.name)).toEqual(TASK_NAMES);

    for (const f of figures) {
      expect(f.simulated).toBe(true);
      expect(f.sizes).toEqual({ train: 12, val: 12, test: 12 });
      expect(f.models.optimizer.engine.usage.calls).toBeGreaterThan(0);
      // re-measure the test accuracy of the returned prompt with a fresh student (not the bench's own numbers)
      const test = f.task.test.slice(0, 12);
      const student = simulatedStudent(f.task.name, test);
      const prompt = param(`check.${f.task.name}`, f.prompt, { role: "system prompt" });
      const answer = traceModule("student", async (input: string) => (await student.generate({ system: prompt.value, prompt: input })).text);
      let correct = 0;
      for (const e of test) correct += f.task.score(await answer(e.input), e);
      expect(correct / test.length).toBeCloseTo(f.test.optimized, 10);
      expect(f.prompt).toBe(f.result.best.values[`${f.task.name}.system`]);
    }
  }, 60_000);
});

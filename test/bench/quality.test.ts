import { describe, expect, it } from "vitest";
import { param, traceModule } from "../../src/index.js";
import { simulatedReply, startStubServer } from "../../src/testing/index.js";
import { simulatedTeacher } from "../../bench/quality/sim/teacher.js";
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

describe("npm run bench:quality with an endpoint configured", () => {
  it("talks to the models the environment names, over HTTP, and prints unmarked lines with calls per model", async () => {
    // an OpenAI-compatible stub stands in for the endpoint; it serves the simulated models by the model name asked for
    const task = loadTask("object_counting");
    const examples = [...task.train, ...task.val, ...task.test];
    const student = simulatedReply(simulatedStudent("object_counting", examples));
    const teacher = simulatedReply(simulatedTeacher("object_counting", examples));
    const stub = await startStubServer({ reply: (r) => (r.model === "optimizer-model" ? teacher(r) : student(r)) });
    try {
      const lines: string[] = [];
      const env = { OPENAI_BASE_URL: stub.url, OPENAI_API_KEY: "sk-test", TRACEGRAD_STUDENT_MODEL: "student-model", TRACEGRAD_OPTIMIZER_MODEL: "optimizer-model" };
      const [f] = await runQualityBench({ tasks: ["object_counting"], subset: 6, steps: 2, env, print: (l) => lines.push(l) });
      expect(f!.simulated).toBe(false);
      expect(lines.some((l) => l.startsWith("simulated"))).toBe(false);
      const asked = new Set(stub.requests.map((r) => r.model));
      expect(asked).toEqual(new Set(["student-model", "optimizer-model"]));
      expect(f!.models.student.engine.usage.calls).toBe(stub.requests.filter((r) => r.model === "student-model").length);
      expect(lines.some((l) => /usage — student student-model: \d+ calls, [\d,]+ tokens, cost unknown/.test(l))).toBe(true);
    } finally {
      await stub.close();
    }
  }, 60_000);
});

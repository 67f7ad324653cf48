/**
 * @module bench/quality
 * `npm run bench:quality` — TextGrad's prompt-optimization tasks (BBH Object Counting, BBH Word Sorting, GSM8K) with its
 * splits and starting prompt, optimized by `optimize()`; prints baseline -> optimized test accuracy beside TextGrad's.
 *
 *   npm run bench:quality                                   # offline: simulated student and optimizer (every line says so)
 *   npm run bench:quality -- --tasks gsm8k --subset 50      # one task, at most 50 examples per split
 *   OPENAI_API_KEY=… TRACEGRAD_STUDENT_MODEL=gpt-4o-mini TRACEGRAD_OPTIMIZER_MODEL=gpt-4o npm run bench:quality
 *
 * Flags: --tasks object_counting,word_sorting,gsm8k  --subset N  --steps 12  --batch-size 3  --seed 42  --simulate
 * (simulated models even with an endpoint configured)  --checkpoint-dir DIR (resume a real run).
 */
import { parseArgs } from "node:util";
import { TASK_NAMES, type TaskName } from "./tasks.js";
import { runQualityBench } from "./run-bench.js";

const { values } = parseArgs({
  options: {
    tasks: { type: "string" },
    subset: { type: "string" },
    steps: { type: "string" },
    "batch-size": { type: "string" },
    seed: { type: "string" },
    simulate: { type: "boolean" },
    "checkpoint-dir": { type: "string" },
  },
});

const int = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`bench:quality: --${name} must be a non-negative integer, got "${text}".`);
  return n;
};
const tasks = values.tasks?.split(",").map((t) => t.trim()) as TaskName[] | undefined;
const unknown = tasks?.filter((t) => !TASK_NAMES.includes(t));
if (unknown && unknown.length > 0) throw new Error(`bench:quality: unknown task(s) ${unknown.join(", ")}; choose from ${TASK_NAMES.join(", ")}.`);

await runQualityBench({
  ...(tasks ? { tasks } : {}),
  ...(values.subset !== undefined ? { subset: int("subset", values.subset) } : {}),
  ...(values.steps !== undefined ? { steps: int("steps", values.steps) } : {}),
  ...(values["batch-size"] !== undefined ? { batchSize: int("batch-size", values["batch-size"]) } : {}),
  ...(values.seed !== undefined ? { seed: int("seed", values.seed) } : {}),
  ...(values.simulate ? { simulate: true } : {}),
  ...(values["checkpoint-dir"] ? { checkpointDir: values["checkpoint-dir"] } : {}),
});

/**
 * @module bench/quality/run-task
 * One task, TextGrad's protocol: the student answers with a trainable system prompt (TextGrad's starting prompt and
 * role); `optimize` trains it on the train split with the validation gate (selection on validation only); the test
 * split is scored separately, before and after, and never seen by the loop.
 */
import { optimize, param, traceModule, tracedEngine, type OptimizeEvent, type OptimizeResult } from "../../src/index.js";
import { finalAnswerLine, parseIntegerAnswer } from "./metrics.js";
import { benchModels, type BenchModels } from "./models.js";
import { SYSTEM_PROMPT_ROLE, type Example, type Task } from "./tasks.js";

/** Options of {@link runTask}. */
export interface RunTaskOptions {
  /** Optimization steps (TextGrad: 12 — 3 epochs of 4 steps). */
  readonly steps: number;
  /** Minibatch size (TextGrad: 3). */
  readonly batchSize: number;
  readonly seed: number;
  /** Use at most this many examples of each split (first ones, in split order). */
  readonly subset?: number;
  /** Force the simulated models even when an endpoint is configured. */
  readonly simulate?: boolean;
  /** Resume directory for optimize (one sub-directory per task). */
  readonly checkpointDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives every line to print. */
  readonly print: (line: string) => void;
}

/** What one task measured. */
export interface TaskFigures {
  readonly task: Task;
  readonly simulated: boolean;
  readonly sizes: { readonly train: number; readonly val: number; readonly test: number };
  /** Test accuracy (0..1) of the starting prompt and of the returned one. */
  readonly test: { readonly baseline: number; readonly optimized: number };
  /** Validation accuracy, as the loop measured it. */
  readonly val: { readonly baseline: number; readonly best: number };
  readonly steps: number;
  readonly acceptedSteps: number;
  readonly prompt: string;
  readonly result: OptimizeResult;
  readonly models: BenchModels;
}

/** Runs one task end to end and prints a line per step and the figures. */
export async function runTask(task: Task, options: RunTaskOptions): Promise<TaskFigures> {
  const cap = <T>(xs: readonly T[]) => (options.subset === undefined ? xs : xs.slice(0, options.subset));
  const split = { train: cap(task.train), val: cap(task.val), test: cap(task.test) };
  const models = benchModels(task, { simulate: options.simulate, seed: options.seed, env: options.env });
  const { print } = options;

  const prompt = param(`${task.name}.system`, task.startingPrompt, { role: SYSTEM_PROMPT_ROLE });
  const llm = tracedEngine(models.student.engine);
  const answer = traceModule("student", async (input: string) => (await llm.generate({ system: prompt.value, prompt: input })).text, {
    params: [prompt],
    role: "reasoning and prediction from the language model",
  });
  const metric = (output: string, example: Example) => {
    if (task.score(output, example) === 1) return { score: 1 };
    const got = task.name === "word_sorting" ? finalAnswerLine(output) : String(parseIntegerAnswer(output));
    return { score: 0, feedback: `The answer "${got}" is wrong; the correct answer is "${example.target}".` };
  };
  const testAccuracy = async () => {
    const outputs = await mapLimit(split.test, models.concurrency, (e) => answer(e.input));
    return outputs.reduce((n, o, i) => n + task.score(o, split.test[i]!), 0) / Math.max(1, split.test.length);
  };

  print(`${task.title}: train ${split.train.length} / validation ${split.val.length} / test ${split.test.length}; ${options.steps} steps of ${options.batchSize}, greedy with the validation gate`);
  print(`student ${models.student.name}, optimizer ${models.optimizer.name}`);
  const baselineTest = await testAccuracy();
  const result = await optimize({
    agent: (example: Example) => answer(example.input),
    trainset: split.train,
    valset: split.val,
    metric,
    metricName: `${task.name}-accuracy`,
    parameters: [prompt],
    engine: models.optimizer.engine,
    steps: options.steps,
    batchSize: options.batchSize,
    seed: options.seed,
    concurrency: models.concurrency,
    ...(options.checkpointDir ? { checkpointDir: `${options.checkpointDir}/${task.name}` } : {}),
    onEvent: (e: OptimizeEvent) => {
      if (e.type === "start") print(`validation accuracy of the starting prompt: ${pct(e.baseline)}`);
      if (e.type === "step") print(`step ${e.step}/${options.steps}: ${e.accepted ? "accepted" : "rejected"}, validation ${pct(e.score)} (best ${pct(e.best)}) — ${e.reason}`);
    },
  });
  const optimizedTest = await testAccuracy(); // the parameter is left at the returned prompt
  const figures: TaskFigures = {
    task,
    simulated: models.simulated,
    sizes: { train: split.train.length, val: split.val.length, test: split.test.length },
    test: { baseline: baselineTest, optimized: optimizedTest },
    val: { baseline: result.baseline.score, best: result.best.score },
    steps: result.steps.length,
    acceptedSteps: result.steps.filter((s) => s.accepted).length,
    prompt: prompt.value,
    result,
    models,
  };
  for (const line of figureLines(figures)) print(line);
  return figures;
}

/** The figure lines of one task: accuracies beside TextGrad's, steps, and calls, tokens and cost per model. */
export function figureLines(f: TaskFigures): string[] {
  const usage = (m: BenchModels["student"]) => {
    const u = m.engine.usage;
    const cost = m.priced ? `$${u.cost.toFixed(4)}` : f.simulated ? "$0 (simulated)" : "cost unknown (no price for this model)";
    return `${m.name}: ${u.calls.toLocaleString("en-US")} calls, ${u.totalTokens.toLocaleString("en-US")} tokens${u.estimated ? " (estimated)" : ""}, ${cost}`;
  };
  return [
    `${f.task.title}: test accuracy ${pct(f.test.baseline)} -> ${pct(f.test.optimized)} (validation ${pct(f.val.baseline)} -> ${pct(f.val.best)}); ` +
      `TextGrad reported ${f.task.reported.baseline.toFixed(1)}% -> ${f.task.reported.optimized.toFixed(1)}% (gpt-3.5-turbo-0125 student, gpt-4o gradients)`,
    `${f.task.title}: ${f.steps} steps, ${f.acceptedSteps} accepted, stopped by ${f.result.stopReason}`,
    `${f.task.title} usage — student ${usage(f.models.student)}; optimizer ${usage(f.models.optimizer)}`,
  ];
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

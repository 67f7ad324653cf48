/**
 * @module bench/quality/models
 * The bench's two models. With OPENAI_API_KEY or OPENAI_BASE_URL set: the student is TRACEGRAD_STUDENT_MODEL (default
 * gpt-4o-mini; TextGrad used gpt-3.5-turbo-0125) and the optimizer (backward, reduce and updates) is
 * TRACEGRAD_OPTIMIZER_MODEL (default gpt-4o, as TextGrad), both through `defaultEngine()` (ChatOpenAI, temperature 0,
 * retries). Without them: the simulated student and teacher of `sim/`, in-process.
 */
import { defaultEngine, withRetry, withUsage, type Engine, type ModelPrice, type UsageReport } from "../../src/index.js";
import type { Task } from "./tasks.js";
import { simulatedStudent } from "./sim/student.js";
import { simulatedTeacher } from "./sim/teacher.js";

/** USD per 1M tokens for the usual choices; a model not listed is reported without a cost. */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-3.5-turbo-0125": { input: 0.5, output: 1.5 },
};

/** A model with its usage meter. */
export interface MeteredModel {
  readonly name: string;
  readonly engine: Engine & { readonly usage: UsageReport };
  /** Whether `PRICES` knows it (otherwise its cost is unknown, not 0). */
  readonly priced: boolean;
}

/** The student and the optimizer for one task. */
export interface BenchModels {
  readonly simulated: boolean;
  readonly student: MeteredModel;
  readonly optimizer: MeteredModel;
  /** Calls the student may have in flight. */
  readonly concurrency: number;
}

/** Whether the environment names a real endpoint. */
export function realEndpointConfigured(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
}

/** Builds the models for `task`: real ones when the environment has an endpoint (unless `simulate`), else simulated. */
export function benchModels(task: Task, options: { readonly simulate?: boolean; readonly seed?: number; readonly env?: Readonly<Record<string, string | undefined>> } = {}): BenchModels {
  const env = options.env ?? process.env;
  if (!options.simulate && realEndpointConfigured(env)) {
    const real = (name: string): MeteredModel => ({
      name,
      engine: withUsage(withRetry(defaultEngine({ model: name, env })), { prices: PRICES }),
      priced: PRICES[name] !== undefined,
    });
    return {
      simulated: false,
      student: real(env.TRACEGRAD_STUDENT_MODEL || "gpt-4o-mini"),
      optimizer: real(env.TRACEGRAD_OPTIMIZER_MODEL || "gpt-4o"),
      concurrency: 8,
    };
  }
  const examples = [...task.train, ...task.val, ...task.test];
  const student = simulatedStudent(task.name, examples);
  const teacher = simulatedTeacher(task.name, [...task.train, ...task.val], { seed: options.seed ?? 0 });
  return {
    simulated: true,
    student: { name: student.model, engine: withUsage(student), priced: false },
    optimizer: { name: teacher.model, engine: withUsage(teacher), priced: false },
    concurrency: 16,
  };
}

/**
 * @module bench/quality/run-bench
 * The whole bench: each task in turn (see `run-task.ts`), then a summary beside TextGrad's numbers. Offline (no
 * endpoint in the environment, or `simulate`) every line printed starts with "simulated |", because every figure then
 * comes from the simulated student and optimizer, not from a model.
 */
import { loadTask, TASK_NAMES, type TaskName } from "./tasks.js";
import { realEndpointConfigured } from "./models.js";
import { runTask, type RunTaskOptions, type TaskFigures } from "./run-task.js";

/** Options of {@link runQualityBench}. */
export interface QualityBenchOptions extends Partial<Omit<RunTaskOptions, "print">> {
  readonly tasks?: readonly TaskName[];
  /** Receives every printed line (default console.log). */
  readonly print?: (line: string) => void;
}

/** Runs the bench and returns the figures per task. */
export async function runQualityBench(options: QualityBenchOptions = {}): Promise<TaskFigures[]> {
  const simulated = options.simulate === true || !realEndpointConfigured(options.env ?? process.env);
  const out = options.print ?? ((line: string) => console.log(line));
  const print = (line: string) => out(simulated ? `simulated | ${line}` : line);
  const tasks = options.tasks ?? TASK_NAMES;
  if (simulated) {
    print("No OPENAI_API_KEY or OPENAI_BASE_URL: the student and the optimizer are the simulated models of bench/quality/sim,");
    print("which make documented, seeded mistakes. These figures test the loop, not a model; TextGrad's numbers are beside them for reference.");
  }
  const figures: TaskFigures[] = [];
  for (const name of tasks) {
    print("");
    figures.push(
      await runTask(loadTask(name), {
        steps: options.steps ?? 12,
        batchSize: options.batchSize ?? 3,
        seed: options.seed ?? 42,
        simulate: simulated,
        print,
        ...(options.subset === undefined ? {} : { subset: options.subset }),
        ...(options.checkpointDir === undefined ? {} : { checkpointDir: options.checkpointDir }),
        ...(options.env === undefined ? {} : { env: options.env }),
      }),
    );
  }
  print("");
  print("summary: task | test accuracy, starting prompt -> optimized | TextGrad reported");
  for (const f of figures) {
    print(`${f.task.title} | ${(100 * f.test.baseline).toFixed(1)}% -> ${(100 * f.test.optimized).toFixed(1)}% (n=${f.sizes.test}) | ${f.task.reported.baseline.toFixed(1)}% -> ${f.task.reported.optimized.toFixed(1)}%`);
  }
  return figures;
}

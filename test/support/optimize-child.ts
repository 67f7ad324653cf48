/**
 * A child process for the SIGKILL/resume tests: runs optimize() on the simulated task with a checkpoint directory and
 * prints every event, then the result, as JSON lines. Argv: <checkpointDir> <seed> <steps> <selection> <delayMs>.
 * The delay slows each optimizer call so a kill lands inside a step rather than between runs.
 */
import { optimize } from "../../src/index.js";
import { createSimulatedTask } from "../../src/testing/index.js";
import type { Engine } from "../../src/index.js";

const [dir, seed, steps, selection, delay] = process.argv.slice(2);
const task = createSimulatedTask({ seed: Number(seed) });
const slow: Engine = {
  model: task.engine.model,
  generate: async (request) => {
    await new Promise((resolve) => setTimeout(resolve, Number(delay)));
    return task.engine.generate(request);
  },
};
const result = await optimize({
  agent: task.agent,
  trainset: task.trainset,
  valset: task.valset,
  metric: task.metric,
  engine: slow,
  steps: Number(steps),
  batchSize: 4,
  selection: selection === "pareto" ? "pareto" : "greedy",
  checkpointDir: dir!,
  onEvent: (event) => process.stdout.write(`${JSON.stringify({ event })}\n`),
});
process.stdout.write(`${JSON.stringify({ result, calls: task.engine.calls.length })}\n`);

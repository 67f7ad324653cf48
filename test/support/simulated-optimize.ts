/**
 * The options every optimize() test on the simulated task starts from: its agent, data, metric and optimizer engine.
 */
import type { SimulatedTask } from "../../src/testing/index.js";

export function taskOptions(task: SimulatedTask) {
  return { agent: task.agent, trainset: task.trainset, valset: task.valset, metric: task.metric, engine: task.engine };
}

/**
 * Real runs the report tests draw: the Chameleon agent on its simulated model (a documented test double), refined
 * after the fact (outputs and prompts), and optimize() on the simulated task.
 */
import { optimize, refine, TextLoss, toGradientReport, trace, type GradientReport, type Variable } from "../../src/index.js";
import { createSimulatedTask } from "../../src/testing/index.js";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { traceChameleon } from "../../examples/chameleon/traced.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";
import { taskOptions } from "../support/simulated-optimize.js";

export const question = (id: string) => questions.find((q) => q.id === id)!;

/** A failing Chameleon run ("soc-01": the knowledge module leaves the deciding fact out) and its loss. */
export async function chameleonRun() {
  const sim = createChameleonModel(chameleonWorld);
  const agent = createChameleon({ model: new SimulatedChatModel(sim) });
  traceChameleon(agent);
  const q = question("soc-01");
  const run = await trace(() => agent.solve(q));
  const loss = (output: Variable) => new TextLoss(`Evaluate the answer to the question: ${q.question}`, { engine: sim }).forward(output);
  return { sim, run, loss, q };
}

export async function refineOutputsReport() {
  const { sim, run, loss, q } = await chameleonRun();
  const result = await refine(run, { loss, engine: sim });
  return { result, report: toGradientReport(result), q };
}

export async function refinePromptsReport() {
  const { sim, run, loss, q } = await chameleonRun();
  const result = await refine(run, { loss, engine: sim, target: "prompts", rounds: 2 });
  return { result, report: toGradientReport(result), q };
}

export async function optimizeReport(): Promise<{ result: Awaited<ReturnType<typeof optimize>>; report: GradientReport }> {
  const task = createSimulatedTask({ seed: 1 });
  const result = await optimize({ ...taskOptions(task), steps: 6 });
  // any traced run of the agent gives the graph the parameters sit in
  const run = await trace(() => task.agent(task.trainset[0]!));
  return { result, report: toGradientReport(result, { graph: run.graph }) };
}

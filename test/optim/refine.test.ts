import { describe, expect, it } from "vitest";
import { InvalidArgumentError, refine, TextLoss, trace, type Variable } from "../../src/index.js";
import type { SimulatedModel } from "../../src/testing/simulated-model.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { traceChameleon } from "../../examples/chameleon/traced.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";
import { DEFAULT_TRIGGERS } from "../../examples/chameleon/sim/simulated-world.js";

/** The Chameleon agent on the simulated model, wrapped with tracegrad from the outside. */
function setup() {
  const sim = createChameleonModel(chameleonWorld);
  const agent = createChameleon({ model: new SimulatedChatModel(sim) });
  const params = traceChameleon(agent);
  return { sim, agent, params };
}

const question = (id: string) => questions.find((q) => q.id === id)!;
const truth = (id: string) => question(id).choices[question(id).answer];
const lossFor = (id: string, engine: SimulatedModel) => (output: Variable) =>
  new TextLoss(`Evaluate the answer to the question: ${question(id).question}`, { engine }).forward(output);

describe("refine: in-order output refinement (Chameleon)", () => {
  it("fixes a wrong answer by refining the module that lacked the fact, visiting modules in execution order", async () => {
    const { sim, agent } = setup();
    const run = await trace(() => agent.solve(question("soc-01")));
    expect(run.output).not.toBe(truth("soc-01")); // knowledge retrieval leaves the deciding fact out

    const plannerCallsBefore = sim.counts.planner;
    const refined = await refine(run, { loss: lossFor("soc-01", sim), engine: sim });

    expect(refined.target).toBe("outputs");
    expect(refined.run.output).toBe(truth("soc-01"));
    expect(refined.modules.map((m) => m.module)).toEqual(["planner", "knowledgeRetrieval", "queryGenerator", "search", "solutionGenerator", "answerExtractor"]);
    const kr = refined.modules.find((m) => m.module === "knowledgeRetrieval")!;
    expect(kr.changed).toBe(true);
    expect(kr.feedback.join("\n")).toContain(question("soc-01").keyFact);
    expect(kr.after).toContain(question("soc-01").keyFact);
    // upstream of the refined module was replayed from the trace: the planner was not asked again
    expect(sim.counts.planner).toBe(plannerCallsBefore);
    expect(refined.usage.calls).toBeGreaterThan(0);
    expect(refined.initial).toBe(run);
  });

  it("fixes nothing when the gradient is cut: the feedback has to travel through the graph", async () => {
    const intact = setup();
    const cut = setup();
    const runA = await trace(() => intact.agent.solve(question("soc-01")));
    const runB = await trace(() => cut.agent.solve(question("soc-01")));

    const fixed = await refine(runA, { loss: lossFor("soc-01", intact.sim), engine: intact.sim, modules: ["knowledgeRetrieval"] });
    const notFixed = await refine(runB, {
      loss: lossFor("soc-01", cut.sim),
      engine: cut.sim,
      modules: ["knowledgeRetrieval"],
      // cut every edge leaving the knowledge module: its output can no longer hear about the final answer
      dropEdge: (_edge, { from }) => from.name === "knowledgeRetrieval",
    });

    expect(fixed.run.output).toBe(truth("soc-01"));
    expect(notFixed.run.output).toBe(runB.output);
    expect(notFixed.modules).toEqual([expect.objectContaining({ module: "knowledgeRetrieval", changed: false, feedback: [] })]);
    expect(cut.sim.counts.optimizer).toBe(0); // no feedback, so no optimizer call at all
  });

  it("refines several wrong questions out of a handful", async () => {
    const ids = ["nat-01", "nat-02", "soc-01", "soc-02", "lan-01", "lan-02"];
    let before = 0;
    let after = 0;
    for (const id of ids) {
      const { sim, agent } = setup();
      const run = await trace(() => agent.solve(question(id)));
      const refined = await refine(run, { loss: lossFor(id, sim), engine: sim });
      if (run.output === truth(id)) before++;
      if (refined.run.output === truth(id)) after++;
      if (run.output === truth(id)) expect(refined.modules.every((m) => !m.changed)).toBe(true); // right answers stay put
    }
    expect(before).toBeLessThan(ids.length);
    expect(after).toBe(ids.length);
  });
});

describe("refine: prompt refinement on one run", () => {
  it("rewrites the prompts that caused the mistake, reports the diff, and the agent then answers right", async () => {
    const { sim, agent, params } = setup();
    const run = await trace(() => agent.solve(question("soc-01")));
    const original = params.knowledgeRetrieval.value;

    const refined = await refine(run, { loss: lossFor("soc-01", sim), engine: sim, target: "prompts" });

    expect(refined.target).toBe("prompts");
    expect(refined).not.toHaveProperty("modules");
    const kr = refined.prompts.find((p) => p.id === "chameleon.knowledgeRetrieval")!;
    expect(kr.changed).toBe(true);
    expect(kr.before).toBe(original);
    expect(kr.after).toContain(DEFAULT_TRIGGERS.knowledge.phrase);
    expect(params.knowledgeRetrieval.value).toBe(kr.after); // the user's own Variable was updated
    expect(refined.run.output).toBe(truth("soc-01"));
    // a different question of the same kind now works without refinement
    const other = await trace(() => agent.solve(question("nat-01")));
    expect(other.output).toBe(truth("nat-01"));
  });
});

describe("refine: bad input", () => {
  it("rejects something that is not a traced run, and unknown module names, naming what exists", async () => {
    const { sim, agent } = setup();
    await expect(refine({} as never, { loss: lossFor("soc-01", sim), engine: sim })).rejects.toThrow(InvalidArgumentError);
    const run = await trace(() => agent.solve(question("soc-01")));
    await expect(refine(run, { loss: lossFor("soc-01", sim), engine: sim, modules: ["planer"] })).rejects.toThrow(/"planer".*planner, knowledgeRetrieval/);
  });
});

/**
 * The Chameleon planner fix, end to end over real HTTP (ChatOpenAI → stub server → simulated model): for a
 * word-study question the planner skips knowledge retrieval, the answer is wrong, and only a control edge from the
 * plan to the modules it selected lets feedback reach the planner. The re-run must really execute knowledge retrieval.
 */
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatModelEngine, refine, TextLoss, trace, type TraceRun, type Variable } from "../../src/index.js";
import { simulatedReply, startStubServer, type SimulatedModel, type StubServer } from "../../src/testing/index.js";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { createChameleonModel, type ChameleonRole } from "../../examples/chameleon/sim/chameleon-model.js";
import { containsNormalized } from "../../examples/chameleon/sim/simulated-world.js";
import { instrumentLangChain } from "../../adapters/langchain/index.js";
import { traceChameleon } from "../../examples/chameleon/traced.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

const question = (id: string) => questions.find((q) => q.id === id)!;

describe("Chameleon planner: control edges carry feedback to the plan", () => {
  let stub: StubServer;
  let simulated: SimulatedModel<ChameleonRole>;
  beforeAll(async () => {
    simulated = createChameleonModel(chameleonWorld);
    stub = await startStubServer({ reply: simulatedReply(simulated) });
  });
  afterAll(() => stub.close());

  const model = () => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  const engine = () => chatModelEngine(model());
  const lossFor = (id: string) => {
    const q = question(id);
    const instruction = `Evaluate the answer to the question: ${q.question}\nOptions: ${q.choices.join(" | ")}. The correct answer is "${q.choices[q.answer]}".`;
    return (output: Variable) => new TextLoss(instruction, { engine: engine() }).forward(output);
  };
  const solveTraced = async (id: string) => {
    const agent = createChameleon({ model: model() });
    const params = traceChameleon(agent);
    // with the model calls recorded too, as the demo does: data edges then link every call, and nothing but a
    // control edge links the plan to the modules it chose
    const run = await trace(() => {
      instrumentLangChain();
      return agent.solve(question(id));
    });
    return { run, params };
  };
  const executed = (run: TraceRun<unknown>, module: string) => run.graph.calls.filter((c) => c.moduleId === module && c.replayed !== true);

  it("refines the plan of a run that skipped knowledge retrieval; the re-run executes it and is correct", async () => {
    const { run } = await solveTraced("lan-01");
    const q = question("lan-01");
    expect(run.output).toBe(q.choices[q.distractor]);
    expect(run.graph.calls.some((c) => c.moduleId === "knowledgeRetrieval")).toBe(false);
    const planner = run.graph.calls.find((c) => c.moduleId === "planner")!;
    const control = run.graph.edges.filter((e) => e.kind === "control" && e.from === planner.spanId);
    const names = control.map((e) => run.graph.calls.find((c) => c.spanId === e.to)!.moduleId);
    expect(names).toEqual(["solutionGenerator", "answerExtractor"]);

    const before = stub.requests.length;
    const refined = await refine(run, { loss: lossFor("lan-01"), engine: engine() });
    const plan = refined.modules.find((m) => m.module === "planner")!;
    expect(plan.changed).toBe(true);
    expect(plan.feedback.join("\n")).toMatch(/knowledge_retrieval did not run; the deciding fact was missing/);
    expect(JSON.parse(plan.after)).toEqual(["knowledge_retrieval", "solution_generator", "answer_extractor"]);
    // the backward engine was shown the counterfactual: which modules did not run
    const asked = stub.requests.slice(before).map((r) => JSON.stringify(r.body)).filter((b) => b.includes("MODULES_NOT_RUN"));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]).toMatch(/MODULES_NOT_RUN>knowledge_retrieval, query_generator, search</);

    // the re-run really ran knowledge retrieval (not replayed), and the fact it wrote decided the answer
    const retrieval = executed(refined.run, "knowledgeRetrieval");
    expect(retrieval).toHaveLength(1);
    expect(containsNormalized(retrieval[0]!.output, q.keyFact)).toBe(true);
    expect(refined.run.output).toBe(q.choices[q.answer]);
    expect(refined.evaluation).toMatch(/is correct/);
  });

  it("without the control edges the planner gets no feedback and knowledge retrieval never runs", async () => {
    const { run } = await solveTraced("lan-01");
    const refined = await refine(run, { loss: lossFor("lan-01"), engine: engine(), modules: ["planner"], dropEdge: (e) => e.kind === "control" });
    expect(refined.modules[0]!.feedback).toEqual([]);
    expect(refined.modules[0]!.changed).toBe(false);
    expect(executed(refined.run, "knowledgeRetrieval")).toHaveLength(0);
  });

  it("does not blame a plan that ran knowledge retrieval", async () => {
    const { run } = await solveTraced("soc-01");
    expect(executed(run, "knowledgeRetrieval")).toHaveLength(1);
    const refined = await refine(run, { loss: lossFor("soc-01"), engine: engine(), modules: ["planner"] });
    expect(refined.modules[0]!.feedback).toEqual([]);
    expect(refined.modules[0]!.changed).toBe(false);
  });

  it("refines the planner's prompt from one run; another skipped question then runs knowledge retrieval", async () => {
    const { run, params } = await solveTraced("lan-01");
    const refined = await refine(run, { loss: lossFor("lan-01"), engine: engine(), target: "prompts" });
    const planner = refined.prompts.find((p) => p.id === "chameleon.planner")!;
    expect(planner.changed).toBe(true);
    expect(params.planner.value).toMatch(/Always include knowledge_retrieval in the plan/);
    expect(executed(refined.run, "knowledgeRetrieval")).toHaveLength(1);
    expect(refined.run.output).toBe(question("lan-01").choices[question("lan-01").answer]);
  });
});

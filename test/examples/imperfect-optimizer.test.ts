import { describe, expect, it } from "vitest";
import { refine, TextLoss, trace, type Variable } from "../../src/index.js";
import type { SimulatedModel } from "../../src/testing/index.js";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { evaluateChameleon, type ChameleonReport } from "../../examples/chameleon/evaluate.js";
import { defaultChameleonPrompts, promptsWithFixes, type ChameleonPrompts } from "../../examples/chameleon/prompts.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { traceChameleon } from "../../examples/chameleon/traced.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { createImperfectChameleonModel } from "../../examples/chameleon/sim/imperfect-model.js";
import { noteFor, scopeInstruction, type ProposalKind } from "../../examples/chameleon/sim/optimizer-behaviour.js";
import { DEFAULT_TRIGGERS } from "../../examples/chameleon/sim/simulated-world.js";

const question = (id: string) => questions.find((q) => q.id === id)!;
const correctIds = (r: ChameleonReport) => r.outcomes.filter((o) => o.correct).map((o) => o.id);
const subjectOf = (id: string) => question(id).subject;

async function evaluateWith(prompts: ChameleonPrompts, model: SimulatedModel = createImperfectChameleonModel(chameleonWorld).model) {
  return evaluateChameleon(createChameleon({ model: new SimulatedChatModel(model), prompts }), questions);
}

describe("the imperfect Chameleon world: how the agent follows what proposals say", () => {
  it("answers exactly like the default model while the prompts hold no notes or scope", async () => {
    for (const prompts of [defaultChameleonPrompts(), promptsWithFixes(undefined, ["knowledgeRetrieval"])]) {
      const imperfect = await evaluateWith(prompts);
      const perfect = await evaluateWith(prompts, createChameleonModel(chameleonWorld));
      expect(correctIds(imperfect)).toEqual(correctIds(perfect));
    }
    expect((await evaluateWith(defaultChameleonPrompts())).correct).toBe(26);
  });

  it("a note for one question fixes that question only", async () => {
    const base = await evaluateWith(defaultChameleonPrompts());
    const d = defaultChameleonPrompts();
    const noted = await evaluateWith({ ...d, knowledgeRetrieval: `${d.knowledgeRetrieval}\n${noteFor(question("nat-01"))}` });
    expect(correctIds(base)).not.toContain("nat-01");
    expect(correctIds(noted)).toEqual([...correctIds(base), "nat-01"].sort((a, b) => questions.findIndex((q) => q.id === a) - questions.findIndex((q) => q.id === b)));
  });

  it("a scoped fix helps its subject and breaks every other subject", async () => {
    const base = await evaluateWith(defaultChameleonPrompts());
    const fixed = promptsWithFixes(undefined, ["knowledgeRetrieval"]);
    const scoped = await evaluateWith({ ...fixed, knowledgeRetrieval: `${fixed.knowledgeRetrieval}\n${scopeInstruction("natural science")}` });
    const inSubject = (r: ChameleonReport, yes: boolean) => correctIds(r).filter((id) => (subjectOf(id) === "natural science") === yes).length;
    expect(inSubject(scoped, true)).toBeGreaterThan(inSubject(base, true)); // helps natural science …
    expect(inSubject(scoped, true)).toBe(22);
    expect(inSubject(base, false)).toBeGreaterThan(0);
    expect(inSubject(scoped, false)).toBe(0); // … and breaks the questions it had right in the other subjects
    expect(scoped.correct).toBeLessThan(base.correct);
  });
});

describe("the imperfect optimizer: seeded proposals of three kinds", () => {
  const lossFor = (id: string, engine: SimulatedModel) => (output: Variable) =>
    new TextLoss(`Evaluate the answer to the question: ${question(id).question}`, { engine }).forward(output);

  async function refinePrompts(seed: number, id: string) {
    const { model, optimizer } = createImperfectChameleonModel(chameleonWorld, { seed });
    const agent = createChameleon({ model: new SimulatedChatModel(model) });
    const params = traceChameleon(agent);
    const run = await trace(() => agent.solve(question(id)));
    await refine(run, { loss: lossFor(id, model), engine: model, target: "prompts" });
    return { decisions: [...optimizer.decisions], knowledge: params.knowledgeRetrieval.value, agent };
  }

  it("writes general, overfitting and scoped proposals depending on the seed, as documented, and the same seed repeats itself", async () => {
    const seen = new Map<ProposalKind, string>();
    for (let seed = 0; seed < 12 && seen.size < 3; seed++) {
      const { decisions, knowledge } = await refinePrompts(seed, "soc-01");
      const kr = decisions.find((d) => /knowledge retrieval/.test(d.role));
      expect(kr?.questionId).toBe("soc-01");
      if (kr && !seen.has(kr.kind)) seen.set(kr.kind, knowledge);
    }
    expect([...seen.keys()].sort()).toEqual(["general", "overfit", "scoped"]);
    expect(seen.get("general")).toContain(DEFAULT_TRIGGERS.knowledge.phrase);
    expect(seen.get("overfit")).toContain(noteFor(question("soc-01")));
    expect(seen.get("overfit")).not.toContain(DEFAULT_TRIGGERS.knowledge.phrase);
    expect(seen.get("scoped")).toContain(DEFAULT_TRIGGERS.knowledge.phrase);
    expect(seen.get("scoped")).toContain(scopeInstruction("social science"));

    const again = [await refinePrompts(5, "soc-01"), await refinePrompts(5, "soc-01")];
    expect(again[0]!.decisions).toEqual(again[1]!.decisions);
    expect(again[0]!.knowledge).toBe(again[1]!.knowledge);
  });

  it("leaves output refinement (not prompts) as the default optimizer does it", async () => {
    const { model, optimizer } = createImperfectChameleonModel(chameleonWorld, { seed: 1 });
    const agent = createChameleon({ model: new SimulatedChatModel(model) });
    traceChameleon(agent);
    const run = await trace(() => agent.solve(question("soc-01")));
    const refined = await refine(run, { loss: lossFor("soc-01", model), engine: model });
    expect(refined.run.output).toBe(question("soc-01").choices[question("soc-01").answer]);
    expect(optimizer.decisions).toEqual([]);
  });
});

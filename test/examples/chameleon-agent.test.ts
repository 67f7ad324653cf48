import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { corpus } from "../../examples/chameleon/data/corpus.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { evaluateChameleon } from "../../examples/chameleon/evaluate.js";
import { answerExtractor } from "../../examples/chameleon/modules/answer-extractor.js";
import { parsePlan } from "../../examples/chameleon/modules/planner.js";
import { createSearch } from "../../examples/chameleon/modules/search.js";
import { defaultChameleonPrompts, promptsWithFixes } from "../../examples/chameleon/prompts.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";
import { createChameleonModel, type ChameleonRole } from "../../examples/chameleon/sim/chameleon-model.js";
import { containsNormalized } from "../../examples/chameleon/sim/simulated-world.js";
import { simulatedReply, startStubServer, type SimulatedModel, type StubServer } from "../../src/testing/index.js";

const offline = (simulated = createChameleonModel(chameleonWorld)) => new SimulatedChatModel(simulated);

describe("Chameleon agent over real HTTP (ChatOpenAI → stub server → simulated model)", () => {
  let stub: StubServer;
  let simulated: SimulatedModel<ChameleonRole>;
  beforeAll(async () => {
    simulated = createChameleonModel(chameleonWorld);
    stub = await startStubServer({ reply: simulatedReply(simulated) });
  });
  afterAll(() => stub.close());

  const chatOpenAI = () => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });

  it("answers about half of the questions with the default prompts (baseline 26/48)", async () => {
    simulated.reset();
    const report = await evaluateChameleon(createChameleon({ model: chatOpenAI() }), questions);
    console.log(`baseline accuracy over HTTP: ${report.correct}/${report.total} = ${(100 * report.accuracy).toFixed(1)}%`);
    expect(report.correct).toBe(26);
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(report.accuracy).toBeLessThan(0.6);
    // Every LLM call went over HTTP and was played by the simulated model in the right role.
    expect(stub.requests.length).toBeGreaterThanOrEqual(48 * 3);
    expect(simulated.counts).toMatchObject({ planner: 48, knowledge_retrieval: 44, query_generator: 16, solution_generator: 48, unknown: 0 });
  });

  it("answers every question once the prompts carry the fix instructions", async () => {
    const report = await evaluateChameleon(createChameleon({ model: chatOpenAI(), prompts: promptsWithFixes() }), questions);
    console.log(`fixed accuracy over HTTP: ${report.correct}/${report.total} = ${(100 * report.accuracy).toFixed(1)}%`);
    expect(report.correct).toBe(48);
  });
});

describe("Chameleon agent with the in-process adapter", () => {
  it.each([
    [["knowledgeRetrieval"], 44], // every hard question fixed; the 4 word-study questions never run retrieval
    [["queryGenerator"], 39], // the 13 hard questions with a key document fixed through search
    [["planner"], 30], // the 4 word-study questions fixed
    [["planner", "knowledgeRetrieval"], 48],
  ] as const)("fixing %j gives %i/48", async (only, expected) => {
    const report = await evaluateChameleon(createChameleon({ model: offline(), prompts: promptsWithFixes(undefined, only) }), questions);
    expect(report.correct).toBe(expected);
  });

  it("reads prompts at call time, so changing agent.prompts between runs changes behaviour", async () => {
    const agent = createChameleon({ model: offline() });
    const q = questions.find((x) => x.id === "soc-01")!; // hard
    expect(await agent.solve(q)).toBe("Billings");
    agent.prompts.knowledgeRetrieval = promptsWithFixes().knowledgeRetrieval;
    expect(await agent.solve(q)).toBe("Helena");
    let reads = 0;
    const prompts = defaultChameleonPrompts();
    const withGetter = createChameleon({ model: offline(), prompts: { ...prompts, get planner() { reads++; return prompts.planner; } } });
    await withGetter.solve(q);
    expect(reads).toBe(1);
  });

  it("calls modules through agent.modules at call time, so wrappers see every call with its arguments", async () => {
    const agent = createChameleon({ model: offline() });
    const seen: string[] = [];
    for (const [name, fn] of Object.entries(agent.modules)) {
      (agent.modules as unknown as Record<string, (...a: unknown[]) => unknown>)[name] = async (...args: unknown[]) => {
        seen.push(name);
        return (fn as (...a: unknown[]) => unknown)(...args);
      };
    }
    const run = await agent.run(questions.find((x) => x.id === "nat-01")!);
    expect(run.plan).toEqual(["knowledge_retrieval", "query_generator", "search", "solution_generator", "answer_extractor"]);
    expect(seen).toEqual(["planner", "knowledgeRetrieval", "queryGenerator", "search", "solutionGenerator", "answerExtractor"]);
    expect(run.blackboard.steps.map((s) => s.module)).toEqual(["planner", ...run.plan]);
  });

  it("passes the blackboard on: the solution generator sees the knowledge and the search results", async () => {
    const simulated = createChameleonModel(chameleonWorld);
    const agent = createChameleon({ model: offline(simulated), prompts: promptsWithFixes() });
    const run = await agent.run(questions.find((x) => x.id === "soc-06")!);
    expect(run.blackboard.response).toMatch(/^Knowledge:\n- [\s\S]*\n\nSearch results:\nU\.S\. Senate: /);
    const solverPrompt = simulated.calls.find((c) => c.role === "solution_generator")!.prompt;
    expect(solverPrompt).toContain(run.blackboard.response);
    expect(run.answer).toBe("two");
  });
});

describe("Chameleon data", () => {
  it("has at least 40 well-formed questions with unique ids and stems", () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(new Set(questions.map((q) => q.question)).size).toBe(questions.length);
    for (const q of questions) {
      expect(q.answer, q.id).toBeLessThan(q.choices.length);
      expect(q.distractor, q.id).toBeLessThan(q.choices.length);
      expect(q.distractor, q.id).not.toBe(q.answer);
      expect(q.keyFact, q.id).not.toMatch(/"/); // feedback quotes facts with double quotes
      // The fact is never given away by the question itself or by generic background.
      expect(containsNormalized(`${q.question} ${q.context ?? ""} ${q.choices.join(" ")}`, q.keyFact), q.id).toBe(false);
      for (const line of chameleonWorld.background?.[q.topic!] ?? []) expect(containsNormalized(line, q.keyFact), q.id).toBe(false);
    }
  });

  it("has about 40% hard questions and at least 40 documents", () => {
    expect(questions.filter((q) => q.hard).length).toBe(18);
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it("search finds each searchable key fact for the key term, and misses it for the generic query", () => {
    const search = createSearch(corpus);
    const searchable = questions.filter((q) => q.searchable);
    expect(searchable.length).toBe(16);
    for (const q of searchable) {
      expect(containsNormalized(search(q.keyTerm!), q.keyFact), `${q.id} keyed`).toBe(true);
      expect(containsNormalized(search(`${q.topic} overview`), q.keyFact), `${q.id} generic`).toBe(false);
    }
    // Facts of unsearchable questions are in no document.
    for (const q of questions.filter((x) => !x.searchable)) {
      expect(corpus.some((d) => containsNormalized(d.text, q.keyFact)), q.id).toBe(false);
    }
  });
});

describe("parsePlan and answerExtractor", () => {
  it("parses module lists robustly and falls back to the CoT pair", () => {
    expect(parsePlan('["Knowledge_Retrieval", "Solution_Generator", "Answer_Generator"]')).toEqual(["knowledge_retrieval", "solution_generator", "answer_extractor"]);
    expect(parsePlan("Modules: [query_generator, bing_search, solution_generator, answer_extractor] because…")).toEqual([
      "query_generator", "search", "solution_generator", "answer_extractor",
    ]);
    expect(parsePlan("I would use knowledge retrieval.")).toEqual(["solution_generator", "answer_extractor"]);
    expect(parsePlan('["knowledge_retrieval", "solution_generator"]')).toEqual(["solution_generator", "answer_extractor"]);
    expect(parsePlan('["teleport", "solution_generator", "answer_extractor"]')).toEqual(["solution_generator", "answer_extractor"]);
  });

  it("extracts the option by letter, then by text, then by word overlap", () => {
    const choices = ["attract", "repel"];
    expect(answerExtractor("Like poles push apart.\nThe answer is (B).", choices)).toBe("repel");
    expect(answerExtractor("the answer is A", choices)).toBe("attract");
    expect(answerExtractor("They will repel, I think.", choices)).toBe("repel");
    expect(answerExtractor("The answer is (Z).", ["huge", "tiny"])).toBe("huge");
  });
});

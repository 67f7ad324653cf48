import { describe, expect, it } from "vitest";
import { formatOptions, formatProblem } from "../../examples/chameleon/modules/format.js";
import { defaultChameleonPrompts } from "../../examples/chameleon/prompts.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { Variable } from "../../src/core/variable.js";
import { TGD } from "../../src/optim/tgd.js";
import { renderBackwardPrompt } from "../../src/prompts/backward-prompt.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { renderReducePrompt, renderReduceSystemPrompt } from "../../src/prompts/combine.js";
import { renderFunctionExchange, renderLlmExchange } from "../../src/prompts/exchange.js";
import { renderOptimizerPrompt } from "../../src/prompts/optimizer-prompt.js";
import { renderOptimizerSystemPrompt } from "../../src/prompts/optimizer-system.js";
import { renderRepairPrompt } from "../../src/prompts/repair-prompt.js";
import { parseUpdate } from "../../src/prompts/update-tags.js";
import { simulatedReply, type SimulatedRequest } from "../../src/testing/index.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { extractFacts, NO_CHANGES } from "../../examples/chameleon/sim/feedback-text.js";
import { variableKind } from "../../examples/chameleon/sim/textgrad-roles.js";
import { DEFAULT_TRIGGERS, findQuestion, selectedChoice, type SimulatedQuestion, type SimulatedWorld } from "../../examples/chameleon/sim/simulated-world.js";

const prompts = defaultChameleonPrompts();
const q = (id: string): SimulatedQuestion => chameleonWorld.questions.find((x) => x.id === id)!;
const HARD = q("soc-01"); // Helena; distractor Billings; searchable
const EASY = q("nat-02"); // water vapor
const WORD = q("lan-02"); // word study: planner skips retrieval
const model = () => createChameleonModel(chameleonWorld);
const detectRole = (request: SimulatedRequest, world: SimulatedWorld) => createChameleonModel(world).roleOf(request);
const ask = (system: string | undefined, prompt: string) => model().reply({ system, prompt });
const withTrigger = (base: string, trigger: { phrase: string }) => `${base}\n${trigger.phrase}`;

/** A backward request exactly as tracegrad renders it. */
function backwardRequest(options: { role: string; mode: "evaluation" | "chain"; output: string; feedback?: string[]; input?: string; system?: string; value?: string }) {
  const exchange = renderLlmExchange({ system: options.system ?? "You are a solver.", input: options.input ?? "Question: …", output: options.output });
  const prompt = renderBackwardPrompt({
    role: options.role, exchangeKind: "llm", exchange, mode: options.mode, usedAs: "the final answer",
    feedback: options.feedback ?? [], value: options.value ?? "some text",
  });
  return { system: renderBackwardSystemPrompt(), prompt };
}

/** An optimizer request exactly as tracegrad renders it. */
function optimizerRequest(options: { role: string; value: string; feedback: string[]; conversation?: string; tags?: { start: string; end: string } }) {
  const feedback = options.feedback.map((text) => ({ text, from: "final answer", ...(options.conversation ? { conversation: options.conversation, usedAs: "answer" } : {}) }));
  return {
    system: renderOptimizerSystemPrompt(options.tags),
    prompt: renderOptimizerPrompt({ role: options.role, value: options.value, feedback, ...(options.tags ? { tags: options.tags } : {}) }),
  };
}

const improved = (reply: string, tags?: { start: string; end: string }) => parseUpdate(reply, tags);
const FACT = HARD.keyFact;
const EVALUATION = `The answer "Billings" is incorrect; the correct answer is "Helena". The deciding fact is missing: "${FACT}"`;

describe("role detection", () => {
  it("detects every role from tracegrad's own prompts and the agent's prompts", () => {
    const w = chameleonWorld;
    expect(detectRole({ system: prompts.planner, prompt: formatProblem(HARD, "", "Modules:") }, w)).toBe("planner");
    expect(detectRole({ system: prompts.knowledgeRetrieval, prompt: formatProblem(HARD, "", "Knowledge:") }, w)).toBe("knowledge_retrieval");
    expect(detectRole({ system: prompts.queryGenerator, prompt: formatProblem(HARD, "", "Search Query:") }, w)).toBe("query_generator");
    expect(detectRole({ system: prompts.solutionGenerator, prompt: formatProblem(HARD, "", "Solution:") }, w)).toBe("solution_generator");
    expect(detectRole({ system: `Is this the right answer to: ${HARD.question}?`, prompt: "Billings" }, w)).toBe("evaluator");
    expect(detectRole(backwardRequest({ role: "final answer", mode: "evaluation", output: EVALUATION }), w)).toBe("backward");
    expect(detectRole(backwardRequest({ role: "final answer", mode: "chain", output: "x", feedback: ["y"] }), w)).toBe("backward");
    expect(detectRole(optimizerRequest({ role: "final answer", value: "x", feedback: ["y"] }), w)).toBe("optimizer");
    expect(detectRole(optimizerRequest({ role: "final answer", value: "x", feedback: ["y"], tags: { start: "<NEW>", end: "</NEW>" } }), w)).toBe("optimizer");
    const reduce = { system: renderReduceSystemPrompt(), prompt: renderReducePrompt({ role: "answer", items: [{ text: "a", from: "x", conversation: renderLlmExchange({ system: "s", input: "i", output: "o" }) }, { text: "b", from: "y" }] }) };
    expect(detectRole(reduce, w)).toBe("reduce");
    expect(detectRole({ prompt: "Hello there" }, w)).toBe("unknown");
  });

  it("uses the user prompt's cue before the system prompt, so a rewritten system prompt keeps its role", () => {
    const rewritten = "You are helpful. Always mention the answer is important. State the specific deciding principle.";
    expect(detectRole({ system: rewritten, prompt: formatProblem(HARD, "Knowledge:\n- a fact", "Knowledge:") }, chameleonWorld)).toBe("knowledge_retrieval");
    // Without a cue, system-prompt keywords decide.
    expect(detectRole({ system: prompts.planner, prompt: formatProblem(HARD, "", "") }, chameleonWorld)).toBe("planner");
    expect(detectRole({ system: prompts.queryGenerator, prompt: formatProblem(HARD, "", "") }, chameleonWorld)).toBe("query_generator");
    expect(detectRole({ system: prompts.solutionGenerator, prompt: formatProblem(HARD, "", "") }, chameleonWorld)).toBe("solution_generator");
  });

  it("finds questions by text and choices, preferring the longest match", () => {
    expect(findQuestion(chameleonWorld, `Evaluate: ${HARD.question} ${formatOptions(HARD.choices)}`)).toBe(HARD);
    expect(findQuestion(chameleonWorld, "nothing known")).toBeUndefined();
    const world = { questions: [{ ...EASY, id: "short", question: "Which is a mammal?" }, { ...EASY, id: "long", question: "Which is a mammal that lays eggs?" }] };
    expect(findQuestion(world, "Q: Which is a mammal that lays eggs?")?.id).toBe("long");
  });
});

describe("planner", () => {
  it("plans retrieval, search for searchable questions, then solve and extract", () => {
    expect(JSON.parse(ask(prompts.planner, formatProblem(EASY, "", "Modules:")))).toEqual(["knowledge_retrieval", "solution_generator", "answer_extractor"]);
    expect(JSON.parse(ask(prompts.planner, formatProblem(HARD, "", "Modules:")))).toEqual(["knowledge_retrieval", "query_generator", "search", "solution_generator", "answer_extractor"]);
    expect(JSON.parse(ask(prompts.planner, "Question: unknown?\n\nModules:"))).toEqual(["solution_generator", "answer_extractor"]);
  });

  it("mistake: skips knowledge_retrieval for word-study questions unless told to always include it", () => {
    expect(JSON.parse(ask(prompts.planner, formatProblem(WORD, "", "Modules:")))).toEqual(["solution_generator", "answer_extractor"]);
    expect(JSON.parse(ask(withTrigger(prompts.planner, DEFAULT_TRIGGERS.planner), formatProblem(WORD, "", "Modules:")))).toEqual([
      "knowledge_retrieval", "solution_generator", "answer_extractor",
    ]);
  });
});

describe("knowledge retrieval", () => {
  it("states generic background plus the key fact on easy questions", () => {
    const reply = ask(prompts.knowledgeRetrieval, formatProblem(EASY, "", "Knowledge:"));
    expect(reply).toBe(`- Matter is anything that has mass and takes up space.\n- Matter can be a solid, a liquid, or a gas.\n- ${EASY.keyFact}`);
  });

  it("mistake: omits the key fact on hard questions unless asked for the deciding principle (phrase or paraphrase)", () => {
    expect(ask(prompts.knowledgeRetrieval, formatProblem(HARD, "", "Knowledge:"))).not.toContain(FACT);
    expect(ask(withTrigger(prompts.knowledgeRetrieval, DEFAULT_TRIGGERS.knowledge), formatProblem(HARD, "", "Knowledge:"))).toContain(FACT);
    expect(ask(`${prompts.knowledgeRetrieval} Name the deciding principle.`, formatProblem(HARD, "", "Knowledge:"))).toContain(FACT);
  });
});

describe("query generator", () => {
  it("mistake: writes a generic topic query unless asked for the key term", () => {
    expect(ask(prompts.queryGenerator, formatProblem(HARD, "", "Search Query:"))).toBe("geography overview");
    expect(ask(withTrigger(prompts.queryGenerator, DEFAULT_TRIGGERS.query), formatProblem(HARD, "", "Search Query:"))).toBe(HARD.keyTerm);
  });
});

describe("solution generator", () => {
  it("reasons from the key fact when its input has it (any case or punctuation), and ends with the letter", () => {
    const reply = ask(prompts.solutionGenerator, formatProblem(HARD, "Knowledge:\n- HELENA is the capital of Montana", "Solution:"));
    expect(reply).toBe(`${FACT}\nReasoning from this fact, the correct option is "Helena".\nThe answer is (A).`);
    expect(ask(`${prompts.solutionGenerator}\n${FACT}`, formatProblem(HARD, "", "Solution:"))).toMatch(/The answer is \(A\)\.$/);
  });

  it("mistake: picks the distractor without the key fact, whatever its prompt says", () => {
    const reply = ask(withTrigger(prompts.solutionGenerator, DEFAULT_TRIGGERS.knowledge), formatProblem(HARD, "Knowledge:\n- Maps show places.", "Solution:"));
    expect(reply).toMatch(/"Billings"[\s\S]*The answer is \(B\)\.$/);
  });
});

describe("evaluator (oracle)", () => {
  const system = `Evaluate the final answer to this question. Question: ${HARD.question} Options: ${formatOptions(HARD.choices)}`;
  it("says a correct answer is correct, given as option text or as a solution", () => {
    expect(ask(system, "Helena")).toBe('The answer "Helena" is correct.');
    expect(ask(system, "Some reasoning.\nThe answer is (A).")).toBe('The answer "Helena" is correct.');
  });
  it("names the correct answer and the missing deciding fact for a wrong answer", () => {
    expect(ask(system, "Billings")).toBe(EVALUATION);
    expect(selectedChoice(HARD, "I am not sure")).toBeUndefined();
    expect(ask(system, "I am not sure")).toContain('The answer "I am not sure" is incorrect');
  });
});

describe("backward engine", () => {
  it("evaluation mode: turns the evaluation's fact into feedback for the variable's role", () => {
    const reply = ask(...args(backwardRequest({ role: "final answer", mode: "evaluation", output: EVALUATION })));
    expect(reply).toBe(`The final answer should state the deciding fact: "${FACT}"\nThe correct answer is "Helena".`);
  });

  it("chain mode: passes the fact on from the downstream feedback, worded for plans, queries and prompts", () => {
    const downstream = [`The solution should state the deciding fact: "${FACT}"`];
    const chain = (role: string) => ask(...args(backwardRequest({ role, mode: "chain", output: "x", feedback: downstream })));
    expect(chain("output of knowledgeRetrieval")).toBe(`The output of knowledgeRetrieval should state the deciding fact: "${FACT}"`);
    expect(chain("output of planner")).toContain(`should include knowledge_retrieval so that the deciding fact is retrieved: "${FACT}"`);
    expect(chain("output of queryGenerator")).toContain(`should search for the deciding fact: "${FACT}"`);
    const promptFeedback = chain("system prompt of knowledgeRetrieval");
    expect(promptFeedback).toContain(`Add the instruction: "${DEFAULT_TRIGGERS.knowledge.phrase}"`);
    expect(extractFacts(promptFeedback)).toEqual([FACT]);
    expect(chain("system prompt of queryGenerator")).toContain(DEFAULT_TRIGGERS.query.phrase);
    expect(chain("system prompt of the planner")).toContain(DEFAULT_TRIGGERS.planner.phrase);
  });

  it("reads the evaluation of a function exchange from OUTPUT_OF_FUNCTION", () => {
    const exchange = renderFunctionExchange({ purpose: "check the answer", inputs: [{ name: "answer", role: "final answer", value: "Billings" }], output: EVALUATION });
    const prompt = renderBackwardPrompt({ role: "final answer", exchangeKind: "function", exchange, mode: "evaluation", usedAs: "loss", feedback: [], value: "Billings" });
    expect(ask(renderBackwardSystemPrompt(), prompt)).toContain(`deciding fact: "${FACT}"`);
  });

  it("does not cheat: with the fact removed from the shown feedback it gives none, even if the fact is elsewhere", () => {
    const everywhere = { input: formatProblem(HARD, `Knowledge:\n- ${FACT}`, "Solution:"), system: `${prompts.solutionGenerator} ${FACT}`, value: `- ${FACT}` };
    const evaluation = ask(...args(backwardRequest({ role: "background knowledge", mode: "evaluation", output: 'The answer "Billings" is incorrect; the correct answer is "Helena".', ...everywhere })));
    expect(evaluation).toBe(NO_CHANGES);
    // Chain mode reads only the downstream feedback, not the exchange's output (which here quotes a fact).
    const chain = ask(...args(backwardRequest({ role: "background knowledge", mode: "chain", output: EVALUATION, feedback: ["The answer is wrong."], ...everywhere })));
    expect(chain).toBe(NO_CHANGES);
    expect(ask(...args(backwardRequest({ role: "final answer", mode: "evaluation", output: 'The answer "Helena" is correct.' })))).toBe(NO_CHANGES);
  });
});

describe("optimizer", () => {
  const fb = [`The output should state the deciding fact: "${FACT}"`];

  it("returns the value unchanged without actionable feedback", () => {
    for (const feedback of [[NO_CHANGES], ["Looks fine to me."], []]) {
      const reply = ask(...args(optimizerRequest({ role: "background knowledge", value: "- Maps show places.", feedback })));
      expect(improved(reply)).toBe("- Maps show places.");
    }
  });

  it("adds the fact to an output, rewrites a solution to the option the fact supports, fixes a plan and a query", () => {
    expect(improved(ask(...args(optimizerRequest({ role: "output of knowledgeRetrieval", value: "- Maps show places.", feedback: fb }))))).toBe(`- Maps show places.\n- ${FACT}`);
    expect(improved(ask(...args(optimizerRequest({ role: "output of solutionGenerator", value: "Billings is big.\nThe answer is (B).", feedback: fb }))))).toBe(
      `${FACT}\nReasoning from this fact, the correct option is "Helena".\nThe answer is (A).`,
    );
    expect(improved(ask(...args(optimizerRequest({ role: "output of planner", value: '["solution_generator", "answer_extractor"]', feedback: fb }))))).toBe(
      '["knowledge_retrieval","solution_generator","answer_extractor"]',
    );
    expect(improved(ask(...args(optimizerRequest({ role: "output of queryGenerator", value: "geography overview", feedback: fb }))))).toBe(`geography overview ${FACT}`);
    expect(improved(ask(...args(optimizerRequest({ role: "final answer", value: "Billings", feedback: fb }))))).toBe("Helena");
  });

  it("appends the trigger instruction to a prompt, once", () => {
    const feedback = [`The system prompt should tell the model to state the deciding principle explicitly. Add the instruction: "${DEFAULT_TRIGGERS.knowledge.phrase}"\nWithout it, the deciding fact is missing: "${FACT}"`];
    const once = improved(ask(...args(optimizerRequest({ role: "system prompt of knowledgeRetrieval", value: prompts.knowledgeRetrieval, feedback }))))!;
    expect(once).toBe(`${prompts.knowledgeRetrieval}\n${DEFAULT_TRIGGERS.knowledge.phrase}`);
    expect(improved(ask(...args(optimizerRequest({ role: "system prompt of knowledgeRetrieval", value: once, feedback }))))).toBe(once);
    // A fact alone still earns the prompt its role's trigger.
    expect(improved(ask(...args(optimizerRequest({ role: "system prompt of queryGenerator", value: prompts.queryGenerator, feedback: fb }))))).toBe(
      `${prompts.queryGenerator}\n${DEFAULT_TRIGGERS.query.phrase}`,
    );
  });

  it("reads facts only from FEEDBACK blocks, not from the exchanges around them", () => {
    const conversation = renderLlmExchange({ system: "s", input: `Knowledge:\n- ${FACT}`, output: EVALUATION });
    const reply = ask(...args(optimizerRequest({ role: "background knowledge", value: "- Maps show places.", feedback: ["The answer is wrong."], conversation })));
    expect(improved(reply)).toBe("- Maps show places.");
  });

  it("replies with custom update tags, and answers a repair request like the original", async () => {
    const tags = { start: "<NEW>", end: "</NEW>" };
    const reply = ask(...args(optimizerRequest({ role: "background knowledge", value: "- a", feedback: fb, tags })));
    expect(improved(reply, tags)).toBe(`- a\n- ${FACT}`);
    const original = optimizerRequest({ role: "background knowledge", value: "- a", feedback: fb });
    const repaired = await model().generate({
      system: original.system,
      history: [{ role: "user", content: original.prompt }, { role: "assistant", content: "oops" }],
      prompt: renderRepairPrompt(),
    });
    expect(improved(repaired.text)).toBe(`- a\n- ${FACT}`);
  });
});

describe("reducer", () => {
  it("keeps every distinct fact and trigger, or says nothing is needed", () => {
    const other = q("nat-01").keyFact;
    const items = [`deciding fact: "${FACT}"`, `Again the deciding fact: "${FACT}". Add the instruction: "${DEFAULT_TRIGGERS.query.phrase}"`, `deciding fact: "${other}"`].map((text) => ({ text, from: "x" }));
    const reply = ask(renderReduceSystemPrompt(), renderReducePrompt({ role: "answer", items }));
    expect(reply).toBe(`The deciding fact is missing: "${FACT}"\nThe deciding fact is missing: "${other}"\nAdd the instruction: "${DEFAULT_TRIGGERS.query.phrase}"`);
    expect(ask(renderReduceSystemPrompt(), renderReducePrompt({ role: "answer", items: [{ text: "fine", from: "x" }, { text: "ok", from: "y" }] }))).toBe(NO_CHANGES);
  });
});

describe("the Chameleon model through the SimulatedModel API", () => {
  it("counts calls per role, records them, resets, and reports usage as an Engine", async () => {
    const m = model();
    const response = await m.generate({ system: prompts.planner, prompt: formatProblem(EASY, "", "Modules:") });
    m.reply({ system: `Is this right? ${HARD.question}`, prompt: "Helena" });
    expect(m.counts).toMatchObject({ planner: 1, evaluator: 1, backward: 0 });
    expect(m.calls.map((c) => c.role)).toEqual(["planner", "evaluator"]);
    expect(response.usage!.totalTokens).toBe(response.usage!.inputTokens + response.usage!.outputTokens);
    expect(response.model).toBe("simulated");
    expect(m.roleOf({ prompt: "hi" })).toBe("unknown");
    m.reset();
    expect(m.counts.planner).toBe(0);
    expect(m.calls).toEqual([]);
  });

  it("simulatedReply shares the model's counters", () => {
    const m = model();
    const reply = simulatedReply(m);
    expect(reply({ system: prompts.queryGenerator, prompt: formatProblem(HARD, "", "Search Query:") })).toBe("geography overview");
    expect(m.counts.query_generator).toBe(1);
  });

  it("classifies variable roles", () => {
    expect(variableKind("system prompt to the language model")).toBe("prompt");
    expect(variableKind("output of the function whose purpose is: write the prompt")).toBe("text");
    expect(variableKind("output of queryGenerator")).toBe("query");
    expect(variableKind("output of solutionGenerator")).toBe("solution");
    expect(variableKind("output of answerExtractor")).toBe("answer");
    expect(variableKind("output of planner")).toBe("plan");
  });
});

describe("with tracegrad's backward and TGD (hand-built Chameleon chain)", () => {
  it("carries the evaluator's fact to the knowledge output and its prompt, and TGD fixes both", async () => {
    const sim = model();
    const krPrompt = new Variable(prompts.knowledgeRetrieval, { role: "system prompt of the knowledge retrieval module", requiresGrad: true });
    const krInput = new Variable(formatProblem(HARD, "", "Knowledge:"), { role: "question for knowledge retrieval" });
    const knowledge = await new LLMCall({ engine: sim, systemPrompt: krPrompt }).forward(krInput, { role: "background knowledge for the question" });
    const solverInput = new StringBasedFunction({
      purpose: "build the solution generator's input from the question and the knowledge",
      fn: ({ knowledge: k }) => formatProblem(HARD, `Knowledge:\n${k!.value}`, "Solution:"),
    }).forward({ knowledge });
    const solution = await new LLMCall({ engine: sim, systemPrompt: prompts.solutionGenerator }).forward(solverInput, { role: "solution to the question" });
    expect(solution.value).toMatch(/The answer is \(B\)\.$/);
    const loss = await new TextLoss(`Is this the right answer to: ${HARD.question}?`, { engine: sim }).forward(solution);
    expect(loss.value).toBe(EVALUATION);
    await loss.backward({ engine: sim });
    expect(knowledge.gradientText()).toContain(`deciding fact: "${FACT}"`);
    expect(krPrompt.gradientText()).toContain(DEFAULT_TRIGGERS.knowledge.phrase);
    const proposals = await new TGD({ parameters: [krPrompt, knowledge], engine: sim }).propose();
    expect(proposals.map((p) => p.value)).toEqual([`${prompts.knowledgeRetrieval}\n${DEFAULT_TRIGGERS.knowledge.phrase}`, `${knowledge.value}\n- ${FACT}`]);
    // The new prompt makes retrieval state the fact on the next run.
    expect(sim.reply({ system: proposals[0]!.value, prompt: krInput.value })).toContain(FACT);
    expect(sim.counts).toMatchObject({ knowledge_retrieval: 2, solution_generator: 1, evaluator: 1, optimizer: 2, unknown: 0 });
  });
});

function args(request: { system?: string; prompt: string }): [string | undefined, string] {
  return [request.system, request.prompt];
}

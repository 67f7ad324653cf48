/**
 * @module examples/chameleon/agent
 * A Chameleon-style ScienceQA solver (Lu et al., NeurIPS 2023): a planner picks modules, which run in order and share
 * a per-question blackboard that accumulates text. Ordinary code that knows nothing of tracegrad: every module is a
 * separate function that takes its inputs as arguments and returns a string, and `run`/`solve` reach the modules
 * through `agent.modules` and the prompts through `agent.prompts` at call time, so a wrapper can replace a module
 * (`agent.modules.planner = traceModule("planner", agent.modules.planner)`) and an optimizer can rewrite a prompt.
 */
import { corpus } from "./data/corpus.js";
import { answerExtractor } from "./modules/answer-extractor.js";
import type { ChameleonModel, ChameleonProblem } from "./modules/format.js";
import { createKnowledgeRetrieval } from "./modules/knowledge-retrieval.js";
import { createPlanner, parsePlan, type ChameleonModuleName } from "./modules/planner.js";
import { createQueryGenerator } from "./modules/query-generator.js";
import { createSearch, type SearchDocument } from "./modules/search.js";
import { createSolutionGenerator } from "./modules/solution-generator.js";
import { defaultChameleonPrompts, type ChameleonPrompts } from "./prompts.js";

type Awaitable<T> = T | Promise<T>;

/** The six modules. Replace entries to wrap them; `run` looks them up at every call. */
export interface ChameleonModules {
  planner: (problem: ChameleonProblem) => Awaitable<string>;
  knowledgeRetrieval: (problem: ChameleonProblem, notes: string) => Awaitable<string>;
  queryGenerator: (problem: ChameleonProblem, notes: string) => Awaitable<string>;
  search: (query: string) => Awaitable<string>;
  solutionGenerator: (problem: ChameleonProblem, notes: string) => Awaitable<string>;
  answerExtractor: (solution: string, choices: readonly string[]) => Awaitable<string>;
}

/** The blackboard of one question, as Chameleon's `cache`. */
export interface ChameleonBlackboard {
  /** Text the modules accumulate ("Knowledge: …", "Search results: …"); later modules read it as context. */
  response: string;
  query?: string;
  solution?: string;
  answer?: string;
  /** Every module's output, in execution order. */
  readonly steps: Array<{ readonly module: ChameleonModuleName | "planner"; readonly output: string }>;
}

/** What one run did. */
export interface ChameleonRun {
  /** The text of the chosen option ("" when the plan had no answer extractor, which parsePlan prevents). */
  readonly answer: string;
  readonly plan: readonly ChameleonModuleName[];
  readonly planText: string;
  readonly blackboard: ChameleonBlackboard;
}

/** Options of {@link createChameleon}. */
export interface ChameleonOptions {
  /** Any LangChain chat model; ChatOpenAI in the demo. */
  readonly model: ChameleonModel;
  /** System prompts, read at call time. Default: a fresh {@link defaultChameleonPrompts} object. */
  readonly prompts?: ChameleonPrompts;
  /** Documents for the search tool. Default: the bundled corpus. */
  readonly corpus?: readonly SearchDocument[];
}

/** The agent. */
export interface ChameleonAgent {
  modules: ChameleonModules;
  prompts: ChameleonPrompts;
  /** Runs the planner's plan and returns everything it produced. */
  run(problem: ChameleonProblem): Promise<ChameleonRun>;
  /** Runs the agent and returns the chosen option's text (the final output). */
  solve(problem: ChameleonProblem): Promise<string>;
}

/**
 * Creates the agent.
 *
 * @example
 * const model = new ChatOpenAI({ model: "gpt-4o-mini" });
 * const agent = createChameleon({ model });
 * const answer = await agent.solve({ question: "Which is a solid?", choices: ["milk", "a wooden ruler"] });
 */
export function createChameleon(options: ChameleonOptions): ChameleonAgent {
  const prompts = options.prompts ?? defaultChameleonPrompts();
  // The module factories get a view that reads agent.prompts, so replacing the whole prompts object also works.
  const livePrompts: ChameleonPrompts = {
    get planner() { return agent.prompts.planner; },
    get knowledgeRetrieval() { return agent.prompts.knowledgeRetrieval; },
    get queryGenerator() { return agent.prompts.queryGenerator; },
    get solutionGenerator() { return agent.prompts.solutionGenerator; },
  };
  const deps = { model: options.model, prompts: livePrompts };
  const agent: ChameleonAgent = {
    prompts,
    modules: {
      planner: createPlanner(deps),
      knowledgeRetrieval: createKnowledgeRetrieval(deps),
      queryGenerator: createQueryGenerator(deps),
      search: createSearch(options.corpus ?? corpus),
      solutionGenerator: createSolutionGenerator(deps),
      answerExtractor,
    },
    run: (problem) => runPlan(agent, problem),
    solve: async (problem) => (await agent.run(problem)).answer,
  };
  return agent;
}

async function runPlan(agent: ChameleonAgent, problem: ChameleonProblem): Promise<ChameleonRun> {
  const board: ChameleonBlackboard = { response: "", steps: [] };
  const planText = await agent.modules.planner(problem);
  board.steps.push({ module: "planner", output: planText });
  const plan = parsePlan(planText);
  for (const name of plan) {
    const m = agent.modules; // looked up per step, so a module replaced mid-run takes effect
    let output: string;
    switch (name) {
      case "knowledge_retrieval":
        output = await m.knowledgeRetrieval(problem, board.response);
        board.response = appendNote(board.response, `Knowledge:\n${output}`);
        break;
      case "query_generator":
        output = await m.queryGenerator(problem, board.response);
        board.query = output;
        break;
      case "search":
        // Without a generated query, search for the question itself.
        output = await m.search(board.query ?? problem.question);
        board.response = appendNote(board.response, `Search results:\n${output}`);
        break;
      case "solution_generator":
        output = await m.solutionGenerator(problem, board.response);
        board.solution = output;
        break;
      case "answer_extractor":
        output = await m.answerExtractor(board.solution ?? "", problem.choices);
        board.answer = output;
        break;
    }
    board.steps.push({ module: name, output });
  }
  return { answer: board.answer ?? "", plan, planText, blackboard: board };
}

function appendNote(response: string, note: string): string {
  return response === "" ? note : `${response}\n\n${note}`;
}

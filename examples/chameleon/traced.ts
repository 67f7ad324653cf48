/**
 * @module examples/chameleon/traced
 * How a user wraps the unmodified Chameleon agent with tracegrad: every module becomes a traced module, and every LLM
 * module's system prompt becomes a trainable parameter that the agent reads at call time. The agent's own code is
 * untouched — only `agent.modules` entries and `agent.prompts` are replaced from the outside.
 */
import { param, traceModule, type Variable } from "../../src/index.js";
import type { ChameleonAgent, ChameleonModules } from "./agent.js";
import type { ChameleonPrompts } from "./prompts.js";

/** The agent's prompts as trainable Variables. */
export type ChameleonParams = { readonly [K in keyof ChameleonPrompts]: Variable };

const ROLES: { readonly [K in keyof ChameleonPrompts]: string } = {
  planner: "system prompt of the planner, which chooses the modules to run",
  knowledgeRetrieval: "system prompt of the knowledge retrieval module, which writes background knowledge for the question",
  queryGenerator: "system prompt of the query generator, which writes the search query",
  solutionGenerator: "system prompt of the solution generator, which reasons to the answer option",
};

const OUTPUT_ROLES: { readonly [K in keyof ChameleonModules]: string } = {
  planner: "plan: the list of modules to run for the question",
  knowledgeRetrieval: "background knowledge for the question, read by the later steps",
  queryGenerator: "search query for the reference corpus",
  search: "search results from the reference corpus",
  solutionGenerator: "step-by-step solution that ends with the chosen option",
  answerExtractor: "final answer: the text of the chosen option",
};

/** Which prompt each LLM module reads. */
const PROMPT_OF: Partial<Record<keyof ChameleonModules, keyof ChameleonPrompts>> = {
  planner: "planner",
  knowledgeRetrieval: "knowledgeRetrieval",
  queryGenerator: "queryGenerator",
  solutionGenerator: "solutionGenerator",
};

/**
 * Wraps `agent` in place and returns its prompts as parameters (ids `chameleon.<module>`).
 *
 * @example
 * const agent = createChameleon({ model });
 * const params = traceChameleon(agent);
 * const run = await trace(() => agent.solve(question));
 */
export function traceChameleon(agent: ChameleonAgent): ChameleonParams {
  const initial = agent.prompts;
  const params = Object.fromEntries(
    (Object.keys(ROLES) as Array<keyof ChameleonPrompts>).map((k) => [k, param(`chameleon.${k}`, initial[k], { role: ROLES[k] })]),
  ) as unknown as ChameleonParams;
  // the agent reads prompts at call time, so getters make every run use the parameters' current values
  agent.prompts = Object.defineProperties({} as ChameleonPrompts, Object.fromEntries(
    (Object.keys(params) as Array<keyof ChameleonPrompts>).map((k) => [k, { get: () => params[k].value, enumerable: true }]),
  ));
  const modules = agent.modules as unknown as Record<keyof ChameleonModules, (...args: never[]) => unknown>;
  for (const name of Object.keys(OUTPUT_ROLES) as Array<keyof ChameleonModules>) {
    const prompt = PROMPT_OF[name];
    // the planner's output decides which modules run: declared, so feedback reaches it through control edges
    const kind = name === "planner" ? ({ kind: "planner" } as const) : {};
    modules[name] = traceModule(name, modules[name], { role: OUTPUT_ROLES[name], ...kind, ...(prompt ? { params: [params[prompt]] } : {}) });
  }
  return params;
}

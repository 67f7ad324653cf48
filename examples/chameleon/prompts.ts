/**
 * @module examples/chameleon/prompts
 * The system prompts of the agent's four LLM modules, shortened from Chameleon's. The agent reads them from a plain
 * object at call time, so an optimizer (or a test) can change them between runs.
 */
import { DEFAULT_TRIGGERS } from "./sim/simulated-world.js";

/** One system prompt per LLM module. Properties may be getters. */
export interface ChameleonPrompts {
  planner: string;
  knowledgeRetrieval: string;
  queryGenerator: string;
  solutionGenerator: string;
}

/** A fresh, mutable copy of the default prompts. */
export function defaultChameleonPrompts(): ChameleonPrompts {
  return {
    planner: [
      "You need to act as a policy model that, given a question and a set of modules, determines the sequence of modules to execute to solve the question.",
      "The modules are defined as follows:",
      "- knowledge_retrieval: retrieves background knowledge as hints for the question. Useful when the question needs domain knowledge.",
      "- query_generator: writes a query for the search module. Normally followed by search.",
      "- search: looks up the query in a reference corpus and returns the most relevant passages.",
      "- solution_generator: writes a step-by-step solution from the information collected so far. Always required.",
      "- answer_extractor: extracts the final answer option from the solution. Always the last module.",
      'Reply with a list of module names, for example ["knowledge_retrieval", "solution_generator", "answer_extractor"]. The last two modules must be solution_generator and answer_extractor.',
    ].join("\n"),
    knowledgeRetrieval:
      "Read the following question, and generate the background knowledge as the context information that could be helpful for answering the question. Write a few short bullet points.",
    queryGenerator:
      "Read the following question and metadata, and generate a short query for a reference corpus, to find information that could be helpful for answering the question. Reply with the query only.",
    solutionGenerator: [
      "Given the question (and the context), select the answer from the options.",
      "Give a concise, step-by-step solution. Finally, conclude the answer in the format 'The answer is (X).', where X is the letter of one of the options, for example 'The answer is (A).'",
      "If the answer is not clear, select the most likely option.",
    ].join("\n"),
  };
}

/**
 * The instructions that fix the simulated model's documented mistakes, by prompt: the planner always retrieves
 * knowledge, knowledge retrieval states the deciding principle, the query names the key term. The solution
 * generator has none: it can only reason from what it is given.
 */
export const chameleonFixes: Readonly<Partial<ChameleonPrompts>> = {
  planner: DEFAULT_TRIGGERS.planner.phrase,
  knowledgeRetrieval: DEFAULT_TRIGGERS.knowledge.phrase,
  queryGenerator: DEFAULT_TRIGGERS.query.phrase,
};

/**
 * Prompts with the fix instructions appended (all of them, or only the named modules').
 *
 * @example
 * const agent = createChameleon({ model, prompts: promptsWithFixes(defaultChameleonPrompts(), ["knowledgeRetrieval"]) });
 */
export function promptsWithFixes(
  base: ChameleonPrompts = defaultChameleonPrompts(),
  only: ReadonlyArray<keyof ChameleonPrompts> = ["planner", "knowledgeRetrieval", "queryGenerator"],
): ChameleonPrompts {
  const fixed = { ...base };
  for (const key of only) {
    const fix = chameleonFixes[key];
    if (fix !== undefined) fixed[key] = `${base[key]}\n${fix}`;
  }
  return fixed;
}

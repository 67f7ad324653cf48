/**
 * @module examples/chameleon/modules/solution-generator
 * Solution generator: an LLM reasons over the question and the blackboard and ends with "The answer is (X)."
 */
import type { ChameleonPrompts } from "../prompts.js";
import { askModel, formatProblem, type ChameleonModel, type ChameleonProblem } from "./format.js";

/**
 * Creates the module: `(problem, notes) => solution`. The system prompt is read from `prompts.solutionGenerator` at
 * every call.
 */
export function createSolutionGenerator(deps: { model: ChameleonModel; prompts: ChameleonPrompts }) {
  return async function solutionGenerator(problem: ChameleonProblem, notes: string): Promise<string> {
    return askModel(deps.model, deps.prompts.solutionGenerator, formatProblem(problem, notes, "Solution:"));
  };
}

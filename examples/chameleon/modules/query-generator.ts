/**
 * @module examples/chameleon/modules/query-generator
 * Query generator: an LLM writes the query the search tool runs.
 */
import type { ChameleonPrompts } from "../prompts.js";
import { askModel, formatProblem, type ChameleonModel, type ChameleonProblem } from "./format.js";

/**
 * Creates the module: `(problem, notes) => query`. The system prompt is read from `prompts.queryGenerator` at every
 * call. Only the first line of the reply is kept, without quotes, because models like to explain their query.
 */
export function createQueryGenerator(deps: { model: ChameleonModel; prompts: ChameleonPrompts }) {
  return async function queryGenerator(problem: ChameleonProblem, notes: string): Promise<string> {
    const reply = await askModel(deps.model, deps.prompts.queryGenerator, formatProblem(problem, notes, "Search Query:"));
    return (reply.split("\n").find((l) => l.trim() !== "") ?? "").trim().replace(/^["']|["']$/g, "");
  };
}

/**
 * @module examples/chameleon/modules/knowledge-retrieval
 * Knowledge retrieval: an LLM writes background knowledge for the question, which is added to the blackboard.
 */
import type { ChameleonPrompts } from "../prompts.js";
import { askModel, formatProblem, type ChameleonModel, type ChameleonProblem } from "./format.js";

/**
 * Creates the module: `(problem, notes) => knowledge`, where `notes` is the blackboard so far. The system prompt is
 * read from `prompts.knowledgeRetrieval` at every call.
 */
export function createKnowledgeRetrieval(deps: { model: ChameleonModel; prompts: ChameleonPrompts }) {
  return async function knowledgeRetrieval(problem: ChameleonProblem, notes: string): Promise<string> {
    return askModel(deps.model, deps.prompts.knowledgeRetrieval, formatProblem(problem, notes, "Knowledge:"));
  };
}

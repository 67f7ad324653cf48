/**
 * @module prompts/default-roles
 * Role descriptions used when the caller gives none. Roles are shown to the backward engine and the optimizer, so
 * they are prompt text and live here.
 */

/** Role of an LLM call's output. */
export const DEFAULT_LLM_OUTPUT_ROLE = "response from the language model";

/** Role of a system prompt given as a plain string (and therefore frozen). */
export const DEFAULT_SYSTEM_PROMPT_ROLE = "system prompt to the language model";

/** Role of a loss's evaluation instruction given as a plain string (frozen). */
export const DEFAULT_EVALUATION_INSTRUCTION_ROLE = "instruction for the evaluation";

/** Role of a string-based function's output. */
export function defaultFunctionOutputRole(purpose: string): string {
  return `output of the function whose purpose is: ${purpose}`;
}

/** Role of a loss's output when it evaluates one variable. */
export function defaultEvaluationRole(evaluatedRole: string): string {
  return `evaluation of ${withArticle(evaluatedRole)}`;
}

/** Role of a multi-field evaluation's output. */
export function defaultMultiFieldEvaluationRole(roles: readonly string[]): string {
  return `evaluation of the following: ${roles.join(", ")}`;
}

/** Role of `sum` / `aggregate` outputs: the inputs' roles in order. */
export function combinationRole(roles: readonly string[]): string {
  return `a combination of the following: ${roles.join(", ")}`;
}

/** "the answer" for "answer"; roles that already start with an article are kept as they are. */
function withArticle(role: string): string {
  return /^(a|an|the)\s/i.test(role) ? role : `the ${role}`;
}

/** Role of the input node of a graph rebuilt from a trace (the agent's argument, or the root span's input). */
export const DEFAULT_INPUT_ROLE = "input to the agent";

/** Role of the output node of a graph rebuilt from a trace, when no call lends it a more specific one. */
export const DEFAULT_OUTPUT_ROLE = "final output of the agent";

/** Role of a model call made inside a LangGraph node (`node`: the node's name, or its path through subgraphs). */
export function langGraphNodeModelRole(node: string): string {
  return `response of the model in the LangGraph node "${node}"`;
}

/** Role of a LangGraph node's state update (a node wrapped with `tracegradNode`). */
export function langGraphNodeOutputRole(node: string): string {
  return `state update of the LangGraph node "${node}"`;
}

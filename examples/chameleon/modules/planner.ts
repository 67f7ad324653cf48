/**
 * @module examples/chameleon/modules/planner
 * The planner (Chameleon's policy model): an LLM chooses which modules to run, and {@link parsePlan} turns its reply
 * into a plan, falling back to the chain-of-thought pair when the reply is unusable — as Chameleon's `update_modules`.
 */
import type { ChameleonPrompts } from "../prompts.js";
import { askModel, formatProblem, type ChameleonModel, type ChameleonProblem } from "./format.js";

/** The modules a plan may name, in Chameleon's spelling. */
export const CHAMELEON_MODULES = ["knowledge_retrieval", "query_generator", "search", "solution_generator", "answer_extractor"] as const;

/** One module name. */
export type ChameleonModuleName = (typeof CHAMELEON_MODULES)[number];

/** Chameleon's chain-of-thought baseline, used whenever the planner's reply cannot be used. */
export const COT_PLAN: readonly ChameleonModuleName[] = ["solution_generator", "answer_extractor"];

// Names models write for the same modules (Chameleon's own, capitalised variants are lower-cased first).
const ALIASES: Readonly<Record<string, ChameleonModuleName>> = {
  bing_search: "search",
  web_search: "search",
  answer_generator: "answer_extractor",
};

/**
 * Creates the planner module: `(problem) => reply`, where the reply is the model's raw text (parse it with
 * {@link parsePlan}). The system prompt is read from `prompts.planner` at every call.
 */
export function createPlanner(deps: { model: ChameleonModel; prompts: ChameleonPrompts }) {
  return async function planner(problem: ChameleonProblem): Promise<string> {
    return askModel(deps.model, deps.prompts.planner, formatProblem(problem, "", "Modules:"));
  };
}

/**
 * Reads a plan from the planner's reply: the first bracketed list, names lower-cased, aliases mapped, unknown names
 * and repeats dropped. The plan must end with solution_generator, answer_extractor; otherwise the CoT pair is used.
 */
export function parsePlan(reply: string): ChameleonModuleName[] {
  const list = /\[([^\]]*)\]/.exec(reply)?.[1];
  if (list === undefined) return [...COT_PLAN];
  const names: ChameleonModuleName[] = [];
  for (const raw of list.split(",")) {
    const name = raw.trim().replace(/^["'`]|["'`]$/g, "").trim().toLowerCase().replace(/[\s-]+/g, "_");
    const known = (CHAMELEON_MODULES as readonly string[]).includes(name) ? (name as ChameleonModuleName) : ALIASES[name];
    if (known && !names.includes(known)) names.push(known);
  }
  const tail = names.slice(-2);
  return tail[0] === "solution_generator" && tail[1] === "answer_extractor" ? names : [...COT_PLAN];
}

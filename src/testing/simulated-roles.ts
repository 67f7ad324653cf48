/**
 * @module testing/simulated-roles
 * Which role a request asks the simulated model to play. Detection is ordered from the most to the least certain
 * signal, so a prompt that quotes another prompt (a backward prompt showing an agent conversation) is classified by
 * its outer structure:
 *
 * 1. `optimizer` — the request names reply tags: `<IMPROVED_VARIABLE>`, or a custom pair "between <X> and </X>"
 *    (tracegrad's optimizer system prompt always names them; feedback prompts never do).
 * 2. `reduce` — complete `<FEEDBACK>` blocks and the words summarise/aggregate/combine/reduce (reduce prompts quote
 *    exchanges, so they are checked before the backward rule below).
 * 3. `backward` — a complete `<ROLE>` block plus a complete `<OBJECTIVE_FUNCTION>` (chain mode), `<LM_OUTPUT>` or
 *    `<OUTPUT_OF_FUNCTION>` block (evaluation mode).
 * 4. Agent modules, by the cue on the last line of the user prompt (Chameleon's few-shot format): `Modules:` →
 *    `planner`, `Knowledge:` → `knowledge_retrieval`, `Search Query:` or `Query:` → `query_generator`, `Solution:` →
 *    `solution_generator`. The cue is used first because optimizers rewrite system prompts but not user prompts.
 * 5. `evaluator` — a world question appears in the system prompt (agent modules keep questions in the user prompt;
 *    a TextLoss puts the evaluation instruction, which names the question, in the system prompt).
 * 6. Agent modules again, by system-prompt keywords (for prompts without a cue): planner ("modules" with
 *    select/choose/plan, or "planner"/"policy"), query generator ("query"), knowledge retrieval ("knowledge"),
 *    solution generator ("answer is").
 * 7. `evaluator` by the words evaluate/judge/assess/grade in the system prompt; otherwise `unknown`.
 */
import { FEEDBACK_TAG, LM_OUTPUT_TAG, OBJECTIVE_FUNCTION_TAG, OUTPUT_OF_FUNCTION_TAG, ROLE_TAG } from "../prompts/tags.js";
import { findQuestion, type SimulatedWorld } from "./simulated-world.js";
import { hasBlock, readUpdateTags } from "./simulated-tags.js";

/** Every role the simulated model can play. */
export type SimulatedRole =
  | "planner"
  | "knowledge_retrieval"
  | "query_generator"
  | "solution_generator"
  | "evaluator"
  | "backward"
  | "optimizer"
  | "reduce"
  | "unknown";

/** All roles, in a fixed order (for counters). */
export const SIMULATED_ROLES: readonly SimulatedRole[] = [
  "planner",
  "knowledge_retrieval",
  "query_generator",
  "solution_generator",
  "evaluator",
  "backward",
  "optimizer",
  "reduce",
  "unknown",
];

/** What the simulated model is asked: the system prompt and the (last) user prompt. */
export interface SimulatedRequest {
  readonly system?: string | undefined;
  readonly prompt: string;
}

/** The cue on the last line of an agent module's user prompt. */
export const AGENT_CUES: Readonly<Record<"planner" | "knowledge_retrieval" | "query_generator" | "solution_generator", RegExp>> = {
  planner: /^modules\s*:?$/i,
  knowledge_retrieval: /^knowledge\s*:?$/i,
  query_generator: /^(?:search\s+)?query\s*:?$/i,
  solution_generator: /^solution\s*:?$/i,
};

/** Classifies a request; see the module comment for the order of the rules. */
export function detectRole(request: SimulatedRequest, world?: SimulatedWorld): SimulatedRole {
  const system = request.system ?? "";
  const prompt = request.prompt ?? "";
  const both = `${system}\n${prompt}`;
  if (readUpdateTags(both)) return "optimizer";
  if (hasBlock(both, FEEDBACK_TAG) && /summari[sz]|aggregat|combin|reduc/i.test(both)) return "reduce";
  if (hasBlock(both, ROLE_TAG) && [OBJECTIVE_FUNCTION_TAG, LM_OUTPUT_TAG, OUTPUT_OF_FUNCTION_TAG].some((t) => hasBlock(both, t))) return "backward";
  const cued = roleFromCue(prompt);
  if (cued) return cued;
  if (world && findQuestion(world, system)) return "evaluator";
  const keyed = roleFromKeywords(system);
  if (keyed) return keyed;
  if (/evaluat|judge|assess|grade the/i.test(system)) return "evaluator";
  return "unknown";
}

function roleFromCue(prompt: string): SimulatedRole | undefined {
  const last = prompt.trimEnd().split("\n").at(-1)?.trim() ?? "";
  for (const [role, cue] of Object.entries(AGENT_CUES)) if (cue.test(last)) return role as SimulatedRole;
  return undefined;
}

function roleFromKeywords(system: string): SimulatedRole | undefined {
  if (/\bplanner\b|\bpolicy\b|\bmodules?\b[\s\S]*\b(?:select|choose|plan)|\b(?:select|choose|plan)\b[\s\S]*\bmodules\b/i.test(system)) return "planner";
  if (/\bquery\b/i.test(system)) return "query_generator";
  if (/\bknowledge\b/i.test(system)) return "knowledge_retrieval";
  if (/answer is/i.test(system)) return "solution_generator";
  return undefined;
}

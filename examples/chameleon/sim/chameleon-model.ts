/**
 * @module examples/chameleon/sim/chameleon-model
 * The simulated LLM of the Chameleon example: tracegrad's generic rule-driven `SimulatedModel` with one rule per role
 * of an agent-plus-TextGrad run — planner, knowledge retrieval, query generator, solution generator, evaluator,
 * backward engine, optimizer, reducer — played against a {@link SimulatedWorld}. It makes specific, documented
 * mistakes that the right instruction or the right upstream fact fixes, so a test or an offline demo can show feedback
 * travelling through a graph and changing the outcome:
 *
 * - planner: skips knowledge_retrieval for the world's `plannerSkipsKnowledgeFor` topics (fix: planner trigger);
 * - knowledge retrieval: omits the key fact on hard questions (fix: knowledge trigger, or the fact in its output);
 * - query generator: writes a generic query, so search misses (fix: query trigger);
 * - solution generator: picks the distractor unless the key fact is in its input (fix: any of the above, or the fact
 *   in its output).
 *
 * The rules are ordered from the most to the least certain signal, so a prompt that quotes another prompt (a backward
 * prompt showing an agent conversation) is classified by its outer structure:
 *
 * 1. tracegrad's own requests, by their tags (`textgradRule`): `optimizer`, then `reduce`, then `backward`.
 * 2. Agent modules, by the cue on the last line of the user prompt (Chameleon's few-shot format): `Modules:` →
 *    `planner`, `Knowledge:` → `knowledge_retrieval`, `Search Query:` or `Query:` → `query_generator`, `Solution:` →
 *    `solution_generator`. The cue is used first because optimizers rewrite system prompts but not user prompts.
 * 3. `evaluator` — a world question appears in the system prompt (agent modules keep questions in the user prompt;
 *    a TextLoss puts the evaluation instruction, which names the question, in the system prompt).
 * 4. Agent modules again, by system-prompt keywords (for prompts without a cue): planner ("modules" with
 *    select/choose/plan, or "planner"/"policy"), query generator ("query"), knowledge retrieval ("knowledge"),
 *    solution generator ("answer is").
 * 5. `evaluator` by the words evaluate/judge/assess/grade in the system prompt; otherwise `unknown`.
 *
 * Each role's behaviour is in `agent-roles.ts` and `textgrad-roles.ts`.
 */
import {
  SimulatedModel,
  textgradRule,
  type SimulatedModelOptions,
  type SimulatedRequest,
  type SimulatedRule,
} from "../../../src/testing/index.js";
import { replyAsKnowledgeRetrieval, replyAsPlanner, replyAsQueryGenerator, replyAsSolutionGenerator } from "./agent-roles.js";
import { findQuestion, type SimulatedWorld } from "./simulated-world.js";
import { replyAsBackward, replyAsEvaluator, replyAsOptimizer, replyAsReducer } from "./textgrad-roles.js";

/** Every role the simulated Chameleon model plays. */
export type ChameleonRole =
  | "planner"
  | "knowledge_retrieval"
  | "query_generator"
  | "solution_generator"
  | "evaluator"
  | "backward"
  | "optimizer"
  | "reduce"
  | "unknown";

type AgentRole = "planner" | "knowledge_retrieval" | "query_generator" | "solution_generator";

/** The cue on the last line of an agent module's user prompt. */
export const AGENT_CUES: Readonly<Record<AgentRole, RegExp>> = {
  planner: /^modules\s*:?$/i,
  knowledge_retrieval: /^knowledge\s*:?$/i,
  query_generator: /^(?:search\s+)?query\s*:?$/i,
  solution_generator: /^solution\s*:?$/i,
};

/** System-prompt keywords of each agent module, for prompts without a cue; tried in this order. */
const AGENT_KEYWORDS: ReadonlyArray<readonly [AgentRole, RegExp]> = [
  ["planner", /\bplanner\b|\bpolicy\b|\bmodules?\b[\s\S]*\b(?:select|choose|plan)|\b(?:select|choose|plan)\b[\s\S]*\bmodules\b/i],
  ["query_generator", /\bquery\b/i],
  ["knowledge_retrieval", /\bknowledge\b/i],
  ["solution_generator", /answer is/i],
];

/**
 * The ordered rules of the simulated Chameleon model for `world` (see the module comment for the order).
 *
 * @example
 * const model = new SimulatedModel([...chameleonRules(chameleonWorld)]);
 */
export function chameleonRules(world: SimulatedWorld): readonly SimulatedRule<ChameleonRole>[] {
  const agentReplies: Readonly<Record<AgentRole, (w: SimulatedWorld, r: SimulatedRequest) => string>> = {
    planner: replyAsPlanner,
    knowledge_retrieval: replyAsKnowledgeRetrieval,
    query_generator: replyAsQueryGenerator,
    solution_generator: replyAsSolutionGenerator,
  };
  const agentRule = (role: AgentRole, matches: (request: SimulatedRequest) => boolean): SimulatedRule<ChameleonRole> => ({
    role,
    matches,
    reply: (request) => agentReplies[role](world, request),
  });
  const evaluator = (matches: (request: SimulatedRequest) => boolean): SimulatedRule<ChameleonRole> => ({
    role: "evaluator",
    matches,
    reply: (request) => replyAsEvaluator(world, request),
  });
  return [
    textgradRule("optimizer", (request) => replyAsOptimizer(world, request)),
    textgradRule("reduce", (request) => replyAsReducer(world, request)),
    textgradRule("backward", (request, raw) => replyAsBackward(world, request, raw)),
    ...(Object.keys(AGENT_CUES) as AgentRole[]).map((role) => agentRule(role, (request) => AGENT_CUES[role].test(lastLine(request.prompt)))),
    evaluator((request) => findQuestion(world, request.system ?? "") !== undefined),
    ...AGENT_KEYWORDS.map(([role, keywords]) => agentRule(role, (request) => keywords.test(request.system ?? ""))),
    evaluator((request) => /evaluat|judge|assess|grade the/i.test(request.system ?? "")),
    { role: "unknown", matches: () => true, reply: () => "I am a simulated model and do not know how to answer this request." },
  ];
}

/**
 * The simulated Chameleon model: a `SimulatedModel` with {@link chameleonRules}. Use it as a tracegrad engine, through
 * `SimulatedChatModel` as the agent's LangChain model, or over HTTP with `startStubServer({ reply: simulatedReply(model) })`.
 *
 * @example
 * const model = createChameleonModel(chameleonWorld);
 * const { text } = await model.generate({ system: prompts.planner, prompt: "Question: …\n\nModules:" });
 * model.counts.planner; // 1
 */
export function createChameleonModel(world: SimulatedWorld, options: SimulatedModelOptions = {}): SimulatedModel<ChameleonRole> {
  return new SimulatedModel(chameleonRules(world), options);
}

function lastLine(prompt: string | undefined): string {
  return (prompt ?? "").trimEnd().split("\n").at(-1)?.trim() ?? "";
}

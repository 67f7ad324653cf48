/**
 * @module examples/chameleon/sim/agent-roles
 * How the simulated model plays the agent's LLM modules (planner, knowledge retrieval, query generator, solution
 * generator), including their documented mistakes. Each role finds the question in the user prompt and answers from
 * the world; the mistakes depend only on the module's system prompt (does it carry the trigger?) and on what the
 * module was given (is the key fact in its input?), so the right instruction or the right upstream text fixes them.
 */
import type { SimulatedRequest } from "../../../src/testing/index.js";
import {
  containsNormalized,
  findQuestion,
  hasTrigger,
  isHard,
  moduleNamesOf,
  normalizeText,
  optionLetter,
  triggersOf,
  type SimulatedQuestion,
  type SimulatedWorld,
} from "./simulated-world.js";

/**
 * Planner. Returns a JSON list of module names: knowledge retrieval, then query generator + search when the question
 * is searchable, then solution generator + answer extractor.
 *
 * Mistake: for topics or subjects in `world.plannerSkipsKnowledgeFor` it leaves knowledge retrieval out (it treats
 * them as needing no background), unless the system prompt carries the planner trigger. Unknown questions get
 * Chameleon's chain-of-thought pair.
 */
export function replyAsPlanner(world: SimulatedWorld, request: SimulatedRequest): string {
  const names = moduleNamesOf(world);
  const q = findQuestion(world, request.prompt);
  if (!q) return JSON.stringify([names.solution, names.answer]);
  const skipped = (world.plannerSkipsKnowledgeFor ?? []).some((s) => sameLabel(s, q.topic) || sameLabel(s, q.subject));
  const plan: string[] = [];
  if (!skipped || hasTrigger(request.system, triggersOf(world).planner)) plan.push(names.knowledge);
  if (q.searchable) plan.push(names.query, names.search);
  plan.push(names.solution, names.answer);
  return JSON.stringify(plan);
}

/**
 * Knowledge retrieval. Returns bullet points: the generic background of the question's topic, then the key fact.
 *
 * Mistake: on hard questions ({@link isHard}) it omits the key fact, unless the system prompt carries the knowledge
 * trigger ("state the specific deciding principle").
 */
export function replyAsKnowledgeRetrieval(world: SimulatedWorld, request: SimulatedRequest): string {
  const q = findQuestion(world, request.prompt);
  if (!q) return "- No specific background knowledge is needed.";
  const lines = [...backgroundOf(world, q)];
  if (!isHard(q) || hasTrigger(request.system, triggersOf(world).knowledge)) lines.push(q.keyFact);
  return lines.map((l) => `- ${l}`).join("\n");
}

/**
 * Query generator. Returns one search query.
 *
 * Mistake: the query is generic (`"<topic> overview"`) and never names the key term, so search returns topic
 * overviews; with the query trigger in the system prompt it is the question's `keyTerm`.
 */
export function replyAsQueryGenerator(world: SimulatedWorld, request: SimulatedRequest): string {
  const q = findQuestion(world, request.prompt);
  if (!q) return "science facts";
  if (hasTrigger(request.system, triggersOf(world).query)) return q.keyTerm ?? q.question;
  return `${q.topic ?? q.subject} overview`;
}

/**
 * Solution generator. If the key fact (or a copy differing only in case and punctuation) appears anywhere in its
 * input — system or user prompt — it reasons from it and picks the correct option. Otherwise it answers from surface
 * cues and picks the distractor. It never recalls facts by itself, so its own prompt cannot fix this: the fact must
 * come from upstream (knowledge retrieval, search) or from refining its output. Always ends with "The answer is (X)."
 */
export function replyAsSolutionGenerator(world: SimulatedWorld, request: SimulatedRequest): string {
  const q = findQuestion(world, request.prompt);
  if (!q) return "There is not enough information to decide, so I choose the first option.\nThe answer is (A).";
  if (containsNormalized(`${request.system ?? ""}\n${request.prompt}`, q.keyFact)) return solutionFromFact(q);
  const d = q.distractor;
  return `The question is about ${q.topic ?? q.subject}. From the wording of the options, "${q.choices[d]}" looks like the best fit.\nThe answer is (${optionLetter(d)}).`;
}

/** The solution the model writes once it knows the key fact. Also what the optimizer rewrites a solution to. */
export function solutionFromFact(q: SimulatedQuestion): string {
  return `${q.keyFact}\nReasoning from this fact, the correct option is "${q.choices[q.answer]}".\nThe answer is (${optionLetter(q.answer)}).`;
}

function backgroundOf(world: SimulatedWorld, q: SimulatedQuestion): readonly string[] {
  const bg = world.background ?? {};
  return (q.topic !== undefined ? bg[q.topic] : undefined) ?? bg[q.subject] ?? [`This is a question about ${q.topic ?? q.subject}.`];
}

function sameLabel(a: string, b: string | undefined): boolean {
  return b !== undefined && normalizeText(a) === normalizeText(b);
}

/**
 * @module examples/chameleon/sim/optimizer-behaviour
 * An imperfect optimizer for the Chameleon world, so a training loop's decisions matter. The default simulated
 * optimizer (`textgrad-roles.ts`) always writes the general fix; a real optimizer model does not. When this one
 * rewrites a **prompt** from feedback that names a deciding fact or a trigger, it writes one of three kinds of
 * proposal, chosen by a seeded hash of what the proposal is about — the variable's role and value, the facts and triggers its
 * feedback names (same seed + same feedback → same proposal, whatever the call order or the run's span ids):
 *
 * | kind | what it writes | effect on the agent |
 * |---|---|---|
 * | `general` (default weight 0.5) | the trigger instruction(s) the feedback names, as the perfect optimizer does | fixes the module's mistake on every question |
 * | `overfit` (0.25) | a note for one training question: `For the question "Q", remember: F` | fixes at most that one question (knowledge retrieval and the solution generator follow notes for the question they are on); copies the example's text |
 * | `scoped` (0.25) | the trigger(s), plus "Follow these instructions only for S questions; for any other question, skip background and answer from the options alone." with S the subject of the sample | helps that subject, **breaks the others**: out of scope, the planner drops retrieval and search, retrieval gives no background, the query is generic, the solution generator answers from the options alone |
 *
 * Other variables (outputs refined by `refine`) are rewritten exactly as by the default optimizer. The agent side of
 * notes and scope instructions is in `imperfect-model.ts`, which also builds the model.
 */
import { createHash } from "node:crypto";
import { parseUpdate } from "../../../src/index.js";
import { formatUpdate, textgradRule, type SimulatedRule, type TextgradOptimizerRequest } from "../../../src/testing/index.js";
import { extractFacts } from "./feedback-text.js";
import { containsNormalized, findQuestionByFact, triggersOf, type SimulatedQuestion, type SimulatedTrigger, type SimulatedWorld } from "./simulated-world.js";
import { replyAsOptimizer, variableKind } from "./textgrad-roles.js";

/** The three kinds of prompt proposal the imperfect optimizer writes. */
export type ProposalKind = "general" | "overfit" | "scoped";

/** Options of {@link imperfectOptimizerRule}. */
export interface OptimizerBehaviourOptions {
  /** Seed of the choice between kinds. Default 0. */
  readonly seed?: number;
  /** Relative weights of the kinds. Default `{ general: 0.5, overfit: 0.25, scoped: 0.25 }`. */
  readonly weights?: Readonly<Record<ProposalKind, number>>;
}

/** One prompt rewrite the optimizer decided, in call order. */
export interface ProposalDecision {
  readonly kind: ProposalKind;
  /** The variable's role, as the request gave it. */
  readonly role: string;
  /** The training question the proposal was written from (its first fact's question). */
  readonly questionId: string | undefined;
}

/** The optimizer rule plus the log of what it decided, for tests and demos that want to show it. */
export interface ImperfectOptimizerRule extends SimulatedRule<"optimizer"> {
  readonly decisions: readonly ProposalDecision[];
}

/** Default weights of the kinds. */
export const DEFAULT_PROPOSAL_WEIGHTS: Readonly<Record<ProposalKind, number>> = { general: 0.5, overfit: 0.25, scoped: 0.25 };

/** `For the question "Q", remember: F` — what an overfitting proposal appends. */
export function noteFor(question: SimulatedQuestion): string {
  return `For the question "${question.question}", remember: ${question.keyFact}`;
}

/** The scope instruction a `scoped` proposal appends, limiting everything the prompt says to one subject. */
export function scopeInstruction(subject: string): string {
  return `Follow these instructions only for ${subject} questions; for any other question, skip background and answer from the options alone.`;
}

const NOTE_PATTERN = /For the question "([^"]+)", remember: ([^\n]+)/g;
const SCOPE_PATTERN = /Follow these instructions only for ([a-z ]+?) questions; for any other question, skip background and answer from the options alone\./gi;

/** The facts a prompt's notes give for `question` (notes written by {@link noteFor} naming that question). */
export function notesFor(system: string | undefined, question: SimulatedQuestion): string[] {
  return [...(system ?? "").matchAll(NOTE_PATTERN)].filter((m) => containsNormalized(question.question, m[1]!) && containsNormalized(m[1]!, question.question)).map((m) => m[2]!.trim());
}

/** Whether a prompt's scope instructions (if any) leave `question` out: in scope only when every one names its subject. */
export function outOfScope(system: string | undefined, question: SimulatedQuestion): boolean {
  return [...(system ?? "").matchAll(SCOPE_PATTERN)].some((m) => m[1]!.trim().toLowerCase() !== question.subject.toLowerCase());
}

/**
 * The imperfect optimizer as a `SimulatedModel` rule (role "optimizer"), replacing the default one.
 *
 * @example
 * const rule = imperfectOptimizerRule(chameleonWorld, { seed: 3 });
 * // … after a training run: rule.decisions → [{ kind: "scoped", role: "system prompt of the planner…", questionId: "soc-02" }, …]
 */
export function imperfectOptimizerRule(world: SimulatedWorld, options: OptimizerBehaviourOptions = {}): ImperfectOptimizerRule {
  const seed = options.seed ?? 0;
  const weights = options.weights ?? DEFAULT_PROPOSAL_WEIGHTS;
  const decisions: ProposalDecision[] = [];
  const rule = textgradRule("optimizer", (request) => {
    const role = request.role ?? "variable";
    const facts = extractFacts(request.feedback.join("\n"));
    const named = namedTriggers(world, request.feedback.join("\n"));
    if (variableKind(role) !== "prompt" || (facts.length === 0 && named.length === 0)) return replyAsOptimizer(world, request);
    const question = facts.map((f) => findQuestionByFact(world, f)).find((q) => q !== undefined);
    // keyed on what the proposal is about, not the raw prompt: prompts carry span ids, which differ between runs
    const key = [seed, role, request.variable ?? "", ...facts, ...named.map((t) => t.phrase)].join("\u0000");
    const kind = chooseKind(key, weights, question !== undefined);
    decisions.push({ kind, role, questionId: question?.id });
    return formatUpdate(rewrite(world, request, kind, question), request.tags);
  });
  return { ...rule, decisions };
}

function rewrite(world: SimulatedWorld, request: TextgradOptimizerRequest, kind: ProposalKind, question: SimulatedQuestion | undefined): string {
  const value = request.variable ?? "";
  const append = (v: string, line: string) => (containsNormalized(v, line) ? v : `${v.trimEnd()}\n${line}`);
  if (kind === "overfit" && question) return append(value, noteFor(question));
  // the general fix is exactly the default optimizer's (the trigger instructions the feedback names)
  const general = parseUpdate(replyAsOptimizer(world, request), request.tags) ?? value;
  return kind === "scoped" && question ? append(general, scopeInstruction(question.subject)) : general;
}

/** A uniform draw from a hash of `key`, mapped onto the weights; no question → no overfit or scope to write. */
function chooseKind(key: string, weights: Readonly<Record<ProposalKind, number>>, hasQuestion: boolean): ProposalKind {
  if (!hasQuestion) return "general";
  const draw = createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
  const total = weights.general + weights.overfit + weights.scoped;
  if (draw * total < weights.general) return "general";
  return draw * total < weights.general + weights.overfit ? "overfit" : "scoped";
}

function namedTriggers(world: SimulatedWorld, text: string): SimulatedTrigger[] {
  const t = triggersOf(world);
  return [t.knowledge, t.query, t.planner].filter((trigger) => containsNormalized(text, trigger.phrase));
}

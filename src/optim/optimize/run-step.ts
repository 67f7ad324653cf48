/**
 * @module optim/optimize/run-step
 * One step of the loop, for either selection: run the parent's prompts on the minibatch, send the failing samples'
 * feedback back to the parameters, propose, screen the proposals with the overfitting guard, then decide — greedy:
 * validate and keep the candidate only if it is not worse than the current best (or always, without the gate);
 * pareto: the child must first beat its parent on the same minibatch, then it is validated and joins the pool.
 * It returns the decision; writing it to the journal is the caller's job (the decision is the commit point).
 */
import { meanScore } from "./metric-result.js";
import type { OverfitGuard } from "./overfit-guard.js";
import { proposeValues, type FeedbackSettings, type RawProposal } from "./propose-values.js";
import type { CandidateScorer, ParameterSet, RunSource } from "./sources.js";
import type { OptimizeEvent, ParameterValues, PoolCandidate, ProposalRecord } from "./types.js";

/** What one step needs. */
export interface StepInput extends FeedbackSettings {
  readonly step: number;
  readonly batch: readonly number[];
  readonly parent: PoolCandidate;
  /** Greedy with the gate: the score a candidate must reach (the current best). */
  readonly bar: number;
  readonly selection: "greedy" | "pareto";
  readonly gate: boolean;
  readonly source: RunSource;
  readonly scorer: CandidateScorer;
  readonly parameters: ParameterSet;
  readonly guard: OverfitGuard;
  readonly emit: (event: OptimizeEvent) => void;
  /** Receives the raw proposals before the decision (the journal's `proposals` record). */
  readonly onProposals: (proposals: readonly ProposalRecord[]) => void;
}

/** A step's decision, before it is made durable. */
export interface StepDecision {
  readonly accepted: boolean;
  readonly reason: string;
  readonly proposals: readonly ProposalRecord[];
  readonly batchScores: { readonly parent: readonly number[]; readonly child?: readonly number[] };
  /** The validated candidate, when there was one. */
  readonly candidate?: { readonly values: ParameterValues; readonly scores: readonly number[]; readonly score: number };
}

/** Runs one step as described in the module comment. */
export async function runStep(input: StepInput): Promise<StepDecision> {
  const { step, parent } = input;
  const progress = (phase: Extract<OptimizeEvent, { type: "progress" }>["phase"], message: string) => input.emit({ type: "progress", step, phase, message });

  progress("minibatch", `running the agent on ${input.batch.length} training example(s)`);
  const samples = await input.source.samples(input.batch, parent.values);
  const parentScores = samples.map((s) => s.score);
  const batchScores = { parent: parentScores };
  const failing = samples.filter((s) => s.score < input.perfectScore).length;
  if (failing === 0) return { accepted: false, reason: "every minibatch sample scored perfect: nothing to learn", proposals: [], batchScores };

  progress("backward", `sending feedback from ${failing} failing sample(s) back to the parameters`);
  const raw = await proposeValues({
    samples,
    parameters: input.parameters,
    engine: input.engine,
    perfectScore: input.perfectScore,
    concurrency: input.concurrency,
    ...(input.constraints ? { constraints: input.constraints } : {}),
    ...(input.update ? { update: input.update } : {}),
    ...(input.loss ? { loss: input.loss } : {}),
    onBackwardDone: (n) => progress("propose", `${n} piece(s) of feedback reached the parameters; proposing new values`),
  });
  input.onProposals(raw.map((p) => ({ ...p, status: "rejected", reason: "not decided yet" })));
  if (raw.length === 0) return { accepted: false, reason: "no parameter received feedback (nothing reached the prompts)", proposals: [], batchScores };

  const screened = raw.map((p) => ({ proposal: p, problem: screen(p, input.guard) }));
  const usable = screened.filter((s) => s.problem === undefined).map((s) => s.proposal);
  const rejectedEarly = (reason: string, from: readonly RawProposal[]): ProposalRecord[] =>
    screened.map(({ proposal, problem }) => ({ ...proposal, status: "rejected", reason: problem ?? (from.includes(proposal) ? reason : "not decided") }));
  if (usable.length === 0) {
    return { accepted: false, reason: `every proposal was rejected before validation (${screened.map((s) => s.problem).join("; ")})`, proposals: rejectedEarly("", []), batchScores };
  }
  const values: ParameterValues = { ...parent.values, ...Object.fromEntries(usable.map((p) => [p.parameter, p.after])) };

  let child: number[] | undefined;
  if (input.selection === "pareto" && input.gate) {
    progress("minibatch-check", "running the child on the same minibatch");
    child = (await input.scorer.train(input.batch, values)).map((s) => s.score);
    const [before, after] = [sumOf(parentScores), sumOf(child)];
    if (!(after > before)) {
      const reason = `not better than its parent on the minibatch (${fmt(after)} ≤ ${fmt(before)})`;
      return { accepted: false, reason, proposals: rejectedEarly(reason, usable), batchScores: { parent: parentScores, child } };
    }
  }

  progress("validate", `scoring the candidate on the valset`);
  const scores = (await input.scorer.validate(values)).map((s) => s.score);
  const score = meanScore(scores);
  let accepted: boolean;
  let reason: string;
  if (input.selection === "pareto") {
    accepted = true;
    reason = input.gate ? `better on the minibatch; joins the pool with validation score ${fmt(score)}` : `gate off: joins the pool with validation score ${fmt(score)}`;
  } else if (!input.gate) {
    accepted = true;
    reason = `gate off: accepted with validation score ${fmt(score)} (was ${fmt(parent.score)})`;
  } else {
    accepted = score >= input.bar;
    reason = accepted ? `validation score ${fmt(score)} ≥ best ${fmt(input.bar)}` : `validation score ${fmt(score)} < best ${fmt(input.bar)}; reverted`;
  }
  const proposals: ProposalRecord[] = screened.map(({ proposal, problem }) => ({
    ...proposal,
    status: problem === undefined && accepted ? "accepted" : "rejected",
    reason: problem ?? reason,
    ...(problem === undefined ? { scoreBefore: parent.score, scoreAfter: score } : {}),
  }));
  return { accepted, reason, proposals, batchScores: child ? { parent: parentScores, child } : batchScores, candidate: { values, scores, score } };
}

/** Why a proposal cannot be used as is, or undefined. */
function screen(p: RawProposal, guard: OverfitGuard): string | undefined {
  if (p.after === p.before) return "the optimizer proposed no change";
  const copied = guard.check(p.before, p.after);
  return copied === undefined ? undefined : `overfitting guard: ${copied}`;
}

function sumOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

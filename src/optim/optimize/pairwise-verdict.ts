/**
 * @module optim/optimize/pairwise-verdict
 * Scores one validation run of optimize() over traces: the judge sees the recorded feedback and, per changed step,
 * the recorded output and the candidate's in an order drawn from a seeded hash (so a judge's bias towards the first
 * or the second position does not favour candidates). 1 = the candidate's version is better, 0 = worse, 0.5 = as
 * good (or nothing changed, or the reply had no verdict).
 */
import type { Engine } from "../../engine/types.js";
import { PAIRWISE_JUDGE_SYSTEM, readVerdict, renderPairwiseJudge } from "../../prompts/pairwise-judge.js";
import { seededUniform } from "./seeded.js";

/** One step's two versions. */
export interface ComparedStep {
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

/** What {@link pairwiseScore} needs. */
export interface PairwiseInput {
  readonly judge: Engine;
  readonly task: string;
  readonly feedback: string;
  readonly steps: readonly ComparedStep[];
  /** Seeds the A/B order (with the steps' texts). */
  readonly seed: string;
  readonly warn: (warning: string) => void;
}

/** The candidate's score on one run, as described in the module comment. */
export async function pairwiseScore(input: PairwiseInput): Promise<number> {
  if (input.steps.length === 0) return 0.5;
  const newIsA = seededUniform(input.seed, "pairwise order", JSON.stringify(input.steps)) < 0.5;
  const steps = input.steps.map((s) => ({ name: s.name, a: newIsA ? s.after : s.before, b: newIsA ? s.before : s.after }));
  const reply = await input.judge.generate({ system: PAIRWISE_JUDGE_SYSTEM, prompt: renderPairwiseJudge({ task: input.task, feedback: input.feedback, steps }) });
  const verdict = readVerdict(reply.text);
  if (verdict === undefined) {
    input.warn(`optimize(): the judge's reply had no <VERDICT>A|B|TIE</VERDICT>; counted as a tie: ${JSON.stringify(reply.text.slice(0, 120))}`);
    return 0.5;
  }
  if (verdict === "TIE") return 0.5;
  return (verdict === "A") === newIsA ? 1 : 0;
}

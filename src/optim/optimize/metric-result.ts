/**
 * @module optim/optimize/metric-result
 * A metric's verdict, read strictly: a finite number, or `{ score, feedback? }` with a finite score and a string
 * feedback. Anything else is the user's bug and fails loudly, naming the example — a NaN score would silently
 * poison every comparison the gate makes.
 */
import { InvalidArgumentError } from "../../errors.js";
import type { MetricResult } from "./options.js";

/** A verdict as the loop uses it. */
export interface Verdict {
  readonly score: number;
  readonly feedback?: string;
}

/** Reads what the metric returned for example `index` of `set`. */
export function readVerdict(value: MetricResult | unknown, set: string, index: number): Verdict {
  if (typeof value === "number" && Number.isFinite(value)) return { score: value };
  if (typeof value === "object" && value !== null) {
    const { score, feedback } = value as { score?: unknown; feedback?: unknown };
    if (typeof score === "number" && Number.isFinite(score) && (feedback === undefined || typeof feedback === "string")) {
      return feedback === undefined || feedback.trim() === "" ? { score } : { score, feedback };
    }
  }
  throw new InvalidArgumentError(
    `optimize(): the metric returned ${JSON.stringify(value) ?? String(value)} for ${set} example ${index}; it must return a finite number or { score: number, feedback?: string }.`,
    { subject: "metric" },
  );
}

/** The mean of `scores` (0 for none). */
export function meanScore(scores: readonly number[]): number {
  return scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
}

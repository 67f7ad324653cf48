/**
 * @module examples/chameleon/evaluate
 * Accuracy of the agent on a list of questions, with one record per question.
 */
import type { SimulatedQuestion } from "./sim/simulated-world.js";
import type { ChameleonAgent, ChameleonRun } from "./agent.js";

/** One question's outcome. */
export interface ChameleonOutcome {
  readonly id: string;
  readonly correct: boolean;
  readonly expected: string;
  readonly run: ChameleonRun;
}

/** Accuracy over a question list. */
export interface ChameleonReport {
  readonly correct: number;
  readonly total: number;
  /** correct / total, between 0 and 1. */
  readonly accuracy: number;
  readonly outcomes: readonly ChameleonOutcome[];
}

/**
 * Runs the agent on every question, `concurrency` at a time (default 4), and scores exact option matches.
 *
 * @example
 * const report = await evaluateChameleon(agent, questions);
 * console.log(`${report.correct}/${report.total}`);
 */
export async function evaluateChameleon(
  agent: ChameleonAgent,
  questions: readonly SimulatedQuestion[],
  options: { readonly concurrency?: number } = {},
): Promise<ChameleonReport> {
  const outcomes: ChameleonOutcome[] = new Array(questions.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < questions.length; i = next++) {
      const q = questions[i]!;
      const run = await agent.run(q);
      const expected = q.choices[q.answer]!;
      outcomes[i] = { id: q.id, correct: run.answer === expected, expected, run };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  const correct = outcomes.filter((o) => o.correct).length;
  return { correct, total: questions.length, accuracy: questions.length === 0 ? 0 : correct / questions.length, outcomes };
}

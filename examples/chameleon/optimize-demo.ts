/**
 * @module examples/chameleon/optimize-demo
 * `npm run demo:optimize`: the unmodified Chameleon agent's four prompts trained with `optimize()` over a
 * train/validation split of its questions, then scored on a held-out test split the loop never sees.
 *
 * Offline and deterministic: the agent's model and the optimizer's engine are the simulated Chameleon model with the
 * imperfect optimizer (`sim/imperfect-model.ts`) — a documented stand-in, not an LLM — whose prompt proposals are
 * sometimes general fixes, sometimes overfit to one training question, and sometimes scoped to one subject (breaking
 * the others), so the validation gate has real decisions to make. The metric is an oracle, as the simulated
 * evaluator is: a wrong answer's feedback names the correct option and the deciding fact the run was missing.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { optimize, type OptimizeEvent, type OptimizeResult } from "../../src/index.js";
import { createChameleon } from "./agent.js";
import { questions } from "./data/questions.js";
import { evaluateChameleon } from "./evaluate.js";
import type { ChameleonPrompts } from "./prompts.js";
import { missingFactSentence, quoted } from "./sim/feedback-text.js";
import { createImperfectChameleonModel } from "./sim/imperfect-model.js";
import type { ProposalDecision } from "./sim/optimizer-behaviour.js";
import type { SimulatedQuestion } from "./sim/simulated-world.js";
import { SimulatedChatModel } from "./simulated-chat-model.js";
import { traceChameleon } from "./traced.js";
import { chameleonWorld } from "./world.js";

/** Options of {@link runOptimizeDemo}. */
export interface OptimizeDemoOptions {
  /** Seeds the split, the minibatches and the simulated optimizer. Default 7. */
  readonly seed?: number;
  /** Default 8. */
  readonly steps?: number;
  /** Default 4. */
  readonly batchSize?: number;
  /** Default true; false shows what the loop accepts without the validation gate. */
  readonly gate?: boolean;
  /** Receives every printed line (default console.log). */
  readonly print?: (line: string) => void;
}

/** What the demo measured. */
export interface OptimizeDemoResult {
  readonly split: { readonly train: readonly SimulatedQuestion[]; readonly val: readonly SimulatedQuestion[]; readonly test: readonly SimulatedQuestion[] };
  readonly result: OptimizeResult;
  /** Test accuracy (0..1) with the starting prompts and with the returned ones, evaluated after the loop. */
  readonly test: { readonly baseline: number; readonly optimized: number };
  /** The returned prompts, as the agent's prompts object. */
  readonly prompts: ChameleonPrompts;
  /** What kind each prompt proposal of the simulated optimizer was (general / overfit / scoped). */
  readonly decisions: readonly ProposalDecision[];
}

/** A seeded three-way split of the 48 questions: 16 train, 16 validation, 16 test. */
export function splitQuestions(seed: number): OptimizeDemoResult["split"] {
  const key = (q: SimulatedQuestion) => createHash("sha256").update(`${seed}:${q.id}`).digest("hex");
  const shuffled = [...questions].sort((a, b) => key(a).localeCompare(key(b)));
  return { train: shuffled.slice(0, 16), val: shuffled.slice(16, 32), test: shuffled.slice(32) };
}

/** The metric: 1 for the correct option; else 0 with the evaluator's words (the correct option and the missing fact). */
export function chameleonMetric(output: string, q: SimulatedQuestion): { score: number; feedback?: string } {
  const correct = q.choices[q.answer]!;
  if (output === correct) return { score: 1 };
  return { score: 0, feedback: `The answer "${output}" is incorrect; the correct answer is ${quoted(correct)} ${missingFactSentence(q.keyFact)}` };
}

/** Runs the demo and prints a line per step, validation baseline -> best, and test accuracy before and after. */
export async function runOptimizeDemo(options: OptimizeDemoOptions = {}): Promise<OptimizeDemoResult> {
  const seed = options.seed ?? 7;
  const steps = options.steps ?? 8;
  const print = options.print ?? ((line: string) => console.log(line));
  const split = splitQuestions(seed);
  const { model, optimizer } = createImperfectChameleonModel(chameleonWorld, { seed, record: false });
  const agent = createChameleon({ model: new SimulatedChatModel(model) });
  const params = traceChameleon(agent);

  print("tracegrad optimize demo — offline: the agent and the optimizer are the simulated Chameleon model (a documented stand-in, not an LLM)");
  print(`questions: ${split.train.length} train, ${split.val.length} validation, ${split.test.length} test (seed ${seed}); the loop never sees the test questions`);
  const testBefore = await evaluateChameleon(agent, split.test);

  const result = await optimize({
    agent: (q: SimulatedQuestion) => agent.solve(q),
    trainset: split.train,
    valset: split.val,
    metric: chameleonMetric,
    metricName: "chameleon-exact-option",
    parameters: Object.values(params),
    engine: model,
    steps,
    batchSize: options.batchSize ?? 4,
    gate: options.gate ?? true,
    seed,
    onEvent: (e: OptimizeEvent) => {
      if (e.type === "start") print(`validation accuracy with the starting prompts: ${pct(e.baseline)}`);
      if (e.type === "step") print(`step ${e.step}/${steps}: ${e.accepted ? "accepted" : "rejected"}  validation ${pct(e.score)}  best ${pct(e.best)}  (${e.reason})`);
    },
  });

  // optimize leaves the parameters at the returned prompts, which the agent reads at call time
  const testAfter = await evaluateChameleon(agent, split.test);
  const prompts = { ...agent.prompts };
  print(`validation: ${pct(result.baseline.score)} -> ${pct(result.best.score)}   (${result.steps.filter((s) => s.accepted).length} of ${result.steps.length} steps accepted)`);
  print(`test (held out, evaluated separately): ${testBefore.correct}/${testBefore.total} -> ${testAfter.correct}/${testAfter.total}`);
  for (const [name, value] of Object.entries(result.best.values)) {
    const before = result.baseline.values[name] ?? "";
    if (value !== before) print(`  ${name}: + ${value.startsWith(before) ? value.slice(before.length).trim().replace(/\n/g, " / ") : value.replace(/\n/g, " / ")}`);
  }
  const kinds = optimizer.decisions.reduce<Record<string, number>>((n, d) => ({ ...n, [d.kind]: (n[d.kind] ?? 0) + 1 }), {});
  print(`the simulated optimizer's prompt proposals: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ") || "none"}; optimizer engine: ${result.usage.calls} calls, ${result.usage.totalTokens} tokens`);
  return { split, result, test: { baseline: testBefore.accuracy, optimized: testAfter.accuracy }, prompts, decisions: [...optimizer.decisions] };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runOptimizeDemo();

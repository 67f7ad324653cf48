/**
 * @module optim/optimize/loop
 * The variant-independent loop of optimize(): baseline (or resume), then per step a parent, a minibatch, a decision
 * made durable before the `step` event, until the steps or the budget run out. A variant supplies a
 * {@link RunSource}, a {@link CandidateScorer} and how its parameters are found; nothing here knows about agents.
 */
import type { Variable } from "../../core/variable.js";
import { BudgetExceededError, InvalidArgumentError } from "../../errors.js";
import { openCheckpoint, sumUsage, type Checkpoint } from "./checkpoint.js";
import { estimateSpend } from "./estimate.js";
import { checkFingerprint, datasetHash, type Fingerprint } from "./fingerprint.js";
import { meanScore } from "./metric-result.js";
import { minibatch } from "./minibatch.js";
import { optimizerEngine, usageDelta, usageOf, type MeteredEngine } from "./optimizer-engine.js";
import type { OptimizeOptionsBase, ScoredSample } from "./options.js";
import { overfitGuard } from "./overfit-guard.js";
import { bestCandidate, chooseParent } from "./pareto-front.js";
import { runStep } from "./run-step.js";
import { parameterSet, type CandidateScorer, type ParameterSet, type RunSource } from "./sources.js";
import type { OptimizeEvent, OptimizeResult, OptimizeUsage, PoolCandidate, StepRecord, StopReason } from "./types.js";

/** What the loop needs from a variant. */
export interface LoopInput {
  readonly options: OptimizeOptionsBase<unknown>;
  readonly source: RunSource;
  readonly scorer: CandidateScorer;
  readonly metricName: string;
  readonly loss: ((output: Variable, sample: ScoredSample<unknown>) => Variable | PromiseLike<Variable>) | undefined;
  /** Receives the metered optimizer engine once it exists (a variant whose scorer calls a judge meters it this way). */
  readonly onEngine?: (engine: MeteredEngine) => void;
  readonly parameters: {
    readonly given: boolean;
    get(): ParameterSet;
    set(p: ParameterSet): void;
    /** Parameters read by the runs so far. */
    seen(): Variable[];
    /** Runs until the named parameters were read; returns every parameter seen. */
    discover(names: readonly string[]): Promise<Variable[]>;
  };
}

/** Runs the loop for one variant's sources; see optimize() for the semantics. */
export async function runLoop(input: LoopInput): Promise<OptimizeResult> {
  const { options, source, scorer } = input;
  const total = options.steps ?? 10;
  const batchSize = Math.min(options.batchSize ?? 4, options.trainset.length);
  const selection = options.selection ?? "greedy";
  const gate = options.gate ?? true;
  const seed = options.seed ?? 0;
  const perfectScore = options.perfectScore ?? 1;
  const concurrency = options.concurrency ?? 8;
  const emit = (event: OptimizeEvent) => options.onEvent?.(event);
  const fingerprint: Omit<Fingerprint, "parameters"> = {
    dataset: datasetHash(options.trainset, options.valset),
    trainSize: options.trainset.length,
    valSize: options.valset.length,
    metric: input.metricName,
    seed,
    selection,
    batchSize,
    gate,
    guard: JSON.stringify(options.guard ?? {}),
    loss: input.loss ? "custom" : "metric",
    perfectScore,
  };
  const checkpoint: Checkpoint | undefined = options.checkpointDir === undefined ? undefined : openCheckpoint(options.checkpointDir, fingerprint);
  try {
    const resumed = checkpoint?.resumed;
    let baseline: PoolCandidate;
    const steps: StepRecord[] = [...(resumed?.steps ?? [])];
    const pool: PoolCandidate[] = [];
    let current: PoolCandidate;
    if (resumed) {
      if (!input.parameters.given) {
        const found = await input.parameters.discover(resumed.fingerprint.parameters);
        input.parameters.set(parameterSet(found.filter((v) => resumed.fingerprint.parameters.includes(v.id ?? v.role))));
      }
      checkFingerprint(resumed.fingerprint, { parameters: input.parameters.get().names }, checkpoint!.dir);
      baseline = resumed.pool[0]!;
      pool.push(...resumed.pool);
      current = pool.find((c) => c.id === resumed.current.candidate) ?? { id: resumed.current.candidate, step: 0, ...resumed.current };
    } else {
      const scores = (await scorer.validate(input.parameters.get().read())).map((s) => s.score);
      if (!input.parameters.given) input.parameters.set(parameterSet(input.parameters.seen()));
      const names = input.parameters.get().names;
      if (names.length === 0) {
        throw new InvalidArgumentError(
          "optimize() found no prompts to optimize: the agent's runs read no param(). Declare prompts with param(name, text, { role }) and read .value inside the agent, or pass { parameters }.",
          { subject: "parameters" },
        );
      }
      const read = input.parameters.seen();
      if (input.parameters.given && !input.parameters.get().names.some((n) => read.some((v) => (v.id ?? v.role) === n))) {
        // feedback reaches only what the runs read: optimizing none of it would spend every step on nothing
        throw new InvalidArgumentError(
          `optimize(): none of the given parameters (${names.join(", ")}) was read by the agent's validation runs, so no feedback can reach them; the runs read: ${read.map((v) => v.id ?? v.role).join(", ") || "no param()"}. Pass those, or leave parameters out.`,
          { subject: "parameters" },
        );
      }
      if (checkpoint?.header) checkFingerprint(checkpoint.header, { parameters: names }, checkpoint.dir);
      const values = input.parameters.get().read();
      baseline = { id: 0, step: 0, values, scores, score: meanScore(scores) };
      pool.push(baseline);
      current = baseline;
      if (checkpoint && !checkpoint.header) checkpoint.write({ type: "header", version: 1, fingerprint: { ...fingerprint, parameters: names } });
      checkpoint?.write({ type: "baseline", values, scores, score: baseline.score });
    }
    const params = input.parameters.get();
    const spentBefore = sumUsage(steps);
    const engine = optimizerEngine({
      engine: options.engine,
      spent: spentBefore,
      ...(options.budget ? { budget: options.budget } : {}),
      ...(options.prices ? { prices: options.prices } : {}),
      ...(checkpoint ? { cacheDir: checkpoint.cacheDir } : {}),
    });
    input.onEngine?.(engine);
    const guard = overfitGuard(options.trainset, options.guard);

    let stopReason: StopReason = "steps";
    let stopMessage: string | undefined;
    let unattributed: OptimizeUsage = usageOf(engine.usage);
    {
      // one traced run shows what a backward pass costs; nothing to estimate when every step is already decided
      const probe = steps.length < total ? await source.samples([0], current.values) : [];
      emit({
        type: "start",
        steps: total,
        batchSize,
        selection,
        trainSize: options.trainset.length,
        valSize: options.valset.length,
        parameters: params.names,
        baseline: baseline.score,
        resumedSteps: steps.length,
        estimate: estimateSpend({
          graph: probe[0]?.graph,
          steps: Math.max(0, total - steps.length),
          batchSize,
          failureRate: baseline.scores.filter((s) => s < perfectScore).length / Math.max(1, baseline.scores.length),
          parameters: [...params.variables.values()],
        }),
      });
    }
    for (let step = steps.length + 1; step <= total; step++) {
      if (options.signal?.aborted) {
        stopReason = "aborted";
        stopMessage = `stopped by the signal before step ${step} (${steps.length} step${steps.length === 1 ? "" : "s"} decided); the same checkpointDir resumes`;
        checkpoint?.write({ type: "stop", reason: stopReason, message: stopMessage });
        break;
      }
      const parentId = selection === "pareto" ? chooseParent(pool, seed, step) : current.id;
      const parent = selection === "pareto" ? pool.find((c) => c.id === parentId)! : current;
      const batch = minibatch(step, batchSize, options.trainset.length, seed);
      checkpoint?.write({ type: "step-start", step, batch, parent: parent.id });
      const before = usageOf(engine.usage);
      let decision;
      try {
        decision = await runStep({
          step,
          batch,
          parent,
          bar: bestCandidate(pool).score,
          selection,
          gate,
          source,
          scorer,
          parameters: params,
          engine,
          guard,
          perfectScore,
          concurrency,
          ...(options.constraints ? { constraints: options.constraints } : {}),
          ...(options.update ? { update: options.update } : {}),
          ...(input.loss ? { loss: input.loss } : {}),
          emit,
          onProposals: (proposals) => checkpoint?.write({ type: "proposals", step, proposals }),
        });
      } catch (error) {
        if (!isBudgetError(error)) {
          // the parameters may hold a candidate's values: leave them at the best decided ones
          params.apply(bestCandidate(pool).values);
          throw error;
        }
        stopReason = "budget";
        stopMessage = error instanceof Error ? error.message : String(error);
        unattributed = usageDelta(usageOf(engine.usage), before);
        checkpoint?.write({ type: "stop", reason: stopReason, message: stopMessage });
        break;
      }
      const usage = usageDelta(usageOf(engine.usage), before);
      let added: PoolCandidate | undefined;
      if (decision.accepted && decision.candidate) {
        added = { id: pool.length, parent: parent.id, step, ...decision.candidate };
        pool.push(added);
        if (selection === "greedy") current = added;
      }
      const best = bestCandidate(pool);
      const record: StepRecord = {
        step,
        accepted: decision.accepted,
        score: selection === "pareto" ? best.score : current.score,
        ...(decision.candidate ? { candidateScore: decision.candidate.score } : {}),
        reason: decision.reason,
        batch,
        batchScores: decision.batchScores,
        proposals: decision.proposals,
        parent: parent.id,
        ...(added ? { candidate: added.id } : {}),
        usage,
      };
      checkpoint?.write({ type: "decision", record, current: { candidate: current.id, values: current.values, scores: current.scores, score: current.score }, ...(added ? { added } : {}) });
      steps.push(record);
      emit({ type: "step", step, accepted: record.accepted, score: record.score, best: best.score, reason: record.reason, usage });
    }
    if (stopReason !== "budget") unattributed = { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0 };
    const best = bestCandidate(pool);
    params.apply(best.values);
    const usage = sumUsage([...steps, { usage: unattributed }]);
    emit({ type: "end", stopReason, baseline: baseline.score, best: best.score, steps: steps.length, usage });
    return {
      baseline: { score: baseline.score, scores: baseline.scores, values: baseline.values },
      best: { score: best.score, scores: best.scores, values: best.values, candidate: best.id },
      steps,
      usage,
      stopReason,
      ...(stopMessage === undefined ? {} : { stopMessage }),
      pool,
      resumedSteps: resumed?.steps.length ?? 0,
    };
  } finally {
    checkpoint?.close();
  }
}

function isBudgetError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (BudgetExceededError.isInstance(e)) return true;
  }
  return false;
}

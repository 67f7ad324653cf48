/**
 * @module optim/optimize/optimize
 * optimize(): prompt optimization over many runs — minibatches, backward through each run's traced graph, TGD
 * proposals, a validation gate (greedy) or a per-example Pareto pool, an fsynced journal to resume from, and a hard
 * budget on the optimizer's own spend. The loop itself sees only a {@link RunSource}, a {@link CandidateScorer} and
 * the parameters (optim/optimize/loop), so a variant that reads stored traces instead of running the agent can reuse it.
 */
import type { Variable } from "../../core/variable.js";
import { agentSource } from "./agent-source.js";
import { runLoop } from "./loop.js";
import { checkOptions, isTracesOptions, type OptimizeOptions, type ScoredSample } from "./options.js";
import { optimizeTraces } from "./optimize-traces.js";
import { parameterSet } from "./sources.js";
import type { OptimizeResult } from "./types.js";

/**
 * Optimizes the prompts an agent reads over a dataset. Each step samples a seeded minibatch of `trainset`, runs the
 * agent on it concurrently under trace(), scores each output with `metric`, turns each imperfect sample's score and
 * feedback into a loss on its run's output, sends it back through the traced graph to the parameters the run used,
 * proposes new values (one TGD update per parameter that got feedback, feedback reduced when long), rejects
 * proposals that copy training data, and keeps the candidate only if it is not worse on `valset` (greedy) — or
 * keeps a Pareto pool (`selection: "pareto"`). The parameters are left at the best prompts found.
 *
 * With `checkpointDir`, every step is journaled (fsynced) and the optimizer's calls are cached on disk; calling it
 * again with the same directory continues where it stopped. `budget` is a hard cap on the optimizer's engine;
 * reaching it ends the run with the best prompts so far and `stopReason: "budget"`.
 *
 * @throws InvalidArgumentError for bad options (naming the option), NoEngineError without an engine,
 *   CheckpointMismatchError when `checkpointDir` was written with other options, CheckpointError when it cannot be
 *   read or written.
 *
 * @example
 * const result = await optimize({
 *   agent: (example) => solve(example.question),
 *   trainset, valset,
 *   metric: (output, example) => ({ score: output === example.answer ? 1 : 0, feedback: `Expected ${example.answer}.` }),
 *   engine, steps: 10, batchSize: 4, checkpointDir: ".tracegrad/runs/exp1",
 *   onEvent: (e) => e.type === "step" && console.log(e.step, e.accepted, e.score),
 * });
 * console.log(result.baseline.score, "→", result.best.score, result.best.values);
 */
export async function optimize<E, O>(options: OptimizeOptions<E, O>): Promise<OptimizeResult> {
  checkOptions(options);
  if (isTracesOptions(options)) return optimizeTraces(options);
  let parameters = parameterSet(options.parameters ?? []);
  const source = agentSource(options, () => parameters);
  return runLoop({
    options,
    source,
    scorer: source,
    metricName: options.metricName ?? (options.metric.name || "metric"),
    loss: options.loss as ((output: Variable, sample: ScoredSample<unknown>) => Variable | PromiseLike<Variable>) | undefined,
    parameters: {
      given: options.parameters !== undefined,
      get: () => parameters,
      set: (p) => (parameters = p),
      seen: () => [...source.seen().values()],
      discover: async (names) => [...(await source.discover(names)).values()],
    },
  });
}


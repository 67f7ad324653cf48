/**
 * @module optim/optimize/base-options
 * The options every variant of optimize() shares (the agent variant and the traces variant build on them).
 */
import type { Variable } from "../../core/variable.js";
import type { EngineLike } from "../../engine/engine-like.js";
import type { ModelPrice, UsageBudget } from "../../engine/usage.js";
import type { BuildGraphOptions } from "../../trace/build-graph.js";
import type { UpdateMode } from "../tgd.js";
import type { OptimizeEvent } from "./types.js";

/** The overfitting guard's settings (`guard: false` turns it off). */
export interface GuardOptions {
  /** A training answer at least this long (characters) found in a proposal, and not in the value before, rejects it. Default 4. */
  readonly minAnswerChars?: number;
  /** A run of this many consecutive words of a training input found in a proposal rejects it. Default 8. */
  readonly minSpanWords?: number;
}

/** Options shared by every variant of optimize(). */
export interface OptimizeOptionsBase<E> {
  /** Examples the minibatches are drawn from (any shape). */
  readonly trainset: readonly E[];
  /** Examples every candidate is scored on (any shape). Nothing here is ever a test set. */
  readonly valset: readonly E[];
  /** The prompts to optimize. Default: every `param()` the traced runs read. */
  readonly parameters?: readonly Variable[];
  /** The engine for backward, reduce and the updates (the agent keeps its own models). */
  readonly engine: EngineLike;
  /** How many steps. Default 10. On resume, the total (decided steps count). */
  readonly steps?: number;
  /** Minibatch size. Default 4 (capped at the trainset's size). */
  readonly batchSize?: number;
  /** "greedy" (default): one current candidate, gated on the valset. "pareto": a pool with a per-example front. */
  readonly selection?: "greedy" | "pareto";
  /** Validation gate. Default true. `false` accepts every candidate. */
  readonly gate?: boolean;
  /** A directory for the journal and the optimizer's call cache; an existing journal is resumed. */
  readonly checkpointDir?: string;
  /** A hard cap on the optimizer's own spend (resumed sessions' spend counts). Hitting it ends the run cleanly. */
  readonly budget?: UsageBudget;
  /** USD per 1M tokens by model name, for `usage.cost` and `budget.maxCost`. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Receives start, progress, step and end events. A throwing handler stops optimize() with its error. */
  readonly onEvent?: (event: OptimizeEvent) => void;
  /** Seed of the minibatch sampling and the Pareto parent choice. Default 0. */
  readonly seed?: number;
  /** The metric's name, checked on resume. Default: the metric function's name. */
  readonly metricName?: string;
  /** The score of a perfect sample (it sends no feedback). Default 1. */
  readonly perfectScore?: number;
  /** How many agent runs and engine calls at once. Default 8. */
  readonly concurrency?: number;
  /**
   * Stops the run between steps once aborted: the step in flight is finished and journaled, the result is returned
   * with `stopReason: "aborted"` (the parameters at the best prompts so far), and the same `checkpointDir` resumes.
   */
  readonly signal?: AbortSignal;
  /** How the optimizer is asked for new values (TGD's `update`): `"reduced"` (default), `"textgrad"` or `"joint"` (one call for all prompts). */
  readonly update?: UpdateMode;
  /** Natural-language constraints every proposed value must follow. */
  readonly constraints?: readonly string[];
  /** Drop edges from each run's graph before backward (e.g. to cut the feedback path on purpose). */
  readonly dropEdge?: BuildGraphOptions["dropEdge"];
  /** The overfitting guard; `false` turns it off. */
  readonly guard?: GuardOptions | false;
}

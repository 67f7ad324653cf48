/**
 * @module optim/optimize/types
 * The shapes optimize() hands back and reports: the result, one record per step with its proposals (for the gradient
 * report), the candidate pool, and the events. Plain data only, so every record can also be written to the journal.
 */
import type { UsageReport } from "../../engine/usage.js";
import type { FeedbackPoint } from "../../prompts/feedback-points.js";

/** Parameter values by parameter name (the `param()` name), e.g. `{ "solver.system": "Answer the question." }`. */
export type ParameterValues = Readonly<Record<string, string>>;

/** Calls (cached ones included), tokens and cost (USD, from `prices`) of the optimizer's engine; the agent's own models are not counted. */
export type OptimizeUsage = Pick<UsageReport, "calls" | "cachedCalls" | "inputTokens" | "outputTokens" | "totalTokens" | "cost">;

/** One scored example: its index in its set and its score (its output and the metric's words when kept). */
export interface ExampleScore {
  readonly index: number;
  readonly score: number;
  readonly feedback?: string;
  /** Set when the agent threw on this example (it then scores 0 and sends no feedback). */
  readonly error?: string;
}

/** Why a proposal was or was not used. */
export type ProposalStatus = "accepted" | "rejected";

/** What happened to one parameter in one step: the feedback it got, what the optimizer proposed, and the verdict. */
export interface ProposalRecord {
  /** The parameter's name. */
  readonly parameter: string;
  readonly before: string;
  /** The proposed value (equal to `before` when the optimizer proposed no change). */
  readonly after: string;
  /** Every piece of feedback the parameter received this step, in order (one per failing sample and path). */
  readonly feedback: readonly string[];
  /** How the feedback was shown to the optimizer: the points and the pieces each came from (see FeedbackDigest). */
  readonly points?: readonly FeedbackPoint[];
  readonly status: ProposalStatus;
  /** Why it was rejected (or accepted), in words: "validation score 0.5 < best 0.6", "copies training example 3 …". */
  readonly reason: string;
  /** Validation score before (the parent's) and after (the candidate's), when the candidate was validated. */
  readonly scoreBefore?: number;
  readonly scoreAfter?: number;
}

/** One step of optimize(), as returned in `result.steps` and written to the journal. */
export interface StepRecord {
  /** 1-based. */
  readonly step: number;
  /** True when the candidate was kept (greedy: it became the current prompts; pareto: it joined the pool). */
  readonly accepted: boolean;
  /**
   * Validation score the loop continues from after this step: greedy, the current candidate's (with the gate, the
   * best so far); pareto, the best in the pool.
   */
  readonly score: number;
  /** Validation score of this step's candidate, when it was validated. */
  readonly candidateScore?: number;
  /** Why the step ended as it did, in words. */
  readonly reason: string;
  /** Indices into the trainset of the step's minibatch. */
  readonly batch: readonly number[];
  /** Minibatch scores of the parent (and of the child, when it was run on the minibatch: pareto). */
  readonly batchScores: { readonly parent: readonly number[]; readonly child?: readonly number[] };
  /** One record per parameter that received feedback. */
  readonly proposals: readonly ProposalRecord[];
  /** Pool id of the parent candidate (0 = the starting prompts) and of the child when it joined the pool. */
  readonly parent: number;
  readonly candidate?: number;
  /** What the optimizer's engine spent in this step. */
  readonly usage: OptimizeUsage;
}

/** One candidate of the pool: its prompts, where it came from and its per-validation-example scores. */
export interface PoolCandidate {
  /** 0 is the starting prompts; then in order of acceptance. */
  readonly id: number;
  /** The candidate it was derived from (undefined for the starting prompts). */
  readonly parent?: number;
  /** The step that produced it (0 for the starting prompts). */
  readonly step: number;
  readonly values: ParameterValues;
  /** Mean validation score. */
  readonly score: number;
  /** Per validation example, in valset order. */
  readonly scores: readonly number[];
}

/** Why the loop stopped: every step ran, the budget ran out, or `signal` was aborted. */
export type StopReason = "steps" | "budget" | "aborted";

/** A scored set of prompts. */
export interface ScoredValues {
  /** Mean validation score. */
  readonly score: number;
  /** Per validation example, in valset order. */
  readonly scores: readonly number[];
  readonly values: ParameterValues;
}

/** The outcome of optimize(). */
export interface OptimizeResult {
  /** Validation score of the starting prompts. */
  readonly baseline: ScoredValues;
  /** The returned prompts (the parameters are left at these values) and their validation score. */
  readonly best: ScoredValues & { readonly candidate: number };
  /** One record per decided step, resumed ones included, in order. */
  readonly steps: readonly StepRecord[];
  /** The optimizer engine's spend over all steps (resumed sessions included, as journaled). */
  readonly usage: OptimizeUsage;
  readonly stopReason: StopReason;
  /** The message of the budget error when `stopReason` is "budget". */
  readonly stopMessage?: string;
  /** Every accepted candidate with its lineage (`parent`) and per-example validation scores. */
  readonly pool: readonly PoolCandidate[];
  /** How many steps came from an earlier session's journal. */
  readonly resumedSteps: number;
  /** optimize({ traces }) only: the versions it published to the registry (none when no candidate beat the recorded runs). */
  readonly published?: readonly PublishedPrompt[];
}

/** A prompt version optimize({ traces }) published, with the label it was given. */
export interface PublishedPrompt {
  readonly name: string;
  readonly version: number;
  readonly label: string;
  /** The version it was derived from (the one under the starting label). */
  readonly parent: number;
}

/** An estimate of the optimizer's spend, given before it spends anything. */
export interface SpendEstimate {
  readonly calls: number;
  readonly tokens: number;
  readonly perStep: { readonly calls: number; readonly tokens: number };
  /** How it was computed, in words. */
  readonly basis: string;
}

/** Events of optimize(), in order: one start, progress and step events, one end. */
export type OptimizeEvent =
  | {
      readonly type: "start";
      readonly steps: number;
      readonly batchSize: number;
      readonly selection: "greedy" | "pareto";
      readonly trainSize: number;
      readonly valSize: number;
      readonly parameters: readonly string[];
      readonly baseline: number;
      readonly resumedSteps: number;
      readonly estimate: SpendEstimate;
    }
  | {
      readonly type: "progress";
      readonly step: number;
      readonly phase: "minibatch" | "backward" | "propose" | "minibatch-check" | "validate";
      readonly message: string;
    }
  | {
      readonly type: "step";
      readonly step: number;
      readonly accepted: boolean;
      readonly score: number;
      readonly best: number;
      readonly reason: string;
      readonly usage: OptimizeUsage;
    }
  | {
      readonly type: "end";
      readonly stopReason: StopReason;
      readonly baseline: number;
      readonly best: number;
      readonly steps: number;
      readonly usage: OptimizeUsage;
    };

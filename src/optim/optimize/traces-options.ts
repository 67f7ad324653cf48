/**
 * @module optim/optimize/traces-options
 * optimize()'s second variant: prompts improved from stored production traces and their recorded feedback, with no
 * trainset, valset or metric — the feedback is the signal, and candidates are validated by counterfactual replay
 * (`agentEngine`) or by re-running the agent on the recorded inputs (`agent`). Its options, checked with zod.
 */
import { z } from "zod";
import type { EngineLike } from "../../engine/engine-like.js";
import type { PromptRegistry } from "../../registry/prompt-registry.js";
import type { FeedbackRecord } from "../../store/feedback-record.js";
import type { StoredTrace } from "../../store/stored-trace.js";
import type { OptimizeOptionsBase } from "./base-options.js";
import { engineLike, fn, loopOptionFields } from "./base-schema.js";

/** Options of optimize() over stored traces (told apart from the agent variant by `traces`). */
export interface TracesOptimizeOptions
  extends Omit<OptimizeOptionsBase<never>, "trainset" | "valset" | "parameters" | "metricName" | "dropEdge"> {
  /** Stored runs, e.g. from `readTraces("traces/")`. Runs without feedback are not used. */
  readonly traces: readonly StoredTrace[];
  /** Feedback on those runs or their spans, e.g. from `readFeedback("feedback.jsonl")`. */
  readonly feedback: readonly FeedbackRecord[];
  /** Where the prompts live: the starting texts are read from it, accepted versions are published to it. */
  readonly registry: PromptRegistry;
  /**
   * The agent's model: re-runs, on their recorded inputs, the model calls that read a changed prompt (counterfactual
   * replay; no access to the agent needed). Give this or `agent`.
   */
  readonly agentEngine?: EngineLike;
  /**
   * Re-runs a whole run on its recorded input (the text of the run's input node); it must read the registry prompts
   * (registry.param()) so the candidate's texts reach it. Give this or `agentEngine`.
   */
  readonly agent?: (input: string) => unknown;
  /** The pairwise judge of validation. Default: `engine`. */
  readonly judge?: EngineLike;
  /** Which registry prompts to improve. Default: every registry prompt the runs with feedback used. */
  readonly prompts?: readonly string[];
  /** Only feedback records with this `name` are used (e.g. "user_thumbs"). Default: all. */
  readonly metric?: string;
  /** The label the starting texts are read from. Default "production". */
  readonly label?: string;
  /** The label accepted versions are published under. Default "candidate". */
  readonly publishLabel?: string;
  /** Share of the runs with feedback held out for validation. Default 0.5 (at least one run each side). */
  readonly valFraction?: number;
  /** Receives warnings (feedback on unknown traces or spans, unreadable judge replies). Default: process.emitWarning. */
  readonly onWarning?: (warning: string) => void;
}

/** The traces variant's schema (strict: a misspelt option is an error naming it). */
export const TracesOptionsSchema = z.strictObject({
  traces: z.array(z.custom<StoredTrace>((v) => typeof v === "object" && v !== null && typeof (v as StoredTrace).traceId === "string", { message: "must be stored traces ({ traceId, spans }, from readTraces())" })),
  feedback: z.array(z.custom<FeedbackRecord>((v) => typeof v === "object" && v !== null && typeof (v as FeedbackRecord).traceId === "string", { message: "must be feedback records (from readFeedback())" })),
  registry: z.custom<PromptRegistry>((v) => typeof v === "object" && v !== null && typeof (v as PromptRegistry).publish === "function" && typeof (v as PromptRegistry).get === "function", {
    message: "must be a prompt registry (promptRegistry({ dir }))",
  }),
  engine: engineLike("backward, updates and, by default, the judge"),
  agentEngine: engineLike("the agent's model, for counterfactual replay").optional(),
  agent: fn("(input) => output").optional(),
  judge: engineLike("the pairwise judge").optional(),
  prompts: z.array(z.string().min(1)).min(1).optional(),
  metric: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
  publishLabel: z.string().min(1).optional(),
  valFraction: z.number().gt(0).lt(1).optional(),
  onWarning: fn("(warning) => void").optional(),
  ...loopOptionFields,
});

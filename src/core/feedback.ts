/**
 * @module core/feedback
 * A feedback record ("textual gradient") and the backward-rule contract that functions attach to their outputs.
 */
import type { Engine } from "../engine/types.js";
import type { FeedbackItem } from "../prompts/feedback-block.js";
import type { Variable } from "./variable.js";

/** Where a piece of feedback came from: the conversation the variable took part in and how its output was used. */
export interface FeedbackContext {
  /** What produced the feedback: an LLM call, a string function, a sum/aggregate pass-through, or a summary. */
  readonly kind: "llm" | "function" | "combine" | "summary";
  /** The rendered exchange the variable took part in (system prompt, input, output), as the backward engine saw it. */
  readonly conversation: string;
  /** The role of the output the variable fed into ("used as …"). */
  readonly usedAs: string;
}

/** One piece of feedback on a variable, in the order it was delivered. */
export interface Gradient {
  readonly text: string;
  /** Role of the variable whose backward rule sent this feedback. */
  readonly from: string;
  readonly context?: FeedbackContext;
}

/** What a backward rule receives. */
export interface BackwardContext {
  /** The variable whose feedback is being sent backwards (the rule's own output). */
  readonly output: Variable;
  /** The predecessors of `output` that require gradients, deduplicated, in predecessor order. */
  readonly targets: readonly Variable[];
  /**
   * "evaluation": `output` is the loss itself (or sits under a sum/aggregate root), so the rule criticises its inputs
   * against the evaluation. "chain": `output` has downstream feedback to pass on.
   */
  readonly mode: "evaluation" | "chain";
  /** The backward engine, already wrapped with the pass's concurrency limit. */
  readonly engine: Engine;
}

/** One delivery from a backward rule: feedback for a target, or "evaluate this target as a loss". */
export type Delivery =
  | { readonly target: Variable; readonly gradient: Gradient }
  | { readonly target: Variable; readonly evaluation: true };

/**
 * How a function sends feedback to its inputs. Recorded on the output at forward time, next to the forward rule,
 * and holding the forward-time texts it needs. The scheduler commits deliveries; rules never mutate variables.
 */
export interface BackwardRule {
  /** A readable name, e.g. "LLMCall.backward". */
  readonly name: string;
  run(context: BackwardContext): Promise<readonly Delivery[]>;
}

/** A gradient as the optimizer and reduce prompts show it: its text and sender, and its exchange when it has one. */
export function toFeedbackItem(gradient: Gradient): FeedbackItem {
  const { text, from, context } = gradient;
  return context ? { text, from, conversation: context.conversation, usedAs: context.usedAs } : { text, from };
}

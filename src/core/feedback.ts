/**
 * @module core/feedback
 * A feedback record ("textual gradient"), the node interface the backward scheduler works on, and the backward-rule
 * contract that functions attach to their outputs. `Variable` implements {@link GradNode}; nothing here imports it,
 * so the scheduler and the rules depend on this small interface and never on the class.
 */
import type { Engine } from "../engine/types.js";
import type { FeedbackItem } from "../prompts/feedback-block.js";

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

/**
 * A node of a textual computation graph as the backward scheduler and the backward rules see it. `Variable` is the
 * implementation; the scheduler only reads these fields and records feedback through `addGradient` (and, to undo a
 * failed pass, `zeroGrad`).
 */
export interface GradNode {
  /** The current text. */
  readonly value: string;
  /** What the text is; shown to the backward engine. */
  readonly role: string;
  /** A stable identifier, used in error messages. */
  readonly id: string | undefined;
  /** Whether feedback should reach this node; the pass only visits nodes that require gradients. */
  readonly requiresGrad: boolean;
  /** The nodes this one was computed from, in order. */
  readonly predecessors: readonly GradNode[];
  /** How feedback on this node is sent to its predecessors. */
  readonly backwardRule: BackwardRule | undefined;
  /** Feedback received so far, in delivery order. */
  readonly gradients: readonly Gradient[];
  /** Appends one piece of feedback. */
  addGradient(gradient: Gradient): void;
  /** Forgets all feedback. */
  zeroGrad(): void;
}

/**
 * How a backward rule asks for feedback on a node's trainable inputs. `"per-node"` (default): one call for all of them,
 * one reply section per input (a single input keeps TextGrad's prompt). `"per-input"`: TextGrad's one call per input.
 */
export type FeedbackMode = "per-node" | "per-input";

/** Every {@link FeedbackMode}, for validating options given at run time. */
export const FEEDBACK_MODES: readonly FeedbackMode[] = ["per-node", "per-input"];

/** What a backward rule receives. */
export interface BackwardContext {
  /** The node whose feedback is being sent backwards (the rule's own output). */
  readonly output: GradNode;
  /** The predecessors of `output` that require gradients, deduplicated, in predecessor order. */
  readonly targets: readonly GradNode[];
  /**
   * "evaluation": `output` is the loss itself (or sits under a sum/aggregate root), so the rule criticises its inputs
   * against the evaluation. "chain": `output` has downstream feedback to pass on.
   */
  readonly mode: "evaluation" | "chain";
  /** The backward engine, already wrapped with the pass's concurrency limit. */
  readonly engine: Engine;
  /** How to ask for feedback on several targets. Absent means `"per-node"`. */
  readonly feedback?: FeedbackMode;
}

/** One delivery from a backward rule: feedback for a target, or "evaluate this target as a loss". */
export type Delivery =
  | { readonly target: GradNode; readonly gradient: Gradient }
  | { readonly target: GradNode; readonly evaluation: true };

/**
 * How a function sends feedback to its inputs. Recorded on the output at forward time, next to the forward rule,
 * and holding the forward-time texts it needs. The scheduler commits deliveries; rules never mutate variables.
 * A rule that fails makes the whole pass fail, and the scheduler then takes back every delivery of the pass.
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

/**
 * The advice that ends the message of a failed backward call (pass it to `callEngine` in a rule): the scheduler
 * takes back all feedback of a failed pass, so calling backward() again delivers each piece once.
 */
export const BACKWARD_RETRY_ADVICE = "No feedback was kept; fix the engine and call backward() again.";

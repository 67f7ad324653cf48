/**
 * @module core/functions/ask-feedback
 * The part shared by the LLM-call and string-function backward rules: ask the backward engine for feedback on the
 * node's trainable inputs and turn the replies into deliveries. By default one call per node (see
 * ask-node-feedback); with `feedback: "per-input"`, TextGrad's one call per input. Either way a reply that says the
 * input needs no change (`NO_CHANGE`, "No changes needed.", empty) delivers nothing, so no update is spent on it.
 */
import type { BackwardContext, Delivery } from "../feedback.js";
import { askInputFeedback } from "./ask-input-feedback.js";
import { askNodeFeedback } from "./ask-node-feedback.js";

/**
 * Asks the backward engine for feedback on every target of `ctx` about `exchange` (already rendered).
 * If a call fails, the rule waits for its siblings (so no call outlives backward()) and then throws the first failure.
 */
export async function askFeedback(ctx: BackwardContext, exchangeKind: "llm" | "function", exchange: string): Promise<Delivery[]> {
  const feedback = ctx.mode === "chain" ? ctx.output.gradients.map((g) => g.text) : [];
  if (ctx.feedback !== "per-input" && ctx.targets.length > 1) return askNodeFeedback(ctx, exchangeKind, exchange, feedback);
  return askInputFeedback(ctx, ctx.targets, exchangeKind, exchange, feedback);
}

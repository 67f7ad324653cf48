/**
 * @module core/functions/ask-input-feedback
 * TextGrad's backward call: one request per trainable input, each showing the exchange, the objective and that
 * input's full text. The per-input mode uses it for every input; the per-node mode falls back to it for an input whose
 * section the model left out twice.
 */
import { renderBackwardPrompt } from "../../prompts/backward-prompt.js";
import { renderBackwardSystemPrompt } from "../../prompts/backward-system.js";
import { callEngine } from "../../engine/call-engine.js";
import { BACKWARD_RETRY_ADVICE, type BackwardContext, type Delivery, type GradNode } from "../feedback.js";
import { settleAll } from "../settle-all.js";
import { feedbackDelivery } from "./feedback-delivery.js";

/**
 * Asks about each of `targets` in its own call, concurrently (the engine in `ctx` is already limited); a reply that
 * says no change is needed delivers nothing. If a call fails, its siblings are waited for, then the failure is thrown.
 */
export async function askInputFeedback(
  ctx: BackwardContext,
  targets: readonly GradNode[],
  exchangeKind: "llm" | "function",
  exchange: string,
  feedback: readonly string[],
): Promise<Delivery[]> {
  const system = renderBackwardSystemPrompt(ctx.feedback === "per-input" ? "per-input" : "per-node");
  const deliveries = await settleAll(
    targets.map(async (target): Promise<Delivery | undefined> => {
      const prompt = renderBackwardPrompt({ role: target.role, exchangeKind, exchange, mode: ctx.mode, usedAs: ctx.output.role, feedback, value: target.value });
      const what = `backward through "${ctx.output.id ?? ctx.output.role}" for "${target.id ?? target.role}"`;
      const text = (await callEngine(ctx.engine, { system, prompt }, what, target.id ?? target.role, BACKWARD_RETRY_ADVICE)).trim();
      return feedbackDelivery(ctx, target, exchangeKind, exchange, text);
    }),
  );
  return deliveries.filter((d): d is Delivery => d !== undefined);
}

/**
 * @module core/functions/ask-feedback
 * The part shared by the LLM-call and string-function backward rules: one backward-engine call per trainable input,
 * run concurrently (the engine in the context is already limited), each reply delivered as that input's feedback.
 */
import { renderBackwardPrompt } from "../../prompts/backward-prompt.js";
import { renderBackwardSystemPrompt } from "../../prompts/backward-system.js";
import { callEngine } from "../../engine/call-engine.js";
import { BACKWARD_RETRY_ADVICE, type BackwardContext, type Delivery } from "../feedback.js";
import { settleAll } from "../settle-all.js";

/**
 * Asks the backward engine for feedback on every target of `ctx` about `exchange` (already rendered).
 * An empty reply means "no feedback" and delivers nothing. If a call fails, the rule waits for its siblings (so no
 * call outlives backward()) and then throws the first failure.
 */
export async function askFeedback(ctx: BackwardContext, exchangeKind: "llm" | "function", exchange: string): Promise<Delivery[]> {
  const system = renderBackwardSystemPrompt();
  const feedback = ctx.mode === "chain" ? ctx.output.gradients.map((g) => g.text) : [];
  const deliveries = await settleAll(
    ctx.targets.map(async (target): Promise<Delivery | undefined> => {
      const prompt = renderBackwardPrompt({
        role: target.role,
        exchangeKind,
        exchange,
        mode: ctx.mode,
        usedAs: ctx.output.role,
        feedback,
        value: target.value,
      });
      const what = `backward through "${ctx.output.id ?? ctx.output.role}" for "${target.id ?? target.role}"`;
      const text = (await callEngine(ctx.engine, { system, prompt }, what, target.id ?? target.role, BACKWARD_RETRY_ADVICE)).trim();
      if (text === "") return undefined;
      return {
        target,
        gradient: { text, from: ctx.output.role, context: { kind: exchangeKind, conversation: exchange, usedAs: ctx.output.role } },
      };
    }),
  );
  return deliveries.filter((d): d is Delivery => d !== undefined);
}

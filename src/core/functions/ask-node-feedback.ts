/**
 * @module core/functions/ask-node-feedback
 * One backward call for all the trainable inputs of a node: the exchange and the objective are sent once, and the
 * reply holds one numbered section per input (prompts/feedback-sections). An input whose section is missing gets one
 * follow-up that asks only for the missing sections. An input still missing after that is asked about on its own, as
 * TextGrad's per-input mode does: a model that ignores the section format costs calls, but never loses feedback.
 */
import { renderBackwardSystemPrompt } from "../../prompts/backward-system.js";
import { renderMissingSectionsPrompt, renderNodeBackwardPrompt } from "../../prompts/backward-node-prompt.js";
import { parseFeedbackSections } from "../../prompts/feedback-sections.js";
import { callEngine } from "../../engine/call-engine.js";
import { BACKWARD_RETRY_ADVICE, type BackwardContext, type Delivery } from "../feedback.js";
import { askInputFeedback } from "./ask-input-feedback.js";
import { feedbackDelivery } from "./feedback-delivery.js";

/**
 * Asks once for feedback on every target of `ctx` (at most twice, when the first reply misses sections) and returns
 * one delivery per target whose section asks for a change, in target order.
 */
export async function askNodeFeedback(
  ctx: BackwardContext,
  exchangeKind: "llm" | "function",
  exchange: string,
  feedback: readonly string[],
): Promise<Delivery[]> {
  const system = renderBackwardSystemPrompt("per-node");
  const variables = ctx.targets.map((t) => ({ role: t.role, value: t.value }));
  const prompt = renderNodeBackwardPrompt({ variables, exchangeKind, exchange, mode: ctx.mode, usedAs: ctx.output.role, feedback });
  const name = ctx.output.id ?? ctx.output.role;
  const what = `backward through "${name}" for its ${ctx.targets.length} trainable inputs`;
  const reply = await callEngine(ctx.engine, { system, prompt }, what, name, BACKWARD_RETRY_ADVICE);
  const sections = parseFeedbackSections(reply, ctx.targets.length);
  const missing = ctx.targets.flatMap((t, i) => (sections.has(i + 1) ? [] : [{ id: i + 1, role: t.role }]));
  if (missing.length > 0) {
    const history = [{ role: "user" as const, content: prompt }, { role: "assistant" as const, content: reply }];
    const again = await callEngine(ctx.engine, { system, history, prompt: renderMissingSectionsPrompt(missing) }, `${what} (missing sections)`, name, BACKWARD_RETRY_ADVICE);
    const more = parseFeedbackSections(again, ctx.targets.length);
    for (const { id } of missing) if (more.has(id)) sections.set(id, more.get(id)!);
  }
  const unanswered = ctx.targets.filter((_, i) => !sections.has(i + 1));
  const alone = unanswered.length === 0 ? [] : await askInputFeedback(ctx, unanswered, exchangeKind, exchange, feedback);
  return ctx.targets.flatMap((target, i) => {
    const text = sections.get(i + 1);
    if (text === undefined) return alone.filter((d) => d.target === target);
    const delivery = feedbackDelivery(ctx, target, exchangeKind, exchange, text);
    return delivery ? [delivery] : [];
  });
}

/**
 * @module core/functions/control-backward
 * Feedback for a plan through a control edge. A planner's output decides which calls run but feeds them no data, so
 * the data-flow rules never ask about it. This wraps a call's own rule: its data inputs get feedback as before, and
 * each plan that selected the call is asked about the counterfactual — which available modules did not run, and
 * whether one of them would have supplied what the feedback on the call says was missing.
 */
import { renderBackwardSystemPrompt } from "../../prompts/backward-system.js";
import { renderControlFeedbackPrompt } from "../../prompts/control-feedback.js";
import { callEngine } from "../../engine/call-engine.js";
import { BACKWARD_RETRY_ADVICE, type BackwardContext, type BackwardRule, type Delivery, type GradNode } from "../feedback.js";
import { settleAll } from "../settle-all.js";
import { feedbackDelivery } from "./feedback-delivery.js";

/** One plan that selected the call, as the control rule needs it. */
export interface ControlInput {
  /** The plan's node (a predecessor of the call, through a control edge). */
  readonly plan: GradNode;
  /** The modules the plan ran, in execution order. */
  readonly ran: readonly string[];
  /** Available modules the plan did not run (empty when unknown). */
  readonly notRun: readonly string[];
  /** The name of the call whose rule this is, as the plan would name it. */
  readonly module: string;
  /** Whether this call asks the plan (one call per plan does, so a pass asks it once); false: the plan gets nothing here. */
  readonly ask: boolean;
}

/**
 * `rule` for the call's data inputs (never the plans), plus one counterfactual backward call per plan in `controls`
 * that is a target and that this call asks (only in chain mode: a plan is judged by what its calls' outputs were
 * told, never as an evaluation itself).
 *
 * @example
 * const rule = controlBackwardRule(passThroughRule(), [{ plan, ran: ["solution_generator"], notRun: ["knowledge_retrieval"], module: "solution_generator", ask: true }]);
 */
export function controlBackwardRule(rule: BackwardRule, controls: readonly ControlInput[]): BackwardRule {
  const byPlan = new Map<GradNode, ControlInput>(controls.map((c) => [c.plan, c]));
  return {
    name: `${rule.name}+control`,
    run: async (ctx) => {
      const data = ctx.targets.filter((t) => !byPlan.has(t));
      const plans = ctx.targets.filter((t) => byPlan.get(t)?.ask === true);
      const feedback = ctx.mode === "chain" ? ctx.output.gradients.map((g) => g.text) : [];
      const [own, control] = await settleAll<readonly Delivery[]>([
        data.length > 0 ? rule.run({ ...ctx, targets: data }) : Promise.resolve([]),
        feedback.length > 0 ? askPlans(ctx, plans.map((p) => byPlan.get(p)!), feedback) : Promise.resolve([]),
      ]);
      return [...own!, ...control!];
    },
  };
}

async function askPlans(ctx: BackwardContext, controls: readonly ControlInput[], feedback: readonly string[]): Promise<Delivery[]> {
  const { output, engine } = ctx;
  const system = renderBackwardSystemPrompt("per-input");
  const deliveries = await settleAll(
    controls.map(async (c): Promise<Delivery | undefined> => {
      const prompt = renderControlFeedbackPrompt({ role: c.plan.role, value: c.plan.value, ran: c.ran, notRun: c.notRun, module: c.module, usedAs: output.role, feedback });
      const what = `control backward through "${output.id ?? output.role}" for the plan "${c.plan.id ?? c.plan.role}"`;
      const text = await callEngine(engine, { system, prompt }, what, c.plan.id ?? c.plan.role, BACKWARD_RETRY_ADVICE);
      const exchange = `The plan ran: ${c.ran.join(", ")}. It did not run: ${c.notRun.join(", ") || "(unknown)"}. "${c.module}" produced ${output.role}.`;
      return feedbackDelivery(ctx, c.plan, "function", exchange, text);
    }),
  );
  return deliveries.filter((d): d is Delivery => d !== undefined);
}

/**
 * @module core/pass-through
 * A backward rule for values that are passed on unchanged (a module returning its LLM call's answer, a run's final
 * output). Feedback goes to every trainable input as it is, with its original context, at no engine cost.
 */
import type { BackwardRule, Delivery } from "./feedback.js";

/** Forwards the output's feedback (or its evaluation mode) to each trainable input, unchanged. */
export function passThroughRule(): BackwardRule {
  return {
    name: "passThrough.backward",
    run: async ({ output, targets, mode }) => {
      const deliveries: Delivery[] = [];
      for (const target of targets) {
        if (mode === "evaluation" && output.gradients.length === 0) deliveries.push({ target, evaluation: true });
        else for (const gradient of output.gradients) deliveries.push({ target, gradient });
      }
      return deliveries;
    },
  };
}

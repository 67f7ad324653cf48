/**
 * @module testing/judge-rule
 * A {@link SimulatedRule} for the pairwise judge optimize({ traces }) asks during validation: it reads the task, the
 * recorded feedback and each step's outputs A and B from the request's tags, and lets the test decide.
 */
import { extractAllTagged, extractTagged } from "../prompts/tags.js";
import type { SimulatedRule } from "./simulated-rule.js";

/** A pairwise judge request as a test sees it. */
export interface PairwiseJudgeRequest {
  readonly task: string;
  readonly feedback: string;
  readonly steps: ReadonlyArray<{ readonly a: string; readonly b: string }>;
}

/**
 * A rule answering pairwise judge requests with `decide`'s verdict, counted under the role "judge".
 *
 * @example
 * // a stand-in judge that prefers the output stating a unit
 * const judge = pairwiseJudgeRule((r) => (/km/.test(r.steps[0]!.a) ? "A" : /km/.test(r.steps[0]!.b) ? "B" : "TIE"));
 */
export function pairwiseJudgeRule(decide: (request: PairwiseJudgeRequest) => "A" | "B" | "TIE"): SimulatedRule<"judge"> {
  return {
    role: "judge",
    matches: (r) => r.prompt.includes("<OUTPUT_A>") && r.prompt.includes("<OUTPUT_B>"),
    reply: (r) => {
      const as = extractAllTagged(r.prompt, "OUTPUT_A");
      const bs = extractAllTagged(r.prompt, "OUTPUT_B");
      const steps = as.map((a, i) => ({ a, b: bs[i] ?? "" }));
      const verdict = decide({ task: extractTagged(r.prompt, "TASK") ?? "", feedback: extractTagged(r.prompt, "FEEDBACK") ?? "", steps });
      return `Compared against the feedback. <VERDICT>${verdict}</VERDICT>`;
    },
  };
}

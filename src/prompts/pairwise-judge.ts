/**
 * @module prompts/pairwise-judge
 * The judge of counterfactual replay: a production run got feedback; the steps that read a changed prompt were
 * re-run with it; the judge sees the feedback and, per changed step, two outputs labelled A and B (which one is new is
 * randomized by the caller) and says which better answers the feedback. Holds the prompt and the reply parser.
 */
import { blockTag, extractTagged } from "./tags.js";

/** The tag the verdict is given in. */
export const VERDICT_TAG = "VERDICT";

/** System prompt of the pairwise judge. */
export const PAIRWISE_JUDGE_SYSTEM =
  "You compare two versions of the same steps of an AI system's run. You are given the feedback the run received and, for each step, " +
  "output A and output B produced from the same input. Judge only which version better addresses the feedback and the task; " +
  `ignore length and style otherwise. Reply with your reasons in one or two sentences, then <${VERDICT_TAG}>A</${VERDICT_TAG}>, ` +
  `<${VERDICT_TAG}>B</${VERDICT_TAG}> or <${VERDICT_TAG}>TIE</${VERDICT_TAG}>.`;

/** One step shown to the judge. */
export interface JudgedStep {
  readonly name: string;
  readonly a: string;
  readonly b: string;
}

/** What the judge is shown. */
export interface PairwiseJudgeInput {
  /** The run's input (the task). */
  readonly task: string;
  /** The recorded feedback, rendered (prompts/recorded-feedback). */
  readonly feedback: string;
  readonly steps: readonly JudgedStep[];
}

/**
 * The judge's user prompt.
 *
 * @example
 * renderPairwiseJudge({ task: "Which is a solid?", feedback: "…", steps: [{ name: "solver.model", a: "milk", b: "a wooden ruler" }] });
 */
export function renderPairwiseJudge(input: PairwiseJudgeInput): string {
  const steps = input.steps
    .map((s, i) => `Step ${i + 1}: ${s.name}\n${blockTag("OUTPUT_A", s.a)}\n${blockTag("OUTPUT_B", s.b)}`)
    .join("\n\n");
  return `${blockTag("TASK", input.task)}\n\n${blockTag("FEEDBACK", input.feedback)}\n\n${steps}\n\nWhich version, A or B, better addresses the feedback?`;
}

/** The judge's verdict, or undefined when the reply has none. */
export function readVerdict(reply: string): "A" | "B" | "TIE" | undefined {
  const v = extractTagged(reply, VERDICT_TAG)?.toUpperCase();
  return v === "A" || v === "B" || v === "TIE" ? v : undefined;
}

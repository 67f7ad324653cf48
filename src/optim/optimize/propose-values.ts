/**
 * @module optim/optimize/propose-values
 * From scored samples to proposed prompt values, with the machinery refine() uses: each failing sample's loss on its
 * run's output, one backward pass over all of them (a sum, so feedback lands on shared parameters in sample order),
 * then one TGD proposal per parameter that received feedback (feedback reduced before the update when it is long).
 * A parameter without feedback is not rewritten and costs no call. Nothing is written to the parameters here.
 */
import { backward } from "../../core/backward.js";
import { sum } from "../../core/functions/sum.js";
import type { Variable } from "../../core/variable.js";
import type { Engine } from "../../engine/types.js";
import { TGD, type UpdateMode } from "../tgd.js";
import { metricLoss } from "./metric-loss.js";
import type { ScoredSample } from "./options.js";
import type { ParameterSet, SampleRun } from "./sources.js";
import type { FeedbackPoint } from "../../prompts/feedback-points.js";

/** How feedback is made and sent: shared by a step and the proposal it makes. */
export interface FeedbackSettings {
  readonly engine: Engine;
  readonly perfectScore: number;
  readonly concurrency: number;
  readonly constraints?: readonly string[];
  readonly update?: UpdateMode;
  readonly loss?: (output: Variable, sample: ScoredSample<unknown>) => Variable | PromiseLike<Variable>;
}

/** What {@link proposeValues} needs. */
export interface ProposeInput extends FeedbackSettings {
  readonly samples: readonly SampleRun[];
  readonly parameters: ParameterSet;
  /** Called between backward and the updates (for progress events). */
  readonly onBackwardDone?: (feedbackPieces: number) => void;
}

/** One parameter's feedback and proposed value. */
export interface RawProposal {
  readonly parameter: string;
  readonly before: string;
  readonly after: string;
  readonly feedback: readonly string[];
  readonly points?: readonly FeedbackPoint[];
}

/** Runs backward from the failing samples and proposes new values; returns one entry per parameter with feedback. */
export async function proposeValues(input: ProposeInput): Promise<RawProposal[]> {
  const failing = input.samples.filter((s) => s.graph !== undefined && s.score < input.perfectScore);
  const variables = [...input.parameters.variables.values()];
  const touched = new Set<Variable>(variables);
  for (const s of failing) for (const p of s.graph!.parameters) touched.add(p);
  for (const v of touched) v.zeroGrad();
  try {
    if (failing.length === 0) return [];
    const losses = await Promise.all(
      failing.map((s) => {
        const sample: ScoredSample<unknown> = { example: s.example, score: s.score, ...(s.feedback === undefined ? {} : { feedback: s.feedback }) };
        if (s.loss) return s.loss();
        return input.loss ? input.loss(s.graph!.output, sample) : metricLoss(s.graph!.output, s, input.perfectScore);
      }),
    );
    const root = losses.length === 1 ? losses[0]! : sum(losses);
    await backward(root, { engine: input.engine, concurrency: input.concurrency });
    input.onBackwardDone?.(variables.reduce((n, v) => n + v.gradients.length, 0));
    const withFeedback = variables.filter((v) => v.gradients.length > 0);
    if (withFeedback.length === 0) return [];
    const feedback = new Map(withFeedback.map((v) => [v, v.gradients.map((g) => g.text)]));
    const tgd = new TGD({ parameters: withFeedback, engine: input.engine, constraints: input.constraints, concurrency: input.concurrency, ...(input.update ? { update: input.update } : {}) });
    const proposals = await tgd.propose();
    return withFeedback.map((v): RawProposal => {
      const p = proposals.find((x) => x.parameter === v);
      const name = v.id ?? v.role;
      return {
        parameter: name,
        before: v.value,
        after: p?.value ?? v.value,
        feedback: feedback.get(v)!,
        ...(p?.feedback ? { points: p.feedback.points } : {}),
      };
    });
  } finally {
    for (const v of touched) v.zeroGrad();
  }
}

/**
 * @module optim/optimize/estimate
 * A rough estimate of the optimizer's spend, given in the `start` event before it spends anything. From one traced
 * training run it counts the graph's nodes whose backward asks the engine (one call each per failing sample, as
 * backward runs one call per node) and their text; a step then costs that for each failing sample of the minibatch
 * (the baseline's failure rate) plus one update per parameter. Token counts are characters / 4 plus a fixed
 * allowance for the prompt templates and the reply.
 */
import type { TraceGraph } from "../../trace/module-call.js";
import type { SpendEstimate } from "./types.js";

const TEMPLATE_TOKENS = 600;
const REPLY_TOKENS = 250;

/** What {@link estimateSpend} needs. */
export interface EstimateInput {
  readonly graph: TraceGraph | undefined;
  readonly steps: number;
  readonly batchSize: number;
  /** Share of baseline validation samples below the perfect score. */
  readonly failureRate: number;
  readonly parameters: readonly { readonly value: string }[];
}

/** The estimate described in the module comment. */
export function estimateSpend(input: EstimateInput): SpendEstimate {
  const callNodes = input.graph
    ? [...input.graph.variables.values()].filter((v) => v.backwardRule && v.backwardRule.name !== "passThrough.backward" && v.predecessors.some((p) => p.requiresGrad))
    : [];
  const backwardCalls = Math.max(1, callNodes.length);
  const backwardTokens = callNodes.reduce((n, v) => n + tokens(v.value) + v.predecessors.reduce((m, p) => m + tokens(p.value), 0), 0) + backwardCalls * (TEMPLATE_TOKENS + REPLY_TOKENS);
  const failing = Math.max(1, Math.round(input.batchSize * input.failureRate));
  const updateTokens = input.parameters.reduce((n, p) => n + 2 * tokens(p.value) + TEMPLATE_TOKENS + REPLY_TOKENS, 0);
  const perStep = {
    calls: failing * backwardCalls + input.parameters.length,
    tokens: failing * backwardTokens + updateTokens + failing * 200 * input.parameters.length,
  };
  if (input.steps === 0) return { calls: 0, tokens: 0, perStep, basis: "every step is already decided: nothing left to spend" };
  return {
    calls: perStep.calls * input.steps,
    tokens: perStep.tokens * input.steps,
    perStep,
    basis: `${backwardCalls} backward call(s) per failing sample (from one traced run), ${failing} failing of ${input.batchSize} per minibatch (baseline failure rate ${(input.failureRate * 100).toFixed(0)}%), one update per parameter (${input.parameters.length}); tokens ≈ characters/4 plus ${TEMPLATE_TOKENS} per prompt template and ${REPLY_TOKENS} per reply`,
  };
}

function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

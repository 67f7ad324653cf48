/**
 * @module optim/digest-feedback
 * "Reduce before you update": the feedback one parameter received (B batch samples, many consumers) is brought under
 * a size budget before the TGD update, without losing a distinct point. In order, stopping at the first that fits:
 * 1. everything, with its exchanges (TextGrad's prompt) — small batches change nothing, except that a text that arrived
 *    more than once (two consumers sending back the same feedback) is shown once, after its first exchange, naming
 *    every sender and how many times it came;
 * 2. deduplicated texts (normalized), without exchanges, each point naming the pieces it came from;
 * 3. one LLM reduce call that merges the distinct texts into at most {@link MAX_POINTS} points and cites, per point,
 *    the pieces it came from. Pieces the reply cites nowhere are appended verbatim, and an unusable reply falls back
 *    to step 2, so every distinct point reaches the optimizer either way.
 */
import { callEngine } from "../engine/call-engine.js";
import type { Engine } from "../engine/types.js";
import { toFeedbackItem, type Gradient } from "../core/feedback.js";
import type { FeedbackItem } from "../prompts/feedback-block.js";
import { parseReducedPoints, renderFeedbackPoints, renderPointsReducePrompt, renderPointsReduceSystemPrompt, type FeedbackPoint } from "../prompts/feedback-points.js";
import { renderOptimizerFeedback } from "../prompts/optimizer-prompt.js";
import { renderRepeatedSenders } from "../prompts/repeated-feedback.js";

/** How the feedback behind one update was prepared, and the points it became; kept on the proposal for reports. */
export interface FeedbackDigest {
  /**
   * "all": every distinct piece with its exchange (a repeated text once, with all its senders); "deduplicated":
   * distinct texts; "reduced": merged by one LLM call.
   */
  readonly method: "all" | "deduplicated" | "reduced";
  /** The points the optimizer saw (for "all", one per distinct piece), each with its evidence. */
  readonly points: readonly FeedbackPoint[];
  /** Engine calls spent on the digest (0 or 1). */
  readonly calls: number;
}

/** Default size budget, in characters, of the feedback shown in one update prompt. */
export const DEFAULT_FEEDBACK_BUDGET_CHARS = 6000;

/** The most points a reduce call is asked for: enough for distinct problems, few enough to stay under the budget. */
export const MAX_POINTS = 8;

/** What {@link digestFeedback} needs. */
export interface DigestInput {
  readonly gradients: readonly Gradient[];
  readonly role: string;
  /** The parameter's current value (its occurrences in exchanges are not counted against the budget). */
  readonly value: string;
  readonly budgetChars: number;
  readonly engine: Engine;
  /** Names the parameter in error messages. */
  readonly name: string;
}

/** Brings `gradients` under `budgetChars` as described in the module comment. */
export async function digestFeedback(input: DigestInput): Promise<FeedbackDigest> {
  const { gradients, budgetChars } = input;
  const distinct = deduplicate(gradients);
  if (renderOptimizerFeedback(itemsOf(distinct, gradients), input.value).length <= budgetChars) return { method: "all", points: distinct, calls: 0 };
  if (renderFeedbackPoints(distinct).length <= budgetChars || distinct.length === 1) return { method: "deduplicated", points: distinct, calls: 0 };
  const request = { system: renderPointsReduceSystemPrompt(), prompt: renderPointsReducePrompt({ role: input.role, points: distinct, maxPoints: MAX_POINTS }) };
  const reply = await callEngine(input.engine, request, `TGD reducing ${gradients.length} pieces of feedback on "${input.name}"`, input.name);
  const parsed = parseReducedPoints(reply, distinct.length);
  if (parsed.length === 0) return { method: "deduplicated", points: distinct, calls: 1 };
  const cited = new Set(parsed.flatMap((p) => p.items));
  const merged = parsed.map((p) => mergeEvidence(p.text, p.items.map((i) => distinct[i]!)));
  const uncited = distinct.filter((_, i) => !cited.has(i));
  return { method: "reduced", points: [...merged, ...uncited], calls: 1 };
}

/**
 * What an update shows for a digest of method "all": each point as the first piece it came from, with that piece's
 * exchange; a point that several pieces made names all their senders and how many pieces there were.
 *
 * @example
 * renderOptimizerPrompt({ role, value, feedback: digestItems(digest, parameter.gradients) });
 */
export function digestItems(digest: FeedbackDigest, gradients: readonly Gradient[]): FeedbackItem[] {
  return itemsOf(digest.points, gradients);
}

function itemsOf(points: readonly FeedbackPoint[], gradients: readonly Gradient[]): FeedbackItem[] {
  return points.map((p) => {
    const first = toFeedbackItem(gradients[p.items[0]!]!);
    return p.items.length === 1 ? first : { ...first, from: renderRepeatedSenders(p.from, p.items.length) };
  });
}

/** Pieces with the same normalized text become one point that lists them all, in first-seen order. */
function deduplicate(gradients: readonly Gradient[]): FeedbackPoint[] {
  const byText = new Map<string, { text: string; items: number[]; from: string[] }>();
  gradients.forEach((g, i) => {
    const key = normalize(g.text);
    const point = byText.get(key);
    if (!point) byText.set(key, { text: g.text, items: [i], from: [g.from] });
    else {
      point.items.push(i);
      if (!point.from.includes(g.from)) point.from.push(g.from);
    }
  });
  return [...byText.values()];
}

/** Case, spacing and trailing punctuation do not make feedback distinct. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").replace(/[\s.!;,]+$/, "").trim();
}

function mergeEvidence(text: string, sources: readonly FeedbackPoint[]): FeedbackPoint {
  const items = [...new Set(sources.flatMap((s) => s.items))].sort((a, b) => a - b);
  const from = [...new Set(sources.flatMap((s) => s.from))];
  return { text, items, from };
}

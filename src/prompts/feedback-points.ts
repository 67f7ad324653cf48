/**
 * @module prompts/feedback-points
 * Feedback merged into distinct points before an update, each point carrying its evidence (which pieces of feedback it
 * came from). Holds the reduce call's prompts, the `POINT` tag it replies with and the parser beside it, and how
 * points are shown to the optimizer.
 */
import { renderFeedbackItems } from "./feedback-block.js";
import { blockTag, FEEDBACK_TAG, inlineTag, ROLE_TAG } from "./tags.js";

/** One distinct point of feedback and where it came from. */
export interface FeedbackPoint {
  readonly text: string;
  /** The pieces of feedback it came from: 0-based indices into the variable's feedback, ascending. */
  readonly items: readonly number[];
  /** The roles that sent those pieces back, in first-seen order. */
  readonly from: readonly string[];
}

/** The tag of one point in a reduce reply: `<POINT from="1, 3-5">text</POINT>` (1-based feedback numbers). */
export const POINT_TAG = "POINT";

/** System prompt of the reduce call that merges many pieces of feedback on one variable before its update. */
export function renderPointsReduceSystemPrompt(): string {
  return [
    "You summarise many pieces of feedback about the same variable into a short list of distinct points.",
    "Keep every distinct point that the feedback makes, with the reasons given for it; merge points that say the same thing, and keep points that disagree apart.",
    "Do not write a new version of the variable; only summarise the feedback.",
    "",
    `Reply with one block per point, naming in from="…" the numbers of every piece of feedback the point comes from:`,
    `<${POINT_TAG} from="1, 4-6">`,
    "the point, with its reasons",
    `</${POINT_TAG}>`,
  ].join("\n");
}

/**
 * User prompt of the reduce call: the distinct pieces of feedback, numbered, with their senders (no exchanges, so
 * the request grows with the feedback text only).
 *
 * @example
 * renderPointsReducePrompt({ role: "system prompt", points, maxPoints: 8 });
 */
export function renderPointsReducePrompt(input: { readonly role: string; readonly points: readonly FeedbackPoint[]; readonly maxPoints: number }): string {
  const items = input.points.map((p) => ({ text: p.text, from: p.from.join(", ") }));
  return [
    `Here are ${items.length} pieces of feedback on a variable with this role: ${inlineTag(ROLE_TAG, input.role)}`,
    "",
    renderFeedbackItems(items),
    "",
    `Summarise them into at most ${input.maxPoints} distinct points. Every piece of feedback must be listed in the from="…" of at least one point.`,
  ].join("\n");
}

const POINT = new RegExp(`<${POINT_TAG}\\s+from\\s*=\\s*["']([^"']*)["']\\s*>([\\s\\S]*?)</${POINT_TAG}\\s*>`, "gi");

/**
 * Reads a reduce reply: each `POINT` block with its text (trimmed; empty blocks dropped) and the feedback numbers in
 * its `from` ("1, 3-5" → [0, 2, 3, 4], 0-based), keeping only numbers 1…`count`. An empty result means the reply was
 * unusable, and the caller falls back to the points it sent.
 *
 * @example
 * parseReducedPoints('<POINT from="1-2">Name units.</POINT>', 3); // [{ text: "Name units.", items: [0, 1] }]
 */
export function parseReducedPoints(reply: string, count: number): Array<{ text: string; items: number[] }> {
  const points: Array<{ text: string; items: number[] }> = [];
  for (const m of reply.matchAll(POINT)) {
    const text = m[2]!.trim();
    if (text === "") continue;
    const items = new Set<number>();
    for (const r of m[1]!.matchAll(/(\d+)\s*(?:[-–]\s*(\d+))?/g)) {
      const lo = Number(r[1]);
      const hi = Math.min(r[2] === undefined ? lo : Number(r[2]), count);
      for (let n = Math.max(lo, 1); n <= hi; n++) items.add(n - 1);
    }
    points.push({ text, items: [...items].sort((a, b) => a - b) });
  }
  return points;
}

/** The CONTEXT body of an update from merged points: each point with the feedback numbers and senders behind it. */
export function renderFeedbackPoints(points: readonly FeedbackPoint[]): string {
  return points
    .map((p, i) => {
      const evidence = p.items.length > 0 ? `from feedback ${numberRanges(p.items)}` : "from the feedback";
      const senders = p.from.length > 0 ? `, sent back from: ${p.from.join("; ")}` : "";
      return `Point ${i + 1} of ${points.length}, ${evidence}${senders}.\n${blockTag(FEEDBACK_TAG, p.text)}`;
    })
    .join("\n\n");
}

/** 0-based indices as 1-based ranges: [0, 1, 2, 4] → "1-3, 5". */
function numberRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i]!;
    while (i + 1 < indices.length && indices[i + 1] === indices[i]! + 1) i++;
    parts.push(indices[i] === start ? `${start + 1}` : `${start + 1}-${indices[i]! + 1}`);
  }
  return parts.join(", ");
}

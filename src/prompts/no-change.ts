/**
 * @module prompts/no-change
 * The marker a backward reply uses to say "this variable needs no change", beside the parser that recognises it (and
 * its close variants). A no-change reply is not feedback: it must not reach the optimizer, or an update call is spent
 * on rewriting text that was fine.
 */

/** What the backward engine is asked to reply, alone, when a variable needs no change. */
export const NO_CHANGE_MARKER = "NO_CHANGE";

// Longer replies are real feedback even when they open with "no change is needed for X, but …".
const MAX_NO_CHANGE_LENGTH = 300;

/** Each sentence of a no-change reply must match one of these (lower-cased, markdown and quotes stripped). */
const NO_CHANGE_SENTENCES: readonly RegExp[] = [
  /^no[_ -]?changes?( (is|are))?( (needed|required|necessary|needed here|to make))?$/,
  /^(none|n\/a|nothing( to (change|improve|fix|add))?|no feedback|no issues?( found)?|no problems?( found)?)$/,
  /^no (further |additional )?(feedback|improvements?|changes?|edits?|modifications?)( (is|are))?( (needed|required|necessary))?$/,
  /^(the [a-z0-9' ,-]{1,80} )?(already )?(works|serves( its role)?|is|performs|looks|reads)( already)? (well|fine|good|correct|appropriate|effective)( as (it is|is))?$/,
  /^(it|this) (already )?(works|serves( its role)?|is|looks)( already)? (well|fine|good|correct|appropriate)( as (it is|is))?$/,
  /^(keep|leave) (it|the [a-z0-9' ,-]{1,80}) (as (it is|is)|unchanged)$/,
];

/**
 * True when a backward reply (or one section of it) says the variable needs no change and nothing else: empty,
 * exactly {@link NO_CHANGE_MARKER}, or short sentences such as "No changes needed." / "The prompt already works well."
 * A reply that also asks for something ("No change needed, but name the units") is feedback.
 *
 * @example
 * isNoChange("No changes needed."); // true
 * isNoChange("No change needed to the tone, but name the units."); // false
 */
export function isNoChange(reply: string): boolean {
  const text = reply.trim();
  if (text === "") return true;
  if (text.length > MAX_NO_CHANGE_LENGTH) return false;
  const normalized = text.toLowerCase().replace(/[*_`#"'“”‘’>]+(?=\W|$)|(?<=\W|^)[*`#"“”‘’>]+/g, " ").replace(/\bno_change\b/g, "no change");
  const sentences = normalized
    .split(/[.!;:\n]+/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s !== "");
  return sentences.length > 0 && sentences.every((s) => NO_CHANGE_SENTENCES.some((p) => p.test(s)));
}

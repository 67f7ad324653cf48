/**
 * @module bench/quality/metrics
 * TextGrad's scoring of the three tasks. Object Counting and GSM8K: `string_based_equality_fn` on the integers read by
 * `parse_integer_answer` (the last whitespace token with a digit, cut at ".", digits kept; nothing → 0). Word
 * Sorting: TextGrad asks a gpt-4o judge whether the prediction matches the ground truth; here the words of the last
 * `Answer:` line (else the last line) must equal the target's words, in order — the judge's question, decided without
 * a model, so both runs of the bench (offline and real) score it the same way.
 */

/** TextGrad's `parse_integer_answer` (from DSPy), ported: 0 when the text has no digit. */
export function parseIntegerAnswer(text: string): number {
  const tokens = text.trim().split(/\s+/).filter((t) => /\d/.test(t));
  const last = tokens.at(-1);
  if (last === undefined) return 0;
  const digits = (last.split(".")[0] ?? "").replace(/\D/g, "");
  return digits === "" ? 0 : Number.parseInt(digits, 10);
}

/** 1 when the integer answers agree (TextGrad's `string_based_equality_fn`), else 0. */
export function integerMatch(prediction: string, target: string): number {
  return parseIntegerAnswer(prediction) === parseIntegerAnswer(target) ? 1 : 0;
}

/** The text after the last `Answer:` (case-insensitive), else the last non-empty line. */
export function finalAnswerLine(text: string): string {
  const at = text.toLowerCase().lastIndexOf("answer:");
  if (at >= 0) return (text.slice(at + "answer:".length).split("\n")[0] ?? "").trim();
  return text.trim().split("\n").filter((l) => l.trim() !== "").at(-1)?.trim() ?? "";
}

/** 1 when the final answer line lists exactly the target's words, in order (case and punctuation around words ignored). */
export function sortedWordsMatch(prediction: string, target: string): number {
  const words = (s: string) => s.toLowerCase().split(/[\s,]+/).map((w) => w.replace(/^[^\p{L}\p{N}&]+|[^\p{L}\p{N}&]+$/gu, "")).filter((w) => w !== "");
  const got = words(finalAnswerLine(prediction));
  const want = words(target);
  return got.length === want.length && got.every((w, i) => w === want[i]) ? 1 : 0;
}

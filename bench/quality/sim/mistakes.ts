/**
 * @module bench/quality/sim/mistakes
 * The simulated student's documented mistakes on the three tasks. Each mistake applies to the examples it can affect
 * (`applies`), and then only on a seeded half of them (a lapse: a stable hash of the example id and the mistake). An
 * instruction in the system prompt matching `fix.pattern` prevents it; an instruction matching `harm` forces it on every
 * example it applies to, fix or not. When it happens, the student's reasoning says so in `marker` — what a strong model
 * reading the reasoning would notice — and its answer changes as `effect` says.
 *
 * | task | mistake | applies to | fixed by (phrase the simulated optimizer writes) |
 * |---|---|---|---|
 * | object counting | counts each listed entry once, ignoring "two", "three" … | lists with a quantity above one | "Multiply each item by its number word (two, three, …) before adding." |
 * | object counting | counts items outside the asked category | lists with such items (the quantities add up to more than the target) | "Count only the items that belong to the category the question asks about." |
 * | object counting | off by one on long lists | lists of 8 or more entries | "Go through the list one item at a time and keep a running total." |
 * | word sorting | sorts by the first letter only (ties keep their order) | lists where that order is wrong | "Compare words letter by letter, not just by their first letter." |
 * | word sorting | drops the last word of long lists | lists of 12 or more words | "Check that every word of the list appears exactly once in the answer." |
 * | GSM8K | stops one step early (answers the second-to-last intermediate result) | solutions of 4 or more calculations | "Solve every step the question needs and check that the final line answers the question asked." |
 * | GSM8K | misapplies a percentage or fraction (off by the first intermediate result) | solutions with "%" or a division | "Convert percentages and fractions to numbers before applying them to the right quantity." |
 *
 * Besides these, a seeded share of examples (object counting 4%, word sorting 6%, GSM8K 10%) is beyond the student
 * whatever the prompt says ({@link beyondReach}).
 */
import { createHash } from "node:crypto";
import type { Example, TaskName } from "../tasks.js";

/** One documented mistake. */
export interface Mistake {
  readonly id: string;
  /** The instruction that prevents it: what the simulated optimizer writes, and what the student recognises. */
  readonly fix: { readonly phrase: string; readonly pattern: RegExp };
  /** A plausible but harmful instruction that forces the mistake (what a "breaking" proposal adds). */
  readonly harm: string;
  /** A sentence in the student's reasoning when it makes the mistake. */
  readonly marker: string;
  applies(example: Example): boolean;
  /** The wrong answer, given the answer so far. */
  effect(example: Example, answer: string): string;
}

/** The task's mistakes, in the order they are applied. */
export function mistakesOf(task: TaskName): readonly Mistake[] {
  return MISTAKES[task];
}

/** Whether the mistake lapses on this example (a stable half of the examples it applies to). */
export function lapses(example: Example, mistake: Mistake): boolean {
  return hash(`${example.id}\u0000${mistake.id}`) % 2 === 0;
}

const BEYOND: Readonly<Record<TaskName, number>> = { object_counting: 4, word_sorting: 6, gsm8k: 10 };

/** Whether the example is beyond the student whatever the prompt (a stable share per task). */
export function beyondReach(task: TaskName, example: Example): boolean {
  return hash(`${example.id}\u0000beyond`) % 100 < BEYOND[task];
}

/** The marker of an example beyond reach. */
export const LOST_MARKER = "I lose track partway through.";

// ── object counting ─────────────────────────────────────────────────────────────────────────────────────────────
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** The list of an object-counting question: each entry's quantity. */
export function countingEntries(input: string): number[] {
  const list = /I have (.*)\. How many/.exec(input)?.[1] ?? "";
  return list.split(/,\s*(?:and\s+)?|\s+and\s+/).map((e) => NUMBER_WORDS[e.trim().split(/\s+/)[0]!.toLowerCase()] ?? 1);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const shift = (answer: string, by: number) => String(Math.max(0, Number.parseInt(answer, 10) + by));

const COUNTING: readonly Mistake[] = [
  {
    id: "quantity",
    fix: { phrase: "Multiply each item by its number word (two, three, …) before adding.", pattern: /\bnumber words?\b|\bquantit(?:y|ies)\b/i },
    harm: "Treat every listed entry as a single object.",
    marker: "I count each listed entry as one item.",
    applies: (e) => countingEntries(e.input).some((q) => q > 1),
    effect: (e, a) => { const q = countingEntries(e.input); return shift(a, -Math.max(1, sum(q) - q.length)); },
  },
  {
    id: "category",
    fix: { phrase: "Count only the items that belong to the category the question asks about.", pattern: /\bcategory\b|\bbelongs? to\b/i },
    harm: "Every item in the list counts toward the total.",
    marker: "I count every item in the list.",
    applies: (e) => sum(countingEntries(e.input)) > Number(e.target),
    effect: (e, a) => shift(a, sum(countingEntries(e.input)) - Number(e.target)),
  },
  {
    id: "long-list",
    fix: { phrase: "Go through the list one item at a time and keep a running total.", pattern: /\brunning (?:total|count|tally)\b|\bone (?:item|entry) at a time\b/i },
    harm: "Answer at a glance, without listing the items.",
    marker: "I estimate the count at a glance.",
    applies: (e) => countingEntries(e.input).length >= 8,
    effect: (_e, a) => shift(a, 1),
  },
];

// ── word sorting ────────────────────────────────────────────────────────────────────────────────────────────────
/** The words to sort. */
export function sortingWords(input: string): string[] {
  return (input.split("List:")[1] ?? "").trim().split(/\s+/).filter((w) => w !== "");
}

const firstLetterOrder = (words: readonly string[]) => words.map((w, i) => [w, i] as const).sort((a, b) => a[0][0]!.localeCompare(b[0][0]!) || a[1] - b[1]).map(([w]) => w);

const SORTING: readonly Mistake[] = [
  {
    id: "first-letter",
    fix: { phrase: "Compare words letter by letter, not just by their first letter.", pattern: /\bletter by letter\b|\bsubsequent letters\b|\bsecond letter\b/i },
    harm: "Order the words by their first letter and keep ties in the order given.",
    marker: "I order the words by their first letter.",
    applies: (e) => firstLetterOrder(sortingWords(e.input)).join(" ") !== e.target,
    effect: (e, a) => (a === e.target ? firstLetterOrder(sortingWords(e.input)).join(" ") : a),
  },
  {
    id: "drop-word",
    fix: { phrase: "Check that every word of the list appears exactly once in the answer.", pattern: /\bexactly once\b|\bevery word\b/i },
    harm: "Keep the answer short.",
    marker: "I write the sorted list from memory.",
    applies: (e) => sortingWords(e.input).length >= 12,
    effect: (_e, a) => a.split(" ").slice(0, -1).join(" "),
  },
];

// ── GSM8K ───────────────────────────────────────────────────────────────────────────────────────────────────────
/** The results of the calculator annotations `<<expr=result>>` of a GSM8K solution, in order. */
export function calculations(solution: string | undefined): Array<{ readonly expr: string; readonly result: string }> {
  return [...(solution ?? "").matchAll(/<<([^=>]*)=([^>]*)>>/g)].map((m) => ({ expr: m[1]!, result: m[2]! }));
}

const asInteger = (x: string) => String(Math.round(Number.parseFloat(x.replace(/,/g, "")) || 0));

const GSM8K: readonly Mistake[] = [
  {
    id: "early-stop",
    fix: { phrase: "Solve every step the question needs and check that the final line answers the question asked.", pattern: /\bevery step\b|\bquestion asked\b|\bverify\b/i },
    harm: "Stop as soon as you have computed the main quantity.",
    marker: "I stop once I have the main quantity.",
    applies: (e) => calculations(e.solution).length >= 4 && asInteger(calculations(e.solution).at(-2)!.result) !== e.target,
    effect: (e, a) => (a === e.target ? asInteger(calculations(e.solution).at(-2)!.result) : a),
  },
  {
    id: "fraction",
    fix: { phrase: "Convert percentages and fractions to numbers before applying them to the right quantity.", pattern: /\bpercentages?\b|\bfractions?\b/i },
    harm: "Apply any rate directly to the first number mentioned.",
    marker: "I apply the percentage or fraction directly to the total.",
    applies: (e) => /%|\//.test(calculations(e.solution).map((c) => c.expr).join(" ")) || /%/.test(e.solution ?? ""),
    effect: (e, a) => shift(a, Number.parseInt(asInteger(calculations(e.solution)[0]?.result ?? "1"), 10) || 1),
  },
];

const MISTAKES: Readonly<Record<TaskName, readonly Mistake[]>> = { object_counting: COUNTING, word_sorting: SORTING, gsm8k: GSM8K };

function hash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

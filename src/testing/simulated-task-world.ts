/**
 * @module testing/simulated-task-world
 * The rules of a small simulated task, for testing prompt optimization offline. Each example needs one skill; a
 * simulated student answers it correctly when its system prompt holds that skill's rule (see {@link answerCorrectly}).
 * Documented on purpose, so a test can reason about what a prompt should score:
 * - "plain" needs no rule (the baseline is not zero);
 * - "unit" and "brief" conflict: a prompt with both rules gets both wrong (no single prompt wins both: Pareto);
 * - a distractor sentence breaks one skill (what a harmful edit looks like);
 * - a line `For "<question>" answer "<answer>".` makes that one question right (what overfitting looks like).
 */

/** A skill the examples need. */
export interface TaskSkill {
  readonly name: string;
  /** The sentence a system prompt must hold for the student to get this skill right ("" = no rule needed). */
  readonly rule: string;
  /** What the metric says when an answer of this skill is wrong. */
  readonly symptom: string;
}

/** One example of the simulated task. */
export interface TaskExample {
  readonly question: string;
  readonly answer: string;
  /** The student's answer when it gets the example wrong. */
  readonly wrong: string;
  readonly skill: string;
}

/** The skills, in the order rules are added to a prompt. */
export const TASK_SKILLS: readonly TaskSkill[] = [
  { name: "plain", rule: "", symptom: "The sum is wrong." },
  { name: "unit", rule: "Always state the unit.", symptom: "The answer has no unit." },
  { name: "round", rule: "Round decimals to two places.", symptom: "The answer is not rounded to two decimal places." },
  { name: "upper", rule: "Write country codes in upper case.", symptom: "The country code is not in upper case." },
  { name: "sort", rule: "List items in alphabetical order.", symptom: "The items are not in alphabetical order." },
  { name: "brief", rule: "Answer with the bare number only.", symptom: "The answer should be the bare number, without words." },
];

/** Sentences that break one skill each: a "harmful" edit adds one. */
export const TASK_DISTRACTORS: ReadonlyArray<{ readonly text: string; readonly breaks: string }> = [
  { text: "Use lower case everywhere.", breaks: "upper" },
  { text: "Keep every decimal digit.", breaks: "round" },
  { text: "Keep items in the order given.", breaks: "sort" },
  { text: "Reply in words, never in digits.", breaks: "plain" },
];

/** Skills whose rules cancel each other: a prompt holding both gets both wrong. */
export const TASK_CONFLICTS: ReadonlyArray<readonly [string, string]> = [["unit", "brief"]];

/** The line that makes one question right (and nothing else): what an overfitting edit writes. */
export function overfitLine(question: string, answer: string): string {
  return `For "${question}" answer "${answer}".`;
}

/** What the metric says about a wrong answer: the skill's symptom, then the expected answer and the question. */
export function taskFeedback(example: TaskExample): string {
  return `${skillOf(example.skill).symptom} Expected "${example.answer}" for "${example.question}".`;
}

/** Whether the simulated student answers `example` correctly under system prompt `prompt` (see the module comment). */
export function answerCorrectly(prompt: string, example: TaskExample): boolean {
  const text = prompt.toLowerCase();
  const has = (sentence: string) => sentence !== "" && text.includes(sentence.toLowerCase());
  if (prompt.includes(overfitLine(example.question, example.answer))) return true;
  if (TASK_DISTRACTORS.some((d) => d.breaks === example.skill && has(d.text))) return false;
  for (const [a, b] of TASK_CONFLICTS) {
    if ((example.skill === a || example.skill === b) && has(skillOf(a).rule) && has(skillOf(b).rule)) return false;
  }
  const rule = skillOf(example.skill).rule;
  return rule === "" || has(rule);
}

/** The skill named `name`. */
export function skillOf(name: string): TaskSkill {
  const skill = TASK_SKILLS.find((s) => s.name === name);
  if (!skill) throw new Error(`unknown skill "${name}"`);
  return skill;
}

const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ["France", "FR"], ["Germany", "DE"], ["Spain", "ES"], ["Italy", "IT"], ["Japan", "JP"], ["Brazil", "BR"], ["Canada", "CA"], ["Norway", "NO"],
];
const FRUITS = ["pear", "apple", "mango", "kiwi", "banana", "cherry", "lime", "fig", "grape", "peach"];
const ANIMALS: ReadonlyArray<readonly [string, number]> = [["spider", 8], ["cat", 4], ["bird", 2], ["ant", 6], ["crab", 10], ["horse", 4], ["duck", 2], ["beetle", 6]];

/** The `k`-th example of `skill`, with `r(i)` a uniform number in [0, 1) for its i-th choice. */
export function makeExample(skill: string, k: number, r: (i: number) => number): TaskExample {
  const int = (i: number, lo: number, hi: number) => lo + Math.floor(r(i) * (hi - lo + 1));
  switch (skill) {
    case "plain": {
      const [a, b] = [int(0, 10, 99), int(1, 10, 99)];
      return { skill, question: `Please add ${a} and ${b} together and tell me the total (case ${k}).`, answer: String(a + b), wrong: String(a + b + 1) };
    }
    case "unit": {
      const n = int(0, 2, 40);
      return { skill, question: `A road is ${n} km long; how long is it in metres (case ${k})?`, answer: `${n * 1000} m`, wrong: String(n * 1000) };
    }
    case "round": {
      const [a, b] = [int(0, 10, 50), [3, 7, 9, 11][int(1, 0, 3)]!];
      const exact = a / b;
      return { skill, question: `Share ${a} litres of juice equally among ${b} children; how much does each get (case ${k})?`, answer: exact.toFixed(2), wrong: String(exact) };
    }
    case "upper": {
      const [country, code] = COUNTRIES[int(0, 0, COUNTRIES.length - 1)]!;
      return { skill, question: `What is the two-letter country code of ${country}, as used on web addresses (case ${k})?`, answer: code, wrong: code.toLowerCase() };
    }
    case "sort": {
      const picked = [...new Set([0, 1, 2].map((i) => FRUITS[int(i, 0, FRUITS.length - 1)]!))];
      while (picked.length < 3) picked.push(FRUITS.find((f) => !picked.includes(f))!);
      const given = [...picked].sort((x, y) => (x < y ? 1 : -1));
      return { skill, question: `Name these fruits in one list separated by commas: ${given.join(", ")} (case ${k}).`, answer: [...picked].sort().join(", "), wrong: given.join(", ") };
    }
    case "brief": {
      const [animal, legs] = ANIMALS[int(0, 0, ANIMALS.length - 1)]!;
      return { skill, question: `How many legs does a ${animal} have, counting all of them (case ${k})?`, answer: String(legs), wrong: `${legs} legs` };
    }
    default:
      throw new Error(`unknown skill "${skill}"`);
  }
}

/**
 * @module bench/quality/tasks
 * TextGrad's three prompt-optimization tasks, loaded from `bench/quality/data` with TextGrad's splits (see
 * `data/README.md`), its starting prompts and its parameter role, and the numbers it reports.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { integerMatch, sortedWordsMatch } from "./metrics.js";

/** The tasks, by TextGrad's names without the "BBH_" prefix. */
export type TaskName = "object_counting" | "word_sorting" | "gsm8k";
export const TASK_NAMES: readonly TaskName[] = ["object_counting", "word_sorting", "gsm8k"];

/** One example: what the student is sent, and the expected answer. `target` is what the overfitting guard knows as the answer. */
export interface Example {
  readonly id: string;
  readonly input: string;
  readonly target: string;
  /** GSM8K's worked solution (with `<<a*b=c>>` calculator annotations); the simulated student reads it. */
  readonly solution?: string;
}

/** A loaded task. */
export interface Task {
  readonly name: TaskName;
  readonly title: string;
  readonly train: readonly Example[];
  readonly val: readonly Example[];
  readonly test: readonly Example[];
  /** TextGrad's starting system prompt for the task. */
  readonly startingPrompt: string;
  /** 1 or 0 for one prediction. */
  score(prediction: string, example: Example): number;
  /** TextGrad's reported test accuracy (%), gpt-3.5-turbo-0125 student, gpt-4o gradients (arXiv 2406.07496 v1, Table 3). */
  readonly reported: { readonly baseline: number; readonly optimized: number };
}

/** TextGrad's parameter role for the system prompt (`evaluation/prompt_optimization.py`). */
export const SYSTEM_PROMPT_ROLE =
  "structured system prompt to a somewhat capable language model that specifies the behavior and strategies for the QA task";

// TextGrad's task descriptions, verbatim (BBH's is used for word sorting too; "mathemetical" is TextGrad's spelling)
const BBH_PROMPT =
  "You will answer a reasoning question. Think step by step. The last line of your response should be of the following format: 'Answer: $VALUE' where VALUE is a numerical value.";
const GSM8K_PROMPT =
  "You will answer a mathemetical reasoning question. Think step by step. The last line of your response should be of the following format: 'Answer: $VALUE' where VALUE is a numerical value.";

const dataFile = (relative: string) => fileURLToPath(new URL(`./data/${relative}`, import.meta.url));

/** Loads a task with TextGrad's splits. */
export function loadTask(name: TaskName): Task {
  if (name === "gsm8k") {
    const read = (split: string) =>
      readFileSync(dataFile(`gsm8k/${split}.jsonl`), "utf8").split("\n").filter((l) => l.trim() !== "").map((line, i) => {
        const row = JSON.parse(line) as { question: string; answer: string };
        const [solution = "", answer = ""] = row.answer.split("#### ");
        // DSPy: str(int(last token without commas)); TextGrad's prompt is "Question: {question}"
        return { id: `gsm8k-${split}-${i}`, input: `Question: ${row.question}`, target: String(Number.parseInt(answer.replace(/,/g, "").trim(), 10)), solution: solution.trim() };
      });
    return {
      name, title: "GSM8K", train: read("train"), val: read("val"), test: read("test"), startingPrompt: GSM8K_PROMPT,
      score: (p, e) => integerMatch(p, e.target), reported: { baseline: 72.9, optimized: 81.1 },
    };
  }
  const file = JSON.parse(readFileSync(dataFile(`bbh/${name}.json`), "utf8")) as { examples: Array<{ input: string; target: string }> };
  const all = file.examples.map((e, i) => ({ id: `${name}-${i}`, input: e.input, target: e.target }));
  const split = { train: all.slice(0, 50), val: all.slice(50, 150), test: all.slice(150) };
  return name === "object_counting"
    ? { name, title: "BBH Object Counting", ...split, startingPrompt: BBH_PROMPT, score: (p, e) => integerMatch(p, e.target), reported: { baseline: 77.8, optimized: 91.9 } }
    : { name, title: "BBH Word Sorting", ...split, startingPrompt: BBH_PROMPT, score: (p, e) => sortedWordsMatch(p, e.target), reported: { baseline: 76.7, optimized: 79.8 } };
}

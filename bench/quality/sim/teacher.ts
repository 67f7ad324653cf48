/**
 * @module bench/quality/sim/teacher
 * The simulated optimizer model (the "teacher": backward engine, optimizer and reducer), standing in for the strong
 * model that writes TextGrad's gradients and updates.
 *
 * - **Backward.** Sees the exchange it is asked about; finds the example by its input text and reads the mistake markers
 *   in the student's reasoning (as a strong model reading a chain of thought would). A prompt gets
 *   `Add the instruction: "<fix>"` per mistake, plus the worked example (`Worked example: … => answer`) as evidence; an
 *   output gets the mistakes and the correct answer. No marker: a generic "double-check" instruction, which fixes nothing.
 *   No wrong answer in the feedback: "No changes needed.".
 * - **Optimizer.** Reads the `<FEEDBACK>` blocks and writes, by a seeded hash of the value and the feedback's
 *   instructions, one of: `general` (weight 0.5) — appends the instructions; `overfit` (0.25) — appends one worked
 *   example instead (it fixes that one question and copies a training input: the overfitting guard's case); `harmful`
 *   (0.25) — appends the instructions plus the harmful instruction of another of the task's mistakes (helps the
 *   minibatch, breaks other examples). No instruction in the feedback: the value comes back unchanged.
 * - **Reducer.** Keeps every distinct instruction and worked example.
 */
import { createHash } from "node:crypto";
import { formatUpdate, SimulatedModel, textgradRule, type SimulatedRequest } from "../../../src/testing/index.js";
import type { Example, TaskName } from "../tasks.js";
import { mistakesOf, type Mistake } from "./mistakes.js";
import { workedExample } from "./student.js";

/** The kinds of proposal the simulated optimizer writes. */
export type TeacherProposalKind = "general" | "overfit" | "harmful";

/** The instruction the backward suggests when the reasoning shows no known mistake; it prevents none. */
export const GENERIC_FIX = "Double-check the answer before writing the last line.";

const NO_CHANGES = "No changes needed.";
const INSTRUCTION = /Add the instruction: "([^"]+)"/g;
const WORKED = /Worked example: [^\n]* => [^\n]+/g;

/** Options of {@link simulatedTeacher}. */
export interface TeacherOptions {
  readonly seed?: number;
  readonly weights?: Readonly<Record<TeacherProposalKind, number>>;
}

/**
 * The teacher model for `task`, knowing its `examples` (to find the one an exchange is about).
 *
 * @example
 * const teacher = simulatedTeacher("gsm8k", [...task.train, ...task.val], { seed: 1 });
 * await optimize({ …, engine: teacher });
 */
export function simulatedTeacher(task: TaskName, examples: readonly Example[], options: TeacherOptions = {}): SimulatedModel<"backward" | "optimizer" | "reduce" | "unknown"> {
  const mistakes = mistakesOf(task);
  const seed = options.seed ?? 0;
  const weights = options.weights ?? { general: 0.5, overfit: 0.25, harmful: 0.25 };
  const findExample = (text: string) => examples.find((e) => text.includes(e.input));
  return new SimulatedModel(
    [
      textgradRule("optimizer", (request) => {
        const feedback = request.feedback.join("\n");
        const value = request.variable ?? "";
        const fixes = distinct([...feedback.matchAll(INSTRUCTION)].map((m) => m[1]!));
        if (fixes.length === 0) return formatUpdate(value, request.tags);
        const worked = distinct([...feedback.matchAll(WORKED)].map((m) => m[0]));
        const kind = choose(`${seed}\u0000${value}\u0000${fixes.join("\n")}\u0000${worked.join("\n")}`, weights);
        const append = (v: string, line: string) => (v.includes(line) ? v : `${v.trimEnd()}\n${line}`);
        if (kind === "overfit" && worked[0] !== undefined) return formatUpdate(append(value, worked[0]), request.tags);
        let next = fixes.reduce(append, value);
        if (kind === "harmful") {
          const others = mistakes.filter((m) => !fixes.includes(m.fix.phrase));
          const pick = others[hash(`${seed}\u0000harm\u0000${fixes.join("\n")}`) % Math.max(1, others.length)] ?? mistakes[0]!;
          next = append(next, pick.harm);
        }
        return formatUpdate(next, request.tags);
      }),
      textgradRule("reduce", (request) => {
        const feedback = request.feedback.join("\n");
        const lines = [
          ...distinct([...feedback.matchAll(INSTRUCTION)].map((m) => `Add the instruction: "${m[1]}"`)),
          ...distinct([...feedback.matchAll(WORKED)].map((m) => m[0])),
        ];
        return lines.length > 0 ? lines.join("\n") : NO_CHANGES;
      }),
      textgradRule("backward", (request, raw) => {
        const feedback = request.feedback.join("\n");
        if (!/\bwrong\b|\bincorrect\b|Add the instruction/i.test(feedback)) return NO_CHANGES;
        const all = `${raw.system ?? ""}\n${raw.prompt}`;
        const made = mistakes.filter((m) => all.includes(m.marker));
        const example = findExample(raw.prompt);
        const fixes = made.length > 0 ? made.map((m) => m.fix.phrase) : [...feedback.matchAll(INSTRUCTION)].map((m) => m[1]!);
        const instructions = (fixes.length > 0 ? distinct(fixes) : [GENERIC_FIX]).map((f) => `Add the instruction: "${f}"`);
        if (isPromptRole(request.role ?? "")) return [...instructions, ...(example ? [workedExample(example)] : [])].join("\n");
        const said = made.map((m: Mistake) => `The response made a mistake: ${m.marker}`);
        return [...said, ...instructions, ...(example ? [`The correct answer is ${example.target}.`] : [])].join("\n");
      }),
      { role: "unknown", matches: () => true, reply: (_r: SimulatedRequest) => "I am a simulated optimizer model and do not know how to answer this request." },
    ],
    { model: "simulated-teacher", record: false },
  );
}

function isPromptRole(role: string): boolean {
  return /prompt|instruction/i.test(role) && !/^\s*(?:the\s+)?(?:output|response|result|reply|reasoning)\b/i.test(role);
}

function choose(key: string, weights: Readonly<Record<TeacherProposalKind, number>>): TeacherProposalKind {
  const total = weights.general + weights.overfit + weights.harmful;
  const draw = (hash(key) / 2 ** 32) * total;
  if (draw < weights.general) return "general";
  return draw < weights.general + weights.overfit ? "overfit" : "harmful";
}

function hash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

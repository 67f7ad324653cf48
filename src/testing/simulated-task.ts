/**
 * @module testing/simulated-task
 * A small simulated task for testing `optimize()` offline: a traced one-module agent whose system prompt decides,
 * per example, whether its simulated student answers right (rules in `simulated-task-world`), a metric with
 * feedback, and a simulated optimizer engine (backward, reduce and update roles) whose proposals are imperfect in
 * documented, seeded ways. Same seed, same world, same proposals.
 *
 * The optimizer's update, for a request whose feedback names some skills' symptoms, is chosen from a seeded hash of
 * (seed, current value, feedback):
 * - "help" (default 55%): adds the missing rules of those skills (or removes a distractor that breaks them);
 * - "overfit" (20%): adds `For "<question>" answer "<answer>".` for one failing training example — right on that
 *   one example only, and exactly what the overfitting guard rejects;
 * - "break" (25%): does what "help" does and also adds a distractor sentence that breaks another skill.
 * Adding both "unit" and "brief" rules makes both wrong, so greedy and Pareto selection keep different prompts.
 */
import { seededUniform } from "../optim/optimize/seeded.js";
import { param, type Param } from "../trace/param.js";
import { tracedEngine } from "../trace/traced-engine.js";
import { traceModule } from "../trace/trace-module.js";
import { SimulatedModel } from "./simulated-model.js";
import { formatUpdate, textgradRule } from "./textgrad-request.js";
import {
  answerCorrectly,
  makeExample,
  overfitLine,
  taskFeedback,
  TASK_DISTRACTORS,
  TASK_SKILLS,
  type TaskExample,
} from "./simulated-task-world.js";

/** How often the simulated optimizer helps, overfits or breaks (relative weights). */
export interface OptimizerBehaviour {
  readonly help?: number;
  readonly overfit?: number;
  readonly break?: number;
}

/** Options of {@link createSimulatedTask}. */
export interface SimulatedTaskOptions {
  /** Seeds the examples and the optimizer's choices. Default 1. */
  readonly seed?: number;
  readonly trainSize?: number;
  readonly valSize?: number;
  readonly testSize?: number;
  /** The starting system prompt. Default "Answer the question." */
  readonly prompt?: string;
  readonly optimizer?: OptimizerBehaviour;
  /** Relative share of each skill among the examples. Default plain 2, unit 3, round 2, upper 2, sort 2, brief 1. */
  readonly mix?: Readonly<Record<string, number>>;
}

/** What the optimizer did with one update request (kept for tests). */
export interface SimulatedUpdate {
  readonly mode: "help" | "overfit" | "break";
  readonly before: string;
  readonly after: string;
}

/** A simulated task: data, a traced agent, a metric and the optimizer's engine. */
export interface SimulatedTask {
  readonly trainset: readonly TaskExample[];
  readonly valset: readonly TaskExample[];
  readonly testset: readonly TaskExample[];
  /** The solver's system prompt, `param("solver.system", …)`. */
  readonly prompt: Param;
  /** The agent: one traced module whose simulated student reads `prompt`. */
  readonly agent: (example: TaskExample) => Promise<string>;
  /** 1 when the output is the expected answer, else 0 with the skill's symptom and the expected answer. */
  readonly metric: (output: string, example: TaskExample) => { score: number; feedback?: string };
  /** The optimizer's engine: simulated backward, reduce and update roles. */
  readonly engine: SimulatedModel<"backward" | "reduce" | "optimizer">;
  /** The student model the agent calls. */
  readonly student: SimulatedModel<"student">;
  /** Every update the optimizer made, in order. */
  readonly updates: readonly SimulatedUpdate[];
  /** Accuracy of a system prompt on a set, computed from the world's rules (no model call). */
  accuracy(prompt: string, set: readonly TaskExample[]): number;
}

const DEFAULT_MIX: Readonly<Record<string, number>> = { plain: 2, unit: 3, round: 2, upper: 2, sort: 2, brief: 1 };

/**
 * Builds the simulated task.
 *
 * @example
 * const task = createSimulatedTask({ seed: 1 });
 * const result = await optimize({ agent: task.agent, trainset: task.trainset, valset: task.valset, metric: task.metric, engine: task.engine, steps: 6 });
 */
export function createSimulatedTask(options: SimulatedTaskOptions = {}): SimulatedTask {
  const seed = options.seed ?? 1;
  const mix = options.mix ?? DEFAULT_MIX;
  const all = makeSet(seed, "all", (options.trainSize ?? 24) + (options.valSize ?? 24) + (options.testSize ?? 24), mix);
  const trainset = all.slice(0, options.trainSize ?? 24);
  const valset = all.slice(trainset.length, trainset.length + (options.valSize ?? 24));
  const testset = all.slice(trainset.length + valset.length);
  const byQuestion = new Map(all.map((e) => [e.question, e]));
  const prompt = param("solver.system", options.prompt ?? "Answer the question.", { role: "system prompt of the solver" });

  const student = new SimulatedModel<"student">([
    {
      role: "student",
      matches: (r) => byQuestion.has(r.prompt),
      reply: (r) => {
        const example = byQuestion.get(r.prompt)!;
        return answerCorrectly(r.system ?? "", example) ? example.answer : example.wrong;
      },
    },
  ]);
  const llm = tracedEngine(student);
  const solve = traceModule("solver", async (question: string) => (await llm.generate({ system: prompt.value, prompt: question })).text, {
    role: "answer to the question",
  });

  const updates: SimulatedUpdate[] = [];
  const weights = { help: options.optimizer?.help ?? 0.55, overfit: options.optimizer?.overfit ?? 0.2, break: options.optimizer?.break ?? 0.25 };
  const engine = new SimulatedModel<"backward" | "reduce" | "optimizer">([
    textgradRule("optimizer", (request, raw) => {
      const before = request.variable ?? "";
      const { after, mode } = update(before, `${raw.system ?? ""}\n${raw.prompt}`, seed, weights);
      updates.push({ mode, before, after });
      return formatUpdate(after, request.tags);
    }),
    textgradRule("reduce", (request) => `<POINT from="1-${request.feedback.length}">${request.feedback.join(" ")}</POINT>`),
    textgradRule("backward", (request) => `The ${request.role ?? "variable"} should make the solver fix this: ${request.feedback.join(" ")}`),
  ]);

  return {
    trainset,
    valset,
    testset,
    prompt,
    agent: (example) => solve(example.question),
    metric: (output, example) => (output === example.answer ? { score: 1 } : { score: 0, feedback: taskFeedback(example) }),
    engine,
    student,
    updates,
    accuracy: (text, set) => set.filter((e) => answerCorrectly(text, e)).length / Math.max(1, set.length),
  };
}

/** `n` examples, skills drawn by `mix`, each made from its own seeded numbers. */
function makeSet(seed: number, name: string, n: number, mix: Readonly<Record<string, number>>): TaskExample[] {
  const skills = TASK_SKILLS.map((s) => s.name).filter((s) => (mix[s] ?? 0) > 0);
  const total = skills.reduce((t, s) => t + mix[s]!, 0);
  const counts = new Map<string, number>();
  const examples: TaskExample[] = [];
  const seen = new Set<string>();
  for (let i = 0; examples.length < n && i < n * 20; i++) {
    let r = seededUniform(seed, name, i, "skill") * total;
    const skill = skills.find((s) => (r -= mix[s]!) < 0) ?? skills[skills.length - 1]!;
    const k = counts.get(skill) ?? 0;
    counts.set(skill, k + 1);
    const example = makeExample(skill, examples.length + 1, (j) => seededUniform(seed, name, i, j));
    if (seen.has(example.question)) continue;
    seen.add(example.question);
    examples.push(example);
  }
  return examples;
}

/** The optimizer's update of `value` given the request text (see the module comment). */
function update(value: string, request: string, seed: number, weights: Required<OptimizerBehaviour>): { after: string; mode: SimulatedUpdate["mode"] } {
  const failing = TASK_SKILLS.filter((s) => request.includes(s.symptom));
  const pairs = [...request.matchAll(/Expected "([^"]+)" for "([^"]+)"/g)].map((m) => ({ answer: m[1]!, question: m[2]! }));
  const key = [seed, value, failing.map((s) => s.name).join(","), pairs.map((p) => p.question).join("|")];
  const total = weights.help + weights.overfit + weights.break;
  const u = seededUniform(...key, "mode") * total;
  const mode: SimulatedUpdate["mode"] = u < weights.help ? "help" : u < weights.help + weights.overfit ? "overfit" : "break";
  if (mode === "overfit" && pairs.length > 0) {
    const pick = pairs[Math.floor(seededUniform(...key, "pair") * pairs.length)]!;
    return { mode, after: join(value, overfitLine(pick.question, pick.answer)) };
  }
  let after = value;
  for (const skill of failing) {
    if (skill.rule !== "" && !after.toLowerCase().includes(skill.rule.toLowerCase())) after = join(after, skill.rule);
  }
  if (after === value) {
    // every rule is there: what still breaks these skills is a distractor; take it out
    for (const d of TASK_DISTRACTORS) if (failing.some((s) => s.name === d.breaks)) after = after.replace(d.text, "").replace(/\s+/g, " ").trim();
  }
  if (mode === "break") {
    const harmful = TASK_DISTRACTORS.filter((d) => !failing.some((s) => s.name === d.breaks) && !after.includes(d.text));
    if (harmful.length > 0) after = join(after, harmful[Math.floor(seededUniform(...key, "distractor") * harmful.length)]!.text);
  }
  return { mode: mode === "overfit" ? "help" : mode, after };
}

function join(value: string, sentence: string): string {
  return `${value.trim()} ${sentence}`.trim();
}


/**
 * @module bench/quality/sim/student
 * The simulated student: a `SimulatedModel` that answers the tasks' questions like a somewhat capable model with the
 * documented mistakes of `mistakes.ts`. It knows each example's answer (it is a simulation, not a solver) and departs
 * from it only through those mistakes, which its system prompt can prevent or force; a worked example copied into the
 * prompt (`workedExample`) makes it answer that one question right. Its reasoning names the mistakes it made, as a
 * chain of thought would, so a strong model reading the reasoning can tell what went wrong.
 */
import { SimulatedModel, type SimulatedRequest } from "../../../src/testing/index.js";
import type { Example, TaskName } from "../tasks.js";
import { beyondReach, lapses, LOST_MARKER, mistakesOf } from "./mistakes.js";

/** The line an overfitting proposal copies into the prompt: one training question with its answer. */
export function workedExample(example: Example): string {
  return `Worked example: ${example.input.replace(/\s+/g, " ")} => ${example.target}`;
}

/** The student's reply to one example under `system`. */
export function studentReply(task: TaskName, example: Example, system: string): string {
  if (system.includes(workedExample(example))) return `This question is the worked example in my instructions.\nAnswer: ${example.target}`;
  let answer = example.target;
  const markers: string[] = [];
  if (beyondReach(task, example)) {
    answer = task === "word_sorting" ? swapFirstTwo(answer) : String(Number.parseInt(answer, 10) + 1);
    markers.push(LOST_MARKER);
  }
  for (const m of mistakesOf(task)) {
    if (!m.applies(example)) continue;
    const forced = system.includes(m.harm);
    if (!forced && (m.fix.pattern.test(system) || !lapses(example, m))) continue;
    answer = m.effect(example, answer);
    markers.push(m.marker);
  }
  return ["I work through the question step by step.", ...markers, `Answer: ${answer}`].join("\n");
}

/**
 * The student model over `examples` (every split of the task): one rule, role "student", that finds the example by its
 * exact input text; a request for an unknown input gets a refusal.
 *
 * @example
 * const student = simulatedStudent("object_counting", [...task.train, ...task.val, ...task.test]);
 * await student.generate({ system: task.startingPrompt, prompt: task.test[0].input });
 */
export function simulatedStudent(task: TaskName, examples: readonly Example[]): SimulatedModel<"student"> {
  const byInput = new Map(examples.map((e) => [e.input.trim(), e]));
  return new SimulatedModel(
    [{ role: "student", matches: () => true, reply: (r: SimulatedRequest) => {
      const example = byInput.get(r.prompt.trim());
      return example ? studentReply(task, example, r.system ?? "") : "I do not recognise this question.\nAnswer: 0";
    } }],
    { model: "simulated-student", record: false },
  );
}

function swapFirstTwo(list: string): string {
  const words = list.split(" ");
  return words.length < 2 ? `${list} ${list}` : [words[1], words[0], ...words.slice(2)].join(" ");
}

// One backward call per node (the default): sections per trainable input, the repair for missing sections, and
// replies that say "no change" delivering nothing (so no optimizer call follows).
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { Variable } from "../../src/core/variable.js";
import { backward } from "../../src/core/backward.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { TGD } from "../../src/optim/tgd.js";
import { extractAllTagged, extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const isBackward = (r: EngineRequest) => r.system?.startsWith("You write feedback") === true;
const isUpdate = (r: EngineRequest) => /IMPROVED_VARIABLE/.test(r.system ?? "");
const section = (id: number, text: string) => `<FEEDBACK_FOR id="${id}">\n${text}\n</FEEDBACK_FOR>`;

/** question and system prompt both trainable: the answer node has two trainable inputs. */
async function twoInputs(backwardReply: (r: EngineRequest) => string) {
  const engine = new FakeEngine((r) => (isUpdate(r) ? "<IMPROVED_VARIABLE>better</IMPROVED_VARIABLE>" : isBackward(r) ? backwardReply(r) : `A:${r.prompt}`));
  const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
  const question = new Variable("How many legs has a spider?", { role: "question", requiresGrad: true });
  const answer = await new LLMCall({ engine, systemPrompt: system }).forward(question, { role: "answer" });
  const loss = await new TextLoss("Judge the answer.", { engine }).forward(answer);
  return { engine, system, question, answer, loss };
}
const answerFeedback = (r: EngineRequest) => extractTagged(r.prompt, "ROLE") === "answer" && !r.prompt.includes("FEEDBACK_FOR");

describe("backward per node", () => {
  it("asks once for all trainable inputs; each section reaches its own input with the shared exchange", async () => {
    const { engine, system, question, loss } = await twoInputs((r) => (answerFeedback(r) ? "Say eight." : `${section(2, "Ask for a number.")}\n${section(1, "Demand a number.")}`));
    const report = await loss.backward({ engine });
    const calls = engine.calls.filter(isBackward);
    expect(calls).toHaveLength(2);
    expect(report.calls).toBe(2);
    expect(extractAllTagged(calls[1]!.prompt, "ROLE")).toEqual(["system prompt", "question"]);
    expect(system.gradients.map((g) => g.text)).toEqual(["Demand a number."]);
    expect(question.gradients.map((g) => g.text)).toEqual(["Ask for a number."]);
    expect(system.gradients[0]!.context).toEqual(question.gradients[0]!.context);
    expect(system.gradients[0]!.from).toBe("answer");
  });

  it("a missing section gets one follow-up asking only for it; still missing, the input is asked about on its own", async () => {
    let node = 0;
    let alone = 0;
    const { engine, system, question, loss } = await twoInputs((r) => {
      if (answerFeedback(r)) return "Say eight.";
      if (!r.prompt.includes("FEEDBACK_FOR") && !r.history) return (alone++, "Ask for a count.");
      node++;
      return r.history ? "I have nothing to add." : section(1, "Demand a number.");
    });
    await loss.backward({ engine });
    expect([node, alone]).toEqual([2, 1]);
    const repair = engine.calls.filter(isBackward).find((c) => c.history)!;
    expect(repair.history?.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(repair.prompt).toContain('<FEEDBACK_FOR id="2">');
    expect(repair.prompt).not.toContain('<FEEDBACK_FOR id="1">');
    expect(system.gradients.map((g) => g.text)).toEqual(["Demand a number."]);
    expect(question.gradients.map((g) => g.text)).toEqual(["Ask for a count."]); // never silently lost
  });

  it("a model that ignores the section format still delivers feedback to every input", async () => {
    const { engine, system, question, loss } = await twoInputs((r) => (answerFeedback(r) ? "Say eight." : "Be more specific."));
    await loss.backward({ engine });
    expect(system.gradients.map((g) => g.text)).toEqual(["Be more specific."]);
    expect(question.gradients.map((g) => g.text)).toEqual(["Be more specific."]);
  });

  it("the repair's sections fill the gaps; an unclosed last section and an echoed format example are read right", async () => {
    const { engine, system, question, loss } = await twoInputs((r) => {
      if (answerFeedback(r)) return "Say eight.";
      if (r.history) return `Sure:\n<feedback_for id='2'>Ask for a count.`;
      return `${section(1, "feedback on the system prompt, or NO_CHANGE")}\n${section(1, "Demand a number.")}`;
    });
    await loss.backward({ engine });
    expect(system.gradients.map((g) => g.text)).toEqual(["Demand a number."]);
    expect(question.gradients.map((g) => g.text)).toEqual(["Ask for a count."]);
  });

  it("a NO_CHANGE section or an empty one delivers nothing, and costs no repair", async () => {
    const { engine, system, question, loss } = await twoInputs((r) => (answerFeedback(r) ? "Say eight." : `${section(1, "NO_CHANGE")}\n${section(2, "")}`));
    await loss.backward({ engine });
    expect(engine.calls.filter(isBackward)).toHaveLength(2);
    expect([system.gradients, question.gradients]).toEqual([[], []]);
  });

  it('"No changes needed." is not feedback: nothing is delivered and TGD makes no optimizer call', async () => {
    for (const feedback of ["per-node", "per-input"] as const) {
      const { engine, system, loss } = await twoInputs((r) => (answerFeedback(r) ? "Say eight." : r.prompt.includes("FEEDBACK_FOR") ? section(1, "No changes needed.") + section(2, "NO_CHANGE") : "No changes needed."));
      await loss.backward({ engine, feedback });
      expect(system.gradients).toEqual([]);
      const before = engine.calls.length;
      expect(await new TGD({ parameters: [system], engine }).step()).toEqual([]);
      expect(engine.calls.length).toBe(before);
    }
  });

  it("at the loss: a judge that finds nothing to change stops the pass (no feedback anywhere)", async () => {
    const { engine, system, answer, loss } = await twoInputs(() => "NO_CHANGE");
    const report = await loss.backward({ engine });
    expect(report.calls).toBe(1);
    expect([answer.gradients, system.gradients]).toEqual([[], []]);
  });

  it("a string function with two trainable inputs asks once too", async () => {
    const engine = new FakeEngine(() => `${section(1, "Use digits.")}\n${section(2, "Drop the unit.")}`);
    const prediction = new Variable("eight", { role: "prediction", requiresGrad: true });
    const truth = new Variable("8 legs", { role: "ground truth", requiresGrad: true });
    const metric = new StringBasedFunction({ purpose: "exact match", fn: ({ prediction: p, truth: t }) => Number(p!.value === t!.value) });
    await backward(metric.forward({ prediction, truth }), { engine });
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]!.prompt).toContain("<INPUTS_TO_FUNCTION>");
    expect([prediction.gradientText(), truth.gradientText()]).toEqual(["Use digits.", "Drop the unit."]);
  });

  it("rejects an unknown feedback mode before any call", async () => {
    const { engine, loss } = await twoInputs(() => "x");
    const before = engine.calls.length;
    await expect(loss.backward({ engine, feedback: "per-edge" as never })).rejects.toThrow(InvalidArgumentError);
    expect(engine.calls.length).toBe(before);
  });
});

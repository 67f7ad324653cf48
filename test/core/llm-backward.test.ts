import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { extractTagged } from "../../src/prompts/tags.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const BACKWARD = [renderBackwardSystemPrompt(), renderBackwardSystemPrompt("per-input")];
const isBackward = (r: EngineRequest) => BACKWARD.includes(r.system ?? "");
/** Forward calls answer "A:<input>"; backward calls answer "feedback for <role>". */
const router = () =>
  new FakeEngine((r) => (isBackward(r) ? `feedback for ${extractTagged(r.prompt, "ROLE")}` : `A:${r.prompt}`));

async function chain(options: { questionTrainable?: boolean } = {}) {
  const engine = router();
  const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
  const question = new Variable("How many legs has a spider?", { role: "question", requiresGrad: options.questionTrainable ?? false });
  const answer = await new LLMCall({ engine, systemPrompt: system }).forward(question, { role: "answer" });
  const loss = await new TextLoss("Judge the answer.", { engine }).forward(answer);
  return { engine, system, question, answer, loss };
}

describe("LLM call backward", () => {
  it("the loss runs in evaluation mode and the answer's feedback carries the evaluation conversation", async () => {
    const { engine, answer, loss } = await chain();
    await loss.backward({ engine });
    const first = engine.calls.filter(isBackward)[0]!;
    expect(extractTagged(first.prompt, "ROLE")).toBe("answer");
    expect(first.prompt).not.toContain("<OBJECTIVE_FUNCTION>");
    expect(first.prompt).toContain("output is an evaluation of the variable");
    expect(extractTagged(first.prompt, "LM_SYSTEM_PROMPT")).toBe("Judge the answer.");
    expect(extractTagged(first.prompt, "LM_INPUT")).toBe(answer.value);
    expect(extractTagged(first.prompt, "LM_OUTPUT")).toBe(loss.value);
    expect(answer.gradients).toEqual([
      {
        text: "feedback for answer",
        from: loss.role,
        context: { kind: "llm", conversation: expect.stringContaining("<LM_OUTPUT>"), usedAs: loss.role },
      },
    ]);
  });

  it("chain mode shows the conversation, how the output was used and the downstream feedback", async () => {
    const { engine, system, question, answer, loss } = await chain();
    await loss.backward({ engine });
    const calls = engine.calls.filter(isBackward);
    expect(calls).toHaveLength(2); // the frozen question and the frozen judge instruction get none
    const prompt = calls[1]!.prompt;
    expect(extractTagged(prompt, "ROLE")).toBe("system prompt");
    expect(extractTagged(prompt, "LM_SYSTEM_PROMPT")).toBe(system.value);
    expect(extractTagged(prompt, "LM_INPUT")).toBe(question.value);
    expect(extractTagged(prompt, "LM_OUTPUT")).toBe(answer.value);
    expect(extractTagged(prompt, "OBJECTIVE_FUNCTION")).toBe("feedback for answer");
    expect(extractTagged(prompt, "VARIABLE")).toBe(system.value);
    expect(prompt).toContain(`used as ${answer.role}`);
    expect(system.gradients.map((g) => [g.text, g.from, g.context?.usedAs])).toEqual([["feedback for system prompt", "answer", "answer"]]);
    expect(question.gradients).toEqual([]);
  });

  it("per-input mode (TextGrad's): asks once per trainable input, each seeing the same conversation", async () => {
    const { engine, system, question, loss } = await chain({ questionTrainable: true });
    await loss.backward({ engine, feedback: "per-input" });
    const roles = engine.calls.filter(isBackward).map((r) => extractTagged(r.prompt, "ROLE"));
    expect(roles).toEqual(["answer", "system prompt", "question"]);
    expect(system.gradients[0]!.context!.conversation).toBe(question.gradients[0]!.context!.conversation);
  });

  it("numbers several pieces of downstream feedback, in delivery order", async () => {
    const engine = router();
    const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
    const answer = await new LLMCall({ engine, systemPrompt: system }).forward(new Variable("q", { role: "question" }), { role: "answer" });
    answer.addGradient({ text: "too long", from: "judge 1" });
    answer.addGradient({ text: "wrong unit", from: "judge 2" });
    await answer.backward({ engine });
    expect(extractTagged(engine.calls.at(-1)!.prompt, "OBJECTIVE_FUNCTION")).toBe("1. too long\n\n2. wrong unit");
  });

  it("shows the variable's full value, however long (TextGrad cut it to 20 words)", async () => {
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
    const engine = router();
    const system = new Variable(long, { role: "system prompt", requiresGrad: true });
    const answer = await new LLMCall({ engine, systemPrompt: system }).forward(new Variable("q", { role: "question" }));
    const loss = await new TextLoss("Judge.", { engine }).forward(answer);
    await loss.backward({ engine });
    expect(extractTagged(engine.calls.at(-1)!.prompt, "VARIABLE")).toBe(long);
  });

  it("an empty or blank reply from the backward engine delivers no feedback", async () => {
    const engine = new FakeEngine((r) => (isBackward(r) ? "  \n " : "reply"));
    const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
    const answer = await new LLMCall({ engine, systemPrompt: system }).forward(new Variable("q", { role: "question" }));
    const loss = await new TextLoss("Judge.", { engine }).forward(answer);
    await loss.backward({ engine });
    expect(answer.gradients).toEqual([]);
    expect(system.gradients).toEqual([]);
    expect(engine.calls.filter(isBackward)).toHaveLength(1); // nothing reached the answer, so it had nothing to pass on
  });

  it("leaves out the system prompt block when the call had none", async () => {
    const engine = router();
    const question = new Variable("q", { role: "question", requiresGrad: true });
    const answer = await new LLMCall({ engine }).forward(question);
    await (await new TextLoss("Judge.", { engine }).forward(answer)).backward({ engine });
    const last = engine.calls.at(-1)!.prompt;
    expect(last).not.toContain("LM_SYSTEM_PROMPT");
    expect(extractTagged(last, "LM_INPUT")).toBe("q");
  });
});

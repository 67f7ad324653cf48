// The same feedback text reaching one parameter more than once (two consumers sending back the same gradient) is
// shown once in the default update prompt, with its senders and count, even when everything fits the budget.
// TextGrad's exact prompt keeps every repeat.
import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import type { Gradient } from "../../src/core/feedback.js";
import { TGD } from "../../src/optim/tgd.js";
import { extractAllTagged, extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const SAME = "Name the units of the final number.";
const exchange = (n: number) => `<LM_INPUT>\nquestion ${n}\n</LM_INPUT>\n<LM_OUTPUT>\nanswer ${n}\n</LM_OUTPUT>`;
const fromConsumer = (text: string, consumer: string, n: number): Gradient => ({ text, from: consumer, context: { kind: "llm", conversation: exchange(n), usedAs: consumer } });

async function updatePrompt(update?: "reduced" | "textgrad") {
  const p = new Variable("You answer physics questions.", { role: "system prompt", requiresGrad: true });
  p.addGradient(fromConsumer(SAME, "summary", 1));
  p.addGradient(fromConsumer("Keep it short.", "summary", 1));
  p.addGradient(fromConsumer(SAME, "answer", 2));
  const engine = new FakeEngine(["<IMPROVED_VARIABLE>You answer physics questions, with units.</IMPROVED_VARIABLE>"]);
  const [proposal] = await new TGD({ parameters: [p], engine, ...(update ? { update } : {}) }).step();
  return { prompt: engine.calls[0]!.prompt, proposal: proposal!, calls: engine.calls.length, value: p.value };
}

describe("TGD: repeated feedback on one parameter", () => {
  it("default mode: a repeated text is shown once, under the budget, with its senders and count", async () => {
    const { prompt, proposal, calls, value } = await updatePrompt();
    expect(calls).toBe(1); // small feedback: no reduce call
    const shown = extractAllTagged(extractTagged(prompt, "CONTEXT")!, "FEEDBACK");
    expect(shown).toEqual([SAME, "Keep it short."]);
    expect(prompt).toContain("summary; answer (the same feedback arrived 2 times)");
    expect(extractAllTagged(prompt, "CONVERSATION")).toEqual([exchange(1), exchange(1)]); // each distinct text keeps its exchange
    expect(proposal.feedback?.method).toBe("all");
    expect(proposal.feedback?.points).toEqual([
      { text: SAME, items: [0, 2], from: ["summary", "answer"] },
      { text: "Keep it short.", items: [1], from: ["summary"] },
    ]);
    expect(value).toBe("You answer physics questions, with units.");
  });

  it('update: "textgrad" still shows every repeat with its own exchange', async () => {
    const { prompt } = await updatePrompt("textgrad");
    expect(extractAllTagged(extractTagged(prompt, "CONTEXT")!, "FEEDBACK")).toEqual([SAME, "Keep it short.", SAME]);
    expect(extractAllTagged(prompt, "CONVERSATION")).toEqual([exchange(1), exchange(1), exchange(2)]);
    expect(prompt).not.toContain("arrived 2 times");
  });
});

// Engine-call counts against TextGrad's (reference §2.8). With feedback: "per-input" the counts are TextGrad's; the
// default asks once per node, which only differs where a node has several trainable inputs.
import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { BlackboxLLM } from "../../src/core/functions/blackbox-llm.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { TGD } from "../../src/optim/tgd.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";
import type { FeedbackMode } from "../../src/core/feedback.js";

const engineFor = () =>
  new FakeEngine((r) => (/IMPROVED_VARIABLE/.test(r.system ?? "") ? "<IMPROVED_VARIABLE>better</IMPROVED_VARIABLE>" : "ok"));

/** Backward replies: one section per variable when asked about several (per-node mode), else plain feedback. */
const sectionsReply = (prompt: string) => {
  const ids = [...prompt.matchAll(/<FEEDBACK_FOR id="(\d+)">/g)].map((m) => m[1]);
  return ids.length === 0 ? "ok" : [...new Set(ids)].map((id) => `<FEEDBACK_FOR id="${id}">ok ${id}</FEEDBACK_FOR>`).join("\n");
};
const sectionsEngine = () =>
  new FakeEngine((r) => (/IMPROVED_VARIABLE/.test(r.system ?? "") ? "<IMPROVED_VARIABLE>better</IMPROVED_VARIABLE>" : sectionsReply(r.prompt)));

async function chainCalls(
  n: number,
  options: { feedback?: FeedbackMode; everyPromptTrainable?: boolean } = {},
): Promise<{ forward: number; backward: number; step: number }> {
  const engine = sectionsEngine();
  const prompt = (i: number) => new Variable(`You are step ${i}.`, { role: `system prompt ${i}`, requiresGrad: true });
  const params = [prompt(1)];
  let h = new Variable("x", { role: "question" });
  h = await new LLMCall({ engine, systemPrompt: params[0] }).forward(h, { role: "step 1" });
  for (let i = 2; i <= n; i++) {
    const system = options.everyPromptTrainable ? prompt(i) : undefined;
    if (system) params.push(system);
    h = await new LLMCall({ engine, ...(system ? { systemPrompt: system } : {}) }).forward(h, { role: `step ${i}` });
  }
  const loss = await new TextLoss("Judge.", { engine }).forward(h);
  const forward = engine.calls.length;
  await loss.backward({ engine, ...(options.feedback ? { feedback: options.feedback } : {}) });
  const backward = engine.calls.length - forward;
  await new TGD({ parameters: params, engine }).step();
  return { forward, backward, step: engine.calls.length - forward - backward };
}

describe("call counts match TextGrad", () => {
  it.each([1, 3])("chain of N=%i LLM calls + TextLoss: forward N+1, backward N+1, step 1 = 2N+3 (both modes)", async (n) => {
    for (const feedback of ["per-input", "per-node"] as const) {
      const counts = await chainCalls(n, { feedback });
      expect(counts).toEqual({ forward: n + 1, backward: n + 1, step: 1 });
      expect(counts.forward + counts.backward + counts.step).toBe(2 * n + 3);
    }
  });

  it.each([1, 3])("chain of N=%i, every system prompt trainable: per-input 4N+1 (backward 2N), default 3N+2 (backward N+1)", async (n) => {
    const perInput = await chainCalls(n, { feedback: "per-input", everyPromptTrainable: true });
    expect(perInput).toEqual({ forward: n + 1, backward: 2 * n, step: n });
    expect(perInput.forward + perInput.backward + perInput.step).toBe(4 * n + 1);
    const perNode = await chainCalls(n, { everyPromptTrainable: true });
    expect(perNode).toEqual({ forward: n + 1, backward: n + 1, step: n });
    expect(perNode.forward + perNode.backward + perNode.step).toBe(3 * n + 2);
  });

  it.each(["per-input", "per-node"] as const)("prompt optimization, batch B=3, string metric, sum of losses: B + 2B + 1 = 3B+1 (%s)", async (feedback) => {
    const engine = engineFor();
    const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
    const model = new BlackboxLLM({ engine, systemPrompt: system });
    const metric = new StringBasedFunction({ purpose: "exact match", fn: ({ prediction, truth }) => Number(prediction!.value === truth!.value) });
    const batch = ["a", "b", "c"].map((q) => ({ question: new Variable(q, { role: "question" }), truth: new Variable("42", { role: "truth" }) }));
    const predictions = await Promise.all(batch.map((s) => model.forward(s.question, { role: "prediction" })));
    const losses = predictions.map((prediction, i) => metric.forward({ prediction, truth: batch[i]!.truth }));
    await sum(losses).backward({ engine, feedback });
    const opt = new TGD({ parameters: [system], engine });
    await opt.step();
    expect(engine.calls).toHaveLength(3 * 3 + 1);
    expect(system.value).toBe("better");
    expect(system.gradients).toHaveLength(3); // one per sample
  });
});

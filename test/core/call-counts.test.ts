// Engine-call counts against TextGrad's (reference §2.8): same number of calls, now partly concurrent.
import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { BlackboxLLM } from "../../src/core/functions/blackbox-llm.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { TGD } from "../../src/optim/tgd.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const engineFor = () =>
  new FakeEngine((r) => (/IMPROVED_VARIABLE/.test(r.system ?? "") ? "<IMPROVED_VARIABLE>better</IMPROVED_VARIABLE>" : "ok"));

async function chainCalls(n: number): Promise<{ forward: number; backward: number; step: number }> {
  const engine = engineFor();
  const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
  let h = new Variable("x", { role: "question" });
  h = await new LLMCall({ engine, systemPrompt: system }).forward(h, { role: "step 1" });
  for (let i = 2; i <= n; i++) h = await new LLMCall({ engine }).forward(h, { role: `step ${i}` });
  const loss = await new TextLoss("Judge.", { engine }).forward(h);
  const forward = engine.calls.length;
  await loss.backward({ engine });
  const backward = engine.calls.length - forward;
  await new TGD({ parameters: [system], engine }).step();
  return { forward, backward, step: engine.calls.length - forward - backward };
}

describe("call counts match TextGrad", () => {
  it.each([1, 3])("chain of N=%i LLM calls + TextLoss: forward N+1, backward N+1, step 1 = 2N+3", async (n) => {
    const counts = await chainCalls(n);
    expect(counts).toEqual({ forward: n + 1, backward: n + 1, step: 1 });
    expect(counts.forward + counts.backward + counts.step).toBe(2 * n + 3);
  });

  it("prompt optimization, batch B=3, string metric, sum of losses: B + 2B + 1 = 3B+1", async () => {
    const engine = engineFor();
    const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
    const model = new BlackboxLLM({ engine, systemPrompt: system });
    const metric = new StringBasedFunction({ purpose: "exact match", fn: ({ prediction, truth }) => Number(prediction!.value === truth!.value) });
    const batch = ["a", "b", "c"].map((q) => ({ question: new Variable(q, { role: "question" }), truth: new Variable("42", { role: "truth" }) }));
    const predictions = await Promise.all(batch.map((s) => model.forward(s.question, { role: "prediction" })));
    const losses = predictions.map((prediction, i) => metric.forward({ prediction, truth: batch[i]!.truth }));
    await sum(losses).backward({ engine });
    const opt = new TGD({ parameters: [system], engine });
    await opt.step();
    expect(engine.calls).toHaveLength(3 * 3 + 1);
    expect(system.value).toBe("better");
    expect(system.gradients).toHaveLength(3); // one per sample
  });
});

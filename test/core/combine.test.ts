// sum and aggregate backward: every input fed exactly once, evaluation mode kept under a sum root, summaries with context.
import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { aggregate } from "../../src/core/functions/aggregate.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { renderReduceSystemPrompt } from "../../src/prompts/combine.js";
import { extractAllTagged, extractTagged } from "../../src/prompts/tags.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const BACKWARD = renderBackwardSystemPrompt();
const REDUCE = renderReduceSystemPrompt();
const isBackward = (r: EngineRequest) => r.system === BACKWARD;
const router = () =>
  new FakeEngine((r) =>
    r.system === REDUCE ? "SUMMARY" : isBackward(r) ? `feedback for ${extractTagged(r.prompt, "ROLE")}` : `reply to ${r.prompt}`,
  );
const trainable = (value: string, role: string) => new Variable(value, { role, requiresGrad: true });

describe("sum", () => {
  it("feeds every trainable input exactly once (TextGrad added each gradient twice)", async () => {
    const engine = router();
    const a = trainable("first answer", "answer A");
    const b = trainable("second answer", "answer B");
    const frozen = new Variable("context", { role: "context" });
    const combined = sum([a, frozen, b]);
    const loss = await new TextLoss("Judge both answers.", { engine }).forward(combined);
    await loss.backward({ engine });
    expect(a.gradients).toHaveLength(1);
    expect(b.gradients).toHaveLength(1);
    expect(frozen.gradients).toHaveLength(0);
    expect(a.gradients[0]!.text).toContain(`feedback for ${combined.role}`);
    expect(a.gradients[0]!.text).toContain("combination of this answer A");
    expect(a.gradients[0]!.context).toMatchObject({ kind: "combine", conversation: expect.stringContaining("<LM_SYSTEM_PROMPT>") });
    expect(engine.calls.filter(isBackward)).toHaveLength(1); // the sum itself costs nothing
  });

  it("as the root, keeps LLM-judge losses in evaluation mode (TextGrad ran them in chain mode with an empty objective)", async () => {
    const engine = router();
    const answers = [trainable("x = 1", "answer 1"), trainable("x = 2", "answer 2")];
    const judge = new TextLoss("Is the answer right?", { engine });
    const losses = await Promise.all(answers.map((a) => judge.forward(a)));
    await sum(losses).backward({ engine });
    const prompts = engine.calls.filter(isBackward).map((r) => r.prompt);
    expect(prompts).toHaveLength(2);
    for (const p of prompts) {
      expect(p).not.toContain("<OBJECTIVE_FUNCTION>");
      expect(p).toContain("output is an evaluation of the variable");
    }
    expect(answers.map((a) => a.gradients.length)).toEqual([1, 1]);
  });

  it("as the root over string-function losses, also evaluates each one", async () => {
    const engine = router();
    const metric = new StringBasedFunction({ purpose: "exact match", fn: ({ p, t }) => (p!.value === t!.value ? 1 : 0) });
    const preds = [trainable("3", "prediction 1"), trainable("4", "prediction 2")];
    const losses = preds.map((p) => metric.forward({ p, t: new Variable("4", { role: "truth" }) }));
    expect(losses.map((l) => l.value)).toEqual(["0", "1"]);
    await sum(losses).backward({ engine });
    const prompts = engine.calls.filter(isBackward).map((r) => r.prompt);
    expect(prompts.map((p) => extractTagged(p, "OUTPUT_OF_FUNCTION"))).toEqual(["0", "1"]);
    expect(prompts.every((p) => !p.includes("<OBJECTIVE_FUNCTION>"))).toBe(true);
  });
});

describe("aggregate", () => {
  it("summarises all its feedback in one call, keeping each exchange, and feeds the summary to every input", async () => {
    const engine = router();
    const a = trainable("first", "part A");
    const b = trainable("second", "part B");
    const combined = aggregate([a, b]);
    const j1 = await new TextLoss("Judge style.", { engine }).forward(combined);
    const j2 = await new TextLoss("Judge facts.", { engine }).forward(combined);
    await sum([j1, j2]).backward({ engine });
    const reduce = engine.calls.filter((r) => r.system === REDUCE);
    expect(reduce).toHaveLength(1);
    expect(extractAllTagged(reduce[0]!.prompt, "FEEDBACK")).toEqual([`feedback for ${combined.role}`, `feedback for ${combined.role}`]);
    const conversations = extractAllTagged(reduce[0]!.prompt, "CONVERSATION");
    expect(conversations).toHaveLength(2);
    expect(conversations.some((c) => c.includes("Judge style."))).toBe(true);
    expect(conversations.some((c) => c.includes("Judge facts."))).toBe(true);
    for (const v of [a, b]) {
      expect(v.gradients).toHaveLength(1);
      expect(v.gradients[0]!.text).toContain("SUMMARY");
      expect(v.gradients[0]!.context!.kind).toBe("summary");
      expect(v.gradients[0]!.context!.conversation).toContain("Judge style.");
      expect(v.gradients[0]!.context!.conversation).toContain("Judge facts.");
    }
  });

  it("as the root, passes evaluation mode through without a reduce call", async () => {
    const engine = router();
    const answers = [trainable("1", "answer 1"), trainable("2", "answer 2")];
    const judge = new TextLoss("Judge.", { engine });
    await aggregate(await Promise.all(answers.map((x) => judge.forward(x)))).backward({ engine });
    expect(engine.calls.filter((r) => r.system === REDUCE)).toHaveLength(0);
    expect(answers.map((x) => x.gradients.length)).toEqual([1, 1]);
  });

  it("with a single piece of feedback, passes it on without a reduce call", async () => {
    const engine = router();
    const a = trainable("first", "part A");
    const loss = await new TextLoss("Judge.", { engine }).forward(aggregate([a, trainable("b", "part B")]));
    await loss.backward({ engine });
    expect(engine.calls.filter((r) => r.system === REDUCE)).toHaveLength(0);
    expect(a.gradients).toHaveLength(1);
  });
});

describe("StringBasedFunction", () => {
  it("accepts numbers, names its inputs with roles in the backward prompt, and keeps chain feedback", async () => {
    const engine = router();
    const draft = trainable("draft text", "draft");
    const fmt = new StringBasedFunction({ purpose: "upper-case the draft", fn: ({ draft: d }) => d!.value.toUpperCase() });
    const shown = fmt.forward({ draft });
    expect(shown.role).toContain("upper-case the draft");
    const loss = await new LLMCall({ engine, systemPrompt: "Judge." }).forward(shown);
    await loss.backward({ engine });
    const prompt = engine.calls.at(-1)!.prompt;
    expect(extractTagged(prompt, "FUNCTION_PURPOSE")).toBe("upper-case the draft");
    expect(extractTagged(prompt, "INPUTS_TO_FUNCTION")).toBe("**draft** (role: draft):\ndraft text");
    expect(extractTagged(prompt, "OUTPUT_OF_FUNCTION")).toBe("DRAFT TEXT");
    expect(extractTagged(prompt, "OBJECTIVE_FUNCTION")).toBe(`feedback for ${shown.role}`);
    expect(draft.gradients[0]!.context!.kind).toBe("function");
  });
});

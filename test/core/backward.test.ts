// The backward scheduler's promises: feedback order is forward order whatever the completion order, and a failed
// backward leaves every variable's feedback exactly as it was.
import { describe, expect, it } from "vitest";
import { EngineCallError, InvalidArgumentError, NoEngineError, TracegradError } from "../../src/errors.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import type { Gradient } from "../../src/core/feedback.js";
import type { BackwardRule } from "../../src/core/feedback.js";
import { passThroughRule } from "../../src/core/pass-through.js";
import { Variable } from "../../src/core/variable.js";
import { backward } from "../../src/core/backward.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { extractTagged } from "../../src/prompts/tags.js";

const BACKWARD = [renderBackwardSystemPrompt(), renderBackwardSystemPrompt("per-input")];
const isBackward = (r: EngineRequest) => BACKWARD.includes(r.system ?? "");
/** The sample a backward request is about: the first "q<digit>" in its prompt. */
const sampleOf = (r: EngineRequest) => Number(/\bq(\d)\b/.exec(r.prompt)?.[1] ?? -1);

/** A plain Engine (no test double from src/testing, so these tests depend on core alone). */
function engineOf(reply: (r: EngineRequest) => string | Promise<string>): Engine & { readonly finished: EngineRequest[] } {
  const finished: EngineRequest[] = [];
  return {
    finished,
    generate: async (r) => {
      const text = await reply(r);
      finished.push(r);
      return { text };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forwardReply = (r: EngineRequest) => `ans ${r.prompt}`;
const feedbackReply = (r: EngineRequest) => `fb ${extractTagged(r.prompt, "ROLE")} q${sampleOf(r)}`;

/** Batch of `size`: answers a_i = LLM(system, q_i), losses l_i = TextLoss(a_i), root = sum(losses). */
async function batch(size: number, options: { trainableQuestions?: boolean } = {}) {
  const engine = engineOf(forwardReply);
  const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
  const questions = Array.from({ length: size }, (_, i) => new Variable(`q${i}`, { role: `question ${i}`, requiresGrad: options.trainableQuestions ?? false }));
  const model = new LLMCall({ engine, systemPrompt: system });
  const judge = new TextLoss("Judge the answer.", { engine });
  const answers: Variable[] = [];
  for (const [i, q] of questions.entries()) answers.push(await model.forward(q, { role: `answer ${i}` }));
  const losses: Variable[] = [];
  for (const a of answers) losses.push(await judge.forward(a));
  const root = sum(losses, { role: "batch loss" });
  return { system, questions, answers, losses, root, all: [system, ...questions, ...answers, ...losses, root] };
}

const snapshot = (vs: readonly Variable[]): Gradient[][] => vs.map((v) => [...v.gradients]);

describe("backward: feedback order", () => {
  it("a node with several successors gets their feedback in forward order, even when replies arrive in reverse", async () => {
    const { system, root } = await batch(3);
    // the three calls for the system prompt are held until all are in flight, then answered q2 first, q0 last
    const held: Array<{ sample: number; release: () => void }> = [];
    const engine = engineOf(async (r) => {
      if (extractTagged(r.prompt, "ROLE") === "system prompt") {
        await new Promise<void>((release) => {
          held.push({ sample: sampleOf(r), release });
          if (held.length === 3) void releaseInReverse();
        });
      }
      return feedbackReply(r);
    });
    const releaseInReverse = async () => {
      for (const h of held.sort((a, b) => b.sample - a.sample)) {
        h.release();
        await sleep(1); // let the scheduler take this reply in before the next one arrives
      }
    };
    const report = await root.backward({ engine });
    const toSystem = engine.finished.filter((r) => extractTagged(r.prompt, "ROLE") === "system prompt").map(sampleOf);
    expect(toSystem).toEqual([2, 1, 0]); // the replies really did arrive in reverse
    expect(system.gradients.map((g) => g.text)).toEqual(["fb system prompt q0", "fb system prompt q1", "fb system prompt q2"]);
    expect(system.gradients.map((g) => g.from)).toEqual(["answer 0", "answer 1", "answer 2"]);
    expect(report).toEqual({ nodes: 8, rulesRun: 7, calls: 6 });
  });

  it("the order does not depend on concurrency", async () => {
    const texts: string[][] = [];
    for (const concurrency of [1, 2, 8]) {
      const { system, root } = await batch(3);
      await backward(root, { engine: engineOf(async (r) => (await sleep((3 - sampleOf(r)) * 3), feedbackReply(r))), concurrency });
      texts.push(system.gradients.map((g) => g.text));
    }
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
  });

  it("the backward() verb and loss.backward() do the same pass", async () => {
    const a = await batch(2);
    const b = await batch(2);
    const engine = engineOf(feedbackReply);
    expect(await backward(a.root, { engine })).toEqual(await b.root.backward({ engine }));
    expect(snapshot(a.all)).toEqual(snapshot(b.all));
  });

  it("backward() without an engine is a NoEngineError naming the root and the fix", async () => {
    const { root } = await batch(1);
    const error = await backward(root, { engine: undefined as unknown as Engine }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoEngineError);
    expect((error as Error).message).toContain('"batch loss"');
    expect((error as Error).message).toContain("pass { engine } to backward()");
  });

  it("backward() on something that is not a node is an InvalidArgumentError", async () => {
    for (const loss of [undefined, null, "loss", { role: "no predecessors" }]) {
      await expect(backward(loss as unknown as Variable, { engine: engineOf(feedbackReply) })).rejects.toThrow(InvalidArgumentError);
    }
  });
});

describe("backward: a failure keeps nothing", () => {
  // per-input, so the failing call (sample 1, system prompt) is a different call from question 1's feedback
  /** q1's call for the system prompt fails once sample 0's branch has delivered to question 0 (a leaf it alone feeds). */
  const failingOnSample1 = () => {
    let sample0Done = () => {};
    const sample0 = new Promise<void>((resolve) => (sample0Done = resolve));
    return engineOf(async (r) => {
      const role = extractTagged(r.prompt, "ROLE");
      if (isBackward(r) && sampleOf(r) === 1 && role === "system prompt") {
        await sample0;
        await sleep(1); // the scheduler commits question 0's feedback in the meantime
        throw new Error("boom");
      }
      if (role === "question 0") setTimeout(sample0Done, 0);
      return feedbackReply(r);
    });
  };

  it("leaves every variable's feedback exactly as it was before the call", async () => {
    const graph = await batch(2, { trainableQuestions: true });
    graph.system.addGradient({ text: "earlier feedback", from: "an earlier pass" });
    const before = snapshot(graph.all);
    const engine = failingOnSample1();
    const error = await graph.root.backward({ engine, feedback: "per-input" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EngineCallError);
    expect(TracegradError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('for "system prompt"');
    expect((error as Error).message).toContain("No feedback was kept");
    expect((error as Error).message).toContain("call backward() again");
    // sample 0's branch did deliver (its question got feedback) before the failure: the rollback had work to do
    expect(engine.finished.some((r) => sampleOf(r) === 0 && extractTagged(r.prompt, "ROLE") === "question 0")).toBe(true);
    expect(snapshot(graph.all)).toEqual(before);
    for (const [i, v] of graph.all.entries()) expect(v.gradients).toEqual(before[i]);
  });

  it("a second backward with a working engine gives exactly one copy of each piece of feedback", async () => {
    const graph = await batch(2, { trainableQuestions: true });
    await graph.root.backward({ engine: failingOnSample1(), feedback: "per-input" }).catch(() => undefined);
    await graph.root.backward({ engine: engineOf(feedbackReply), feedback: "per-input" });

    const reference = await batch(2, { trainableQuestions: true });
    await reference.root.backward({ engine: engineOf(feedbackReply), feedback: "per-input" });
    expect(snapshot(graph.all)).toEqual(snapshot(reference.all));
    expect(graph.system.gradients.map((g) => g.text)).toEqual(["fb system prompt q0", "fb system prompt q1"]);
    expect(graph.questions.map((q) => q.gradients.length)).toEqual([1, 1]);
    expect(graph.answers.map((a) => a.gradients.length)).toEqual([1, 1]);
  });

  it("a rule that throws a plain error becomes an EngineCallError naming the node and rule, and keeps nothing", async () => {
    const leaf = new Variable("x", { role: "leaf", requiresGrad: true });
    const good = sum([leaf], { role: "good" });
    const bad = new Variable("y", {
      role: "bad",
      predecessors: [leaf],
      backwardRule: { name: "custom.backward", run: async () => Promise.reject(new Error("custom rule broke")) },
    });
    const both = sum([good, bad], { role: "both" });
    const loss = await new TextLoss("Judge.", { engine: engineOf(forwardReply) }).forward(both);
    const before = snapshot([leaf, good, bad, both, loss]);
    const error = await loss.backward({ engine: engineOf(async (r) => (await sleep(1), feedbackReply(r))) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toContain('"bad" (custom.backward)');
    expect((error as Error).message).toContain("custom rule broke");
    expect((error as EngineCallError).cause).toBeInstanceOf(Error);
    expect(both.gradients).toEqual([]); // it had received the judge's feedback before "bad" failed
    expect(snapshot([leaf, good, bad, both, loss])).toEqual(before);
  });

  /** A rule that sends a new piece of feedback, `text`, to each target (no engine call). */
  const give = (text: string): BackwardRule => ({
    name: "give.backward",
    run: async ({ targets }) => targets.map((target) => ({ target, gradient: { text, from: "root" } })),
  });
  /** A rule that fails after `ms`, or delivers "ok" when `fail()` is false. */
  const failsWhen = (fail: () => boolean, ms: number): BackwardRule => ({
    name: "flaky.backward",
    run: async ({ targets }) => {
      await sleep(ms);
      if (fail()) throw new EngineCallError("flaky failed. No feedback was kept; fix the engine and call backward() again.");
      return targets.map((target) => ({ target, gradient: { text: "ok", from: "flaky" } }));
    },
  });

  it("takes back only this pass's copies when pass-through rules forward feedback kept from an earlier pass", async () => {
    let failing = false;
    const x = new Variable("x", { role: "x", requiresGrad: true });
    const mid = new Variable("m", { role: "mid", predecessors: [x], backwardRule: passThroughRule() });
    const a = new Variable("a", { role: "a", predecessors: [mid], backwardRule: passThroughRule() });
    const y = new Variable("y", { role: "y", requiresGrad: true });
    const bad = new Variable("b", { role: "bad", predecessors: [y], backwardRule: failsWhen(() => failing, 20) });
    let round = 0;
    const root = new Variable("r", { role: "root", predecessors: [a, bad], backwardRule: { name: "give.backward", run: (ctx) => give(`round ${++round}`).run(ctx) } });
    const engine = engineOf(feedbackReply);
    await root.backward({ engine }); // no zeroGrad afterwards: the same feedback objects are forwarded again next time
    const before = snapshot([x, mid, a, y, bad, root]);
    expect(x.gradients.map((g) => g.text)).toEqual(["round 1"]);

    failing = true;
    await expect(root.backward({ engine })).rejects.toThrow(EngineCallError);
    expect(snapshot([x, mid, a, y, bad, root])).toEqual(before);
    expect(x.gradients[0]).toBe(before[0]![0]); // the very same record, not a copy
  });

  it("a failed pass does not take back feedback that a concurrent pass delivered to a shared variable", async () => {
    const shared = new Variable("s", { role: "shared prompt", requiresGrad: true });
    const other = new Variable("o", { role: "other", requiresGrad: true });
    const good = new Variable("g", { role: "good", predecessors: [shared], backwardRule: give("from the good pass") });
    // the failing pass commits to `shared` at once, and fails 20 ms later in a branch that does not touch it
    const inner = new Variable("i", { role: "inner", predecessors: [shared], backwardRule: give("from the failing pass") });
    const flakyOut = new Variable("f", { role: "flaky", predecessors: [other], backwardRule: failsWhen(() => true, 20) });
    const failingRoot = sum([inner, flakyOut], { role: "failing root" });
    const engine = engineOf(feedbackReply);
    const failing = failingRoot.backward({ engine });
    await sleep(5);
    expect(shared.gradients.map((g) => g.text)).toEqual(["from the failing pass"]);
    await good.backward({ engine });
    await expect(failing).rejects.toThrow(EngineCallError);
    expect(shared.gradients.map((g) => g.text)).toEqual(["from the good pass"]);
    expect(other.gradients).toEqual([]);
  });
});

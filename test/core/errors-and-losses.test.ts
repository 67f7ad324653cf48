// Typed errors of functions and losses, and the multi-field evaluations.
import { describe, expect, it } from "vitest";
import { BudgetExceededError, EngineCallError, EvaluationParseError, InvalidArgumentError, InvalidVariableError, NoEngineError } from "../../src/errors.js";
import type { Engine } from "../../src/engine/types.js";
import { Variable } from "../../src/core/variable.js";
import { FormattedLLMCall } from "../../src/core/functions/formatted-llm-call.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { MultiFieldEvaluation } from "../../src/core/losses/multi-field-evaluation.js";
import { MultiFieldTokenParsedEvaluation } from "../../src/core/losses/multi-field-token-parsed-evaluation.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const noEngine = undefined as unknown as Engine;

describe("typed errors", () => {
  it("a missing engine is a NoEngineError that names the node and the fix", () => {
    const system = new Variable("s", { role: "planner prompt", requiresGrad: true });
    expect(() => new LLMCall({ engine: noEngine, systemPrompt: system })).toThrow(NoEngineError);
    expect(() => new LLMCall({ engine: noEngine, systemPrompt: system })).toThrow(/planner prompt.*pass \{ engine \}/);
    expect(() => new TextLoss("Judge.", { engine: noEngine })).toThrow(NoEngineError);
    expect(() => new FormattedLLMCall({ engine: noEngine, format: "{a}", fields: { a: "x" } })).toThrow(NoEngineError);
    expect(() => new MultiFieldEvaluation({ engine: noEngine, instruction: "i", roles: ["a"] })).toThrow(NoEngineError);
  });

  it("backward without an engine is a NoEngineError", async () => {
    const v = new Variable("v", { role: "answer", requiresGrad: true });
    await expect(v.backward({ engine: noEngine })).rejects.toThrow(NoEngineError);
  });

  it("an engine that throws during forward becomes EngineCallError naming the function and role; inputs untouched", async () => {
    const engine = new FakeEngine(() => {
      throw new Error("rate limited");
    });
    const question = new Variable("q", { role: "question", requiresGrad: true });
    const error = await new LLMCall({ engine }).forward(question, { role: "plan" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/LLMCall\.forward producing "plan" failed: rate limited/);
    expect((error as EngineCallError).cause).toBeInstanceOf(Error);
    expect([question.value, question.gradients]).toEqual(["q", []]);
  });

  it("a non-string value is an InvalidVariableError", () => {
    expect(() => new Variable(42 as unknown as string, { role: "number" })).toThrow(InvalidVariableError);
  });

  it("FormattedLLMCall rejects inputs whose keys differ from the fields", async () => {
    const call = new FormattedLLMCall({ engine: new FakeEngine(["x"]), format: "{a} {b}", fields: { a: "A", b: "B" } });
    const a = new Variable("1", { role: "A" });
    await expect(call.forward({ a })).rejects.toThrow(InvalidArgumentError);
    await expect(call.forward({ a })).rejects.toThrow(/missing \["b"\]/);
    await expect(call.forward({ a, b: a, c: a })).rejects.toThrow(/unexpected \["c"\]/);
  });

  it("FormattedLLMCall fills in one pass and supports {{ }} escapes", async () => {
    const engine = new FakeEngine((r) => r.prompt);
    const call = new FormattedLLMCall({ engine, format: "{{json}} {a} {unknown}", fields: { a: "A" } });
    const out = await call.forward({ a: new Variable("{a}", { role: "A" }) });
    expect(out.value).toBe("{json} {a} {unknown}");
  });

  it("StringBasedFunction rejects results that are not strings or numbers", () => {
    const f = new StringBasedFunction({ purpose: "bad", fn: () => ({}) as unknown as string });
    expect(() => f.forward({})).toThrow(InvalidArgumentError);
  });
});

describe("multi-field evaluations", () => {
  const fields = () => [
    new Variable("2+2?", { role: "question to the solver" }),
    new Variable("4", { role: "ground truth" }),
    new Variable("5", { role: "the solver's answer", requiresGrad: true }),
  ];

  it("labels the fields with the given roles, leaves the inputs' roles alone, and evaluates in evaluation mode", async () => {
    const engine = new FakeEngine((r) => (r.system === renderBackwardSystemPrompt() ? "fb" : "<ACCURACY>0</ACCURACY> wrong"));
    const judge = new MultiFieldEvaluation({ engine, instruction: "Compare the prediction with the truth.", roles: ["question", "truth", "prediction"] });
    const inputs = fields();
    const loss = await judge.forward(inputs);
    expect(engine.calls[0]!.prompt).toBe("Compare the prediction with the truth.\n**question**: 2+2?\n**truth**: 4\n**prediction**: 5");
    expect(inputs.map((v) => v.role)).toEqual(["question to the solver", "ground truth", "the solver's answer"]);
    expect(loss.predecessors).toEqual([judge.systemPrompt, judge.instruction, ...inputs]);
    await loss.backward({ engine });
    const backward = engine.calls[1]!.prompt;
    expect(extractTagged(backward, "ROLE")).toBe("the solver's answer");
    expect(backward).not.toContain("<OBJECTIVE_FUNCTION>");
    expect(inputs[2]!.gradients).toHaveLength(1);
  });

  it("rejects the wrong number of inputs", async () => {
    const judge = new MultiFieldEvaluation({ engine: new FakeEngine(["x"]), instruction: "i", roles: ["a", "b"] });
    await expect(judge.forward([new Variable("x", { role: "a" })])).rejects.toThrow(InvalidArgumentError);
  });

  it("token-parsed evaluation reads the verdict and throws EvaluationParseError (not an IndexError) when tags are absent", () => {
    const judge = new MultiFieldTokenParsedEvaluation({
      engine: new FakeEngine(["x"]),
      instruction: "i",
      roles: ["q", "t", "p"],
      parseTags: ["<ACCURACY>", "</ACCURACY>"],
    });
    expect(judge.parseOutput("reasoning <ACCURACY> 1 </ACCURACY> done")).toBe("1");
    expect(() => judge.parseOutput("no verdict")).toThrow(EvaluationParseError);
    expect(() => judge.parseOutput("<ACCURACY>1")).toThrow(/<ACCURACY> and <\/ACCURACY>/);
  });
});

describe("engine errors that are already typed", () => {
  it("an engine's own EngineCallError is re-wrapped to name the function, keeping it as cause", async () => {
    const inner = new EngineCallError("chatModelEngine: HTTP 500");
    const engine = new FakeEngine(() => {
      throw inner;
    });
    const error = await new LLMCall({ engine }).forward(new Variable("q", { role: "question" }), { role: "plan" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toContain('LLMCall.forward producing "plan" failed: chatModelEngine: HTTP 500');
    expect((error as Error).cause).toBe(inner);
  });

  it("other tracegrad errors (a budget) pass through unchanged", async () => {
    const budget = new BudgetExceededError("over budget");
    const engine = new FakeEngine(() => {
      throw budget;
    });
    await expect(new LLMCall({ engine }).forward(new Variable("q", { role: "question" }))).rejects.toBe(budget);
  });
});

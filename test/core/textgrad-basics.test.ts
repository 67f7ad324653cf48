// TextGrad's own acceptance cases (tests/test_basics.py), restated for tracegrad.
import { describe, expect, it } from "vitest";
import { InvalidVariableError } from "../../src/errors.js";
import { Variable } from "../../src/core/variable.js";
import { BlackboxLLM } from "../../src/core/functions/blackbox-llm.js";
import { FormattedLLMCall } from "../../src/core/functions/formatted-llm-call.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { sum } from "../../src/core/functions/sum.js";
import { TGD } from "../../src/optim/tgd.js";
import { EchoEngine } from "../../src/testing/echo-engine.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const helloWorld = () => new FakeEngine(() => "Hello World");

describe("TextGrad basics", () => {
  it("object passing: the optimizer holds references to the caller's Variables", () => {
    const v = new Variable("Hello", { role: "a variable", requiresGrad: true });
    const optimizer = new TGD({ parameters: [v], engine: helloWorld() });
    optimizer.parameters[0]!.addGradient({ text: "grad", from: "test" });
    optimizer.parameters[0]!.setValue("World");
    expect(v.value).toBe("World");
    expect(v.gradientText()).toBe("grad");
  });

  it("variable creation keeps value, role and requiresGrad; a role is required", () => {
    const v = new Variable("Hello", { role: "a variable", requiresGrad: true });
    expect([v.value, v.role, v.requiresGrad]).toEqual(["Hello", "a variable", true]);
    // @ts-expect-error — the role is a required option
    expect(() => new Variable("Hello")).toThrow(InvalidVariableError);
    expect(() => new Variable("Hello", { role: "  " })).toThrow(InvalidVariableError);
  });

  it("sum joins values with newlines and lists the roles in order", () => {
    const a = new Variable("Line1", { role: "role1" });
    const b = new Variable("Line2", { role: "role2" });
    const total = sum([a, b]);
    expect(total.value).toBe("Line1\nLine2");
    expect(total.role).toBe("a combination of the following: role1, role2");
    expect(total.predecessors).toEqual([a, b]);
  });

  it("LLMCall returns the reply with the input among its predecessors", async () => {
    const input = new Variable("Hello", { role: "input" });
    const output = await new LLMCall({ engine: helloWorld() }).forward(input);
    expect(output.value).toBe("Hello World");
    expect(output.predecessors).toEqual([input]);
    expect(output.role).toBe("response from the language model");
  });

  it("FormattedLLMCall fills the template (echo engine) and records both inputs", async () => {
    const question = new Variable("q", { role: "question" });
    const prediction = new Variable("p", { role: "prediction" });
    const call = new FormattedLLMCall({
      engine: new EchoEngine(),
      format: "Question: {question}\nPrediction: {prediction}",
      fields: { question: "the question", prediction: "the answer" },
    });
    const output = await call.forward({ question, prediction }, { role: "test response" });
    expect(output.value).toBe("Question: q\nPrediction: p");
    expect(output.predecessors).toEqual([question, prediction]);
    expect(output.role).toBe("test response");
    expect([question.role, prediction.role]).toEqual(["question", "prediction"]); // not mutated (TextGrad did)
  });

  it("BlackboxLLM forward returns a reply and exposes a trainable system prompt as its parameter", async () => {
    const system = new Variable("You are a careful solver.", { role: "system prompt", requiresGrad: true });
    const model = new BlackboxLLM({ engine: helloWorld(), systemPrompt: system });
    const question = new Variable("Hi", { role: "question" });
    const answer = await model.forward(question);
    expect(answer.value).toBe("Hello World");
    expect(answer.predecessors).toEqual([system, question]);
    expect(model.parameters()).toEqual([system]);
    expect(new BlackboxLLM({ engine: helloWorld(), systemPrompt: "frozen" }).parameters()).toEqual([]);
  });
});

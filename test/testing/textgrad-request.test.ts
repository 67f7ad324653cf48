import { describe, expect, it } from "vitest";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { Variable } from "../../src/core/variable.js";
import { TGD } from "../../src/optim/tgd.js";
import { renderBackwardPrompt } from "../../src/prompts/backward-prompt.js";
import { renderBackwardSystemPrompt } from "../../src/prompts/backward-system.js";
import { renderReducePrompt, renderReduceSystemPrompt } from "../../src/prompts/combine.js";
import { renderFunctionExchange, renderLlmExchange } from "../../src/prompts/exchange.js";
import { renderOptimizerPrompt } from "../../src/prompts/optimizer-prompt.js";
import { renderOptimizerSystemPrompt } from "../../src/prompts/optimizer-system.js";
import { DEFAULT_UPDATE_TAGS, parseUpdate } from "../../src/prompts/update-tags.js";
import { formatUpdate, readTextgradRequest, SimulatedModel, textgradRule } from "../../src/testing/index.js";

// tracegrad's own prompts, exactly as rendered, must be recognised from their tags.

const exchange = renderLlmExchange({ system: "You are a solver.", input: "Question: capital of Montana?", output: "Billings" });
const backward = (mode: "evaluation" | "chain", feedback: string[] = []) => ({
  system: renderBackwardSystemPrompt(),
  prompt: renderBackwardPrompt({ role: "final answer", exchangeKind: "llm", exchange, mode, usedAs: "the final answer", feedback, value: "Billings" }),
});
const optimizer = (tags?: { start: string; end: string }) => ({
  system: renderOptimizerSystemPrompt(tags),
  prompt: renderOptimizerPrompt({
    role: "system prompt of the solver",
    value: "You are a solver.",
    feedback: [{ text: "Name the city.", from: "final answer", conversation: exchange, usedAs: "answer" }, { text: "Check the almanac.", from: "final answer" }],
    ...(tags ? { tags } : {}),
  }),
});

describe("readTextgradRequest", () => {
  it("reads a backward request in evaluation mode (the evaluation) and in chain mode (the downstream feedback)", () => {
    expect(readTextgradRequest(backward("evaluation"))).toEqual({ kind: "backward", role: "final answer", mode: "evaluation", feedback: ["Billings"] });
    expect(readTextgradRequest(backward("chain", ["Wrong city.", "Use Helena."]))).toMatchObject({
      kind: "backward",
      mode: "chain",
      feedback: [expect.stringContaining("Wrong city.")],
    });
    const fn = renderFunctionExchange({ purpose: "grade", inputs: [{ name: "answer", role: "final answer", value: "Billings" }], output: "Incorrect." });
    const prompt = renderBackwardPrompt({ role: "final answer", exchangeKind: "function", exchange: fn, mode: "evaluation", usedAs: "loss", feedback: [], value: "Billings" });
    expect(readTextgradRequest({ system: renderBackwardSystemPrompt(), prompt })).toMatchObject({ kind: "backward", mode: "evaluation", feedback: ["Incorrect."] });
  });

  it("reads an optimizer request: role, current value, feedback blocks only, and the update tags (default or custom)", () => {
    const parsed = readTextgradRequest(optimizer());
    expect(parsed).toMatchObject({ kind: "optimizer", role: "system prompt of the solver", variable: "You are a solver.", tags: DEFAULT_UPDATE_TAGS });
    expect(parsed?.feedback).toHaveLength(2);
    expect(parsed?.feedback.join("\n")).toContain("Name the city.");
    expect(parsed?.feedback.join("\n")).not.toContain("Question: capital of Montana?"); // the exchange is not feedback
    expect(readTextgradRequest(optimizer({ start: "<NEW>", end: "</NEW>" }))).toMatchObject({ kind: "optimizer", tags: { start: "<NEW>", end: "</NEW>" } });
  });

  it("reads a reduce request, and leaves an agent's own request alone", () => {
    const items = [{ text: "a", from: "x", conversation: exchange }, { text: "b", from: "y" }];
    expect(readTextgradRequest({ system: renderReduceSystemPrompt(), prompt: renderReducePrompt({ role: "answer", items }) })).toMatchObject({
      kind: "reduce",
      role: "answer",
      feedback: [expect.stringContaining("a"), expect.stringContaining("b")],
    });
    expect(readTextgradRequest({ system: "You are a solver.", prompt: "Question: capital of Montana?" })).toBeUndefined();
    expect(readTextgradRequest({ prompt: "<ROLE>x</ROLE> but nothing to give feedback on" })).toBeUndefined();
  });

  it("formatUpdate writes what the optimizer parses", () => {
    expect(formatUpdate("Be concise.")).toBe("<IMPROVED_VARIABLE>\nBe concise.\n</IMPROVED_VARIABLE>");
    const tags = { start: "<NEW>", end: "</NEW>" };
    expect(parseUpdate(formatUpdate("x </NEW> y", tags), tags)).toBe("x </NEW> y");
  });
});

describe("textgradRule: scripting tracegrad's roles next to an agent's", () => {
  it("drives a real forward, backward and TGD step with a handful of rules", async () => {
    const model = new SimulatedModel([
      textgradRule("backward", (request) => `The ${request.role} should use the almanac: Helena is the capital of Montana.`),
      textgradRule("optimizer", (request) => formatUpdate(`${request.variable ?? ""} Use the almanac.`, request.tags)),
      { role: "evaluator", matches: (r) => r.system?.startsWith("Grade") === true, reply: (r) => (r.prompt.includes("Helena") ? "Correct." : "Wrong: the capital is Helena.") },
      { role: "agent", matches: () => true, reply: (r) => (r.system?.includes("almanac") ? "Helena" : "Billings") },
    ]);
    const system = new Variable("You are a solver.", { role: "system prompt of the solver", requiresGrad: true });
    const question = new Variable("What is the capital of Montana?", { role: "question" });
    const answer = await new LLMCall({ engine: model, systemPrompt: system }).forward(question, { role: "answer" });
    expect(answer.value).toBe("Billings");
    const loss = await new TextLoss("Grade the answer to: What is the capital of Montana?", { engine: model }).forward(answer);
    await loss.backward({ engine: model });
    expect(system.gradientText()).toContain("should use the almanac");
    const [proposal] = await new TGD({ parameters: [system], engine: model }).propose();
    expect(proposal?.value).toBe("You are a solver. Use the almanac.");
    expect(model.reply({ system: proposal!.value, prompt: question.value })).toBe("Helena");
    expect(model.counts).toMatchObject({ agent: 2, evaluator: 1, optimizer: 1 });
    expect(model.counts.backward).toBeGreaterThanOrEqual(1);
  });
});

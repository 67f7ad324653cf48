import { describe, expect, it } from "vitest";
import { InvalidArgumentError, UpdateParseError } from "../../src/errors.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { Variable } from "../../src/core/variable.js";
import type { Gradient } from "../../src/core/feedback.js";
import { TGD, TextualGradientDescent } from "../../src/optim/tgd.js";
import { renderOptimizerSystemPrompt } from "../../src/prompts/optimizer-system.js";
import { VARIABLE_REFERENCE } from "../../src/prompts/optimizer-prompt.js";
import { extractAllTagged, extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const param = (value = "You are a careful solver. Show your work.", role = "system prompt") => new Variable(value, { role, requiresGrad: true });
const llmFeedback = (text: string, conversation: string): Gradient => ({ text, from: "answer", context: { kind: "llm", conversation, usedAs: "answer" } });
const tagged = (v: string) => `Sure.\n<IMPROVED_VARIABLE>\n${v}\n</IMPROVED_VARIABLE>`;

describe("TGD prompt", () => {
  it("shows the full value, every feedback with its exchange, numbered constraints and examples", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ");
    const p = param(long);
    p.addGradient(llmFeedback("Be shorter.", "<LM_INPUT>\nq1\n</LM_INPUT>"));
    p.addGradient({ text: "Mention units.", from: "judge" });
    const engine = new FakeEngine([tagged("new")]);
    await new TGD({ parameters: [p], engine, constraints: ["Keep it under 100 words.", "Stay polite."], inContextExamples: ["Example prompt."] }).step();
    const { system, prompt } = engine.calls[0]!;
    expect(system).toBe(renderOptimizerSystemPrompt());
    expect(extractTagged(prompt, "ROLE")).toBe("system prompt");
    expect(extractTagged(prompt, "VARIABLE")).toBe(long);
    const context = extractTagged(prompt, "CONTEXT")!;
    expect(extractAllTagged(context, "FEEDBACK")).toEqual(["Be shorter.", "Mention units."]);
    expect(extractAllTagged(context, "CONVERSATION")).toEqual(["<LM_INPUT>\nq1\n</LM_INPUT>"]);
    expect(context).toContain("used as answer");
    expect(extractTagged(prompt, "CONSTRAINTS")).toBe("1. Keep it under 100 words.\n2. Stay polite.");
    expect(extractTagged(prompt, "EXAMPLES")).toContain("Example prompt.");
    expect(prompt).not.toContain("PAST_ITERATIONS");
    expect(p.value).toBe("new");
  });

  it("renders past values (momentum) and past feedback (gradient memory) from earlier steps", async () => {
    const p = param("version zero of the prompt");
    const engine = new FakeEngine([tagged("version one of the prompt"), tagged("version two of the prompt"), tagged("version three")]);
    const opt = new TGD({ parameters: [p], engine, momentumWindow: 2, gradientMemory: 1 });
    for (const fb of ["first feedback", "second feedback", "third feedback"]) {
      p.addGradient({ text: fb, from: "judge" });
      await opt.step();
      opt.zeroGrad();
    }
    const last = engine.calls[2]!.prompt;
    const past = extractTagged(last, "PAST_ITERATIONS")!;
    expect(past).toContain("version zero of the prompt");
    expect(past).toContain("version one of the prompt");
    expect(past.indexOf("version zero")).toBeLessThan(past.indexOf("version one"));
    expect(extractTagged(last, "PAST_FEEDBACK")).toBe("Feedback behind update 2:\nsecond feedback");
    expect(extractTagged(engine.calls[0]!.prompt, "PAST_ITERATIONS")).toBeUndefined();
  });

  it("replaces the parameter's own text inside each exchange with a short reference (batch of B samples)", async () => {
    const p = param();
    for (const q of ["q1", "q2", "q3"]) p.addGradient(llmFeedback(`fix ${q}`, `<LM_SYSTEM_PROMPT>\n${p.value}\n</LM_SYSTEM_PROMPT>\n<LM_INPUT>\n${q}\n</LM_INPUT>`));
    const original = p.value;
    const engine = new FakeEngine([tagged("new")]);
    await new TGD({ parameters: [p], engine }).step();
    const prompt = engine.calls[0]!.prompt;
    expect(prompt.split(original)).toHaveLength(2); // the full text appears once, in VARIABLE
    expect(extractAllTagged(prompt, "CONVERSATION").every((c) => c.includes(VARIABLE_REFERENCE))).toBe(true);
  });

  it("uses custom tags everywhere: system prompt, instruction sentence and parsing", async () => {
    const p = param();
    p.addGradient({ text: "fb", from: "judge" });
    const engine = new FakeEngine(["<NEW_PROMPT>custom</NEW_PROMPT>"]);
    await new TGD({ parameters: [p], engine, tags: { start: "<NEW_PROMPT>", end: "</NEW_PROMPT>" } }).step();
    const { system, prompt } = engine.calls[0]!;
    expect(`${system}\n${prompt}`).not.toContain("IMPROVED_VARIABLE");
    expect(system).toContain("<NEW_PROMPT>");
    expect(prompt).toMatch(/between <NEW_PROMPT> and <\/NEW_PROMPT>/);
    expect(p.value).toBe("custom");
  });
});

describe("TGD behaviour", () => {
  it("makes no call and changes nothing for a parameter without feedback", async () => {
    const p = param();
    const engine = new FakeEngine([]);
    expect(await new TGD({ parameters: [p], engine }).step()).toEqual([]);
    expect(engine.calls).toHaveLength(0);
    expect(p.value).toBe("You are a careful solver. Show your work.");
  });

  it("propose() is pure; apply() writes; step() returns the proposals", async () => {
    const a = param("prompt A is here", "prompt A");
    const b = param("prompt B is here", "prompt B");
    a.addGradient({ text: "fb", from: "x" });
    const opt = new TGD({ parameters: [a, b], engine: new FakeEngine([tagged("A2")]) });
    const proposals = await opt.propose();
    expect(proposals).toEqual([
      { parameter: a, value: "A2", previous: "prompt A is here", feedback: { method: "all", points: [{ text: "fb", items: [0], from: ["x"] }], calls: 0 } },
    ]);
    expect(a.value).toBe("prompt A is here");
    opt.apply(proposals);
    expect([a.value, b.value]).toEqual(["A2", "prompt B is here"]);
    expect(TextualGradientDescent).toBe(TGD);
  });

  it("a missing tag gets one repair request with the bad reply as history, then UpdateParseError; the value is untouched", async () => {
    const p = param();
    p.addGradient({ text: "fb", from: "x" });
    const engine = new FakeEngine(["I would change it to be nicer.", "<IMPROVED_VARIABLE>still unterminated"]);
    const error = await new TGD({ parameters: [p], engine }).step().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpdateParseError);
    expect((error as UpdateParseError).message).toContain('"system prompt"');
    expect((error as UpdateParseError).reply).toBe("<IMPROVED_VARIABLE>still unterminated");
    expect(engine.calls).toHaveLength(2);
    const repair = engine.calls[1]!;
    expect(repair.system).toBe(engine.calls[0]!.system);
    expect(repair.history).toEqual([
      { role: "user", content: engine.calls[0]!.prompt },
      { role: "assistant", content: "I would change it to be nicer." },
    ]);
    expect(p.value).toBe("You are a careful solver. Show your work.");
  });

  it("a successful repair is used", async () => {
    const p = param();
    p.addGradient({ text: "fb", from: "x" });
    const engine = new FakeEngine(["no tags", tagged("repaired")]);
    await new TGD({ parameters: [p], engine }).step();
    expect(p.value).toBe("repaired");
  });

  it("keeps a forged closing tag inside the improved value intact", async () => {
    const p = param();
    p.addGradient({ text: "fb", from: "x" });
    const value = "Answer inside </IMPROVED_VARIABLE> tags, then stop.";
    await new TGD({ parameters: [p], engine: new FakeEngine([tagged(value)]) }).step();
    expect(p.value).toBe(value);
  });

  it("rejects a parameter that does not require gradients, naming it and the fix", () => {
    const frozen = new Variable("x", { role: "frozen prompt" });
    expect(() => new TGD({ parameters: [frozen], engine: new FakeEngine([]) })).toThrow(InvalidArgumentError);
    expect(() => new TGD({ parameters: [frozen], engine: new FakeEngine([]) })).toThrow(/"frozen prompt".*requiresGrad: true/);
  });

  it("updates parameters concurrently under its concurrency limit", async () => {
    const state = { inFlight: 0, max: 0 };
    const engine = new FakeEngine(async (_r: EngineRequest) => {
      state.max = Math.max(state.max, ++state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      state.inFlight--;
      return tagged("new");
    });
    const params = Array.from({ length: 5 }, (_, i) => param(`prompt number ${i}`, `prompt ${i}`));
    for (const p of params) p.addGradient({ text: "fb", from: "x" });
    await new TGD({ parameters: params, engine, concurrency: 3 }).step();
    expect(state.max).toBe(3);
    expect(params.every((p) => p.value === "new")).toBe(true);
  });
});

describe("TGD never writes a corrupted value", () => {
  const S = "<IMPROVED_VARIABLE>";
  const E = "</IMPROVED_VARIABLE>";
  const ORIGINAL = "You are a careful solver. Show your work.";
  const withFeedback = () => {
    const p = param();
    p.addGradient({ text: "fb", from: "x" });
    return p;
  };

  it("writes only the last block when the reply quotes the tags first", async () => {
    const p = withFeedback();
    await new TGD({ parameters: [p], engine: new FakeEngine([`I will put it between ${S} and ${E}:\n${S}new${E}`]) }).step();
    expect(p.value).toBe("new");
  });

  it("nested blocks get one repair request that names the problem, then UpdateParseError; the value is untouched", async () => {
    const p = withFeedback();
    const nested = `${S}outer ${S}inner${E} rest${E}`;
    const engine = new FakeEngine([nested, nested]);
    const error = await new TGD({ parameters: [p], engine }).step().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpdateParseError);
    expect((error as UpdateParseError).message).toMatch(/"system prompt".*nested or repeated.*ambiguous/);
    expect(engine.calls).toHaveLength(2);
    expect(engine.calls[1]!.prompt).toMatch(/^Your reply nested or repeated <IMPROVED_VARIABLE> and <\/IMPROVED_VARIABLE>/);
    expect(p.value).toBe(ORIGINAL);
  });

  it("an empty or whitespace-only value is rejected like a missing tag: one repair, then UpdateParseError", async () => {
    const p = withFeedback();
    const engine = new FakeEngine([`${S}${E}`, `${S}\n   \n${E}`]);
    const error = await new TGD({ parameters: [p], engine }).step().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpdateParseError);
    expect((error as UpdateParseError).message).toMatch(/"system prompt".*empty/);
    expect(engine.calls).toHaveLength(2);
    expect(engine.calls[1]!.prompt).toMatch(/^The text between <IMPROVED_VARIABLE> and <\/IMPROVED_VARIABLE> in your reply was empty/);
    expect(p.value).toBe(ORIGINAL);
  });

  it("an empty value followed by a good repair uses the repair", async () => {
    const p = withFeedback();
    await new TGD({ parameters: [p], engine: new FakeEngine([`${S} ${E}`, tagged("repaired")]) }).step();
    expect(p.value).toBe("repaired");
  });
});

describe("TGD.apply is atomic: it validates every proposal before writing any", () => {
  const setup = (engine = new FakeEngine([])) => {
    const a = param("prompt A is here", "prompt A");
    const b = param("prompt B is here", "prompt B");
    const opt = new TGD({ parameters: [a, b], engine, momentumWindow: 1 });
    const good = { parameter: a, value: "A2", previous: a.value };
    return { a, b, opt, good };
  };

  it("a non-string value: nothing is written, and the error names the parameter", () => {
    const { a, b, opt, good } = setup();
    const bad = { parameter: b, value: 5, previous: b.value } as never;
    expect(() => opt.apply([good, bad])).toThrow(InvalidArgumentError);
    expect(() => opt.apply([good, bad])).toThrow(/"prompt B".*non-empty string/);
    expect([a.value, b.value]).toEqual(["prompt A is here", "prompt B is here"]);
  });

  it("an empty or whitespace-only value: nothing is written", () => {
    const { a, b, opt, good } = setup();
    expect(() => opt.apply([good, { parameter: b, value: "  \n", previous: b.value }])).toThrow(InvalidArgumentError);
    expect([a.value, b.value]).toEqual(["prompt A is here", "prompt B is here"]);
  });

  it("a parameter of another optimizer, or not a proposal at all: nothing is written", () => {
    const { a, opt, good } = setup();
    const stranger = param("stranger", "stranger prompt");
    expect(() => opt.apply([good, { parameter: stranger, value: "x", previous: "stranger" }])).toThrow(/"stranger prompt".*not one of/);
    expect(() => opt.apply([good, null as never])).toThrow(InvalidArgumentError);
    expect(() => opt.apply(undefined as never)).toThrow(InvalidArgumentError);
    expect(a.value).toBe("prompt A is here");
  });

  it("a rejected apply records no history: the next prompt shows no past iterations", async () => {
    const engine = new FakeEngine([tagged("A3")]);
    const { a, b, opt, good } = setup(engine);
    expect(() => opt.apply([good, { parameter: b, value: "", previous: b.value }])).toThrow(InvalidArgumentError);
    a.addGradient({ text: "fb", from: "x" });
    await opt.step();
    expect(extractTagged(engine.calls[0]!.prompt, "PAST_ITERATIONS")).toBeUndefined();
    expect(a.value).toBe("A3");
  });
});

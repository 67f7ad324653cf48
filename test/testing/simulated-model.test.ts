import { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TracegradError } from "../../src/errors.js";
import { renderRepairPrompt } from "../../src/prompts/repair-prompt.js";
import {
  NoMatchingRuleError,
  SimulatedModel,
  simulatedReply,
  startStubServer,
  type SimulatedRule,
} from "../../src/testing/index.js";

// The generic rule-driven model. The Chameleon rules built on it are tested in test/examples.

const capital: SimulatedRule<"agent"> = {
  role: "agent",
  matches: (r) => r.prompt.includes("capital"),
  reply: (r) => (r.system?.includes("almanac") ? "Helena" : "Billings"),
};
const greeter: SimulatedRule<"greeter"> = { role: "greeter", matches: (r) => /^hi\b/i.test(r.prompt), reply: () => "Hello!" };
const fallback: SimulatedRule<"unknown"> = { role: "unknown", matches: () => true, reply: () => "?" };

describe("SimulatedModel", () => {
  it("answers with the first matching rule, counting and recording calls per role", () => {
    const model = new SimulatedModel([capital, greeter, fallback]);
    expect(model.counts).toEqual({ agent: 0, greeter: 0, unknown: 0 });
    expect(model.reply({ prompt: "What is the capital of Montana?" })).toBe("Billings");
    expect(model.reply({ system: "Use the almanac.", prompt: "capital of Montana?" })).toBe("Helena");
    expect(model.reply({ prompt: "hi there, capital?" })).toBe("Billings"); // order decides: capital comes first
    expect(model.reply({ prompt: "hi there" })).toBe("Hello!");
    expect(model.reply({ prompt: "something else" })).toBe("?");
    expect(model.counts).toEqual({ agent: 3, greeter: 1, unknown: 1 });
    expect(model.calls.map((c) => [c.role, c.text])).toEqual([["agent", "Billings"], ["agent", "Helena"], ["agent", "Billings"], ["greeter", "Hello!"], ["unknown", "?"]]);
    expect(model.calls[1]).toEqual({ role: "agent", system: "Use the almanac.", prompt: "capital of Montana?", text: "Helena" });
  });

  it("roleOf classifies without answering; reset forgets; record: false keeps counts only", () => {
    const model = new SimulatedModel([capital, greeter], { record: false, model: "sim-1" });
    expect(model.roleOf({ prompt: "hi" })).toBe("greeter");
    expect(model.roleOf({ prompt: "nothing" })).toBeUndefined();
    expect(model.counts.greeter).toBe(0);
    model.reply({ prompt: "hi" });
    expect(model.counts.greeter).toBe(1);
    expect(model.calls).toEqual([]);
    model.reset();
    expect(model.counts).toEqual({ agent: 0, greeter: 0 });
    expect(model.model).toBe("sim-1");
  });

  it("throws NoMatchingRuleError naming the request and the fix when no rule matches", () => {
    const model = new SimulatedModel([greeter]);
    const error = (() => {
      try {
        model.reply({ prompt: "What is   the capital?" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoMatchingRuleError);
    expect(TracegradError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no rule matches the request whose prompt starts "What is the capital\?" \(1 rules tried\)/);
    expect((error as Error).message).toMatch(/catch-all \{ role: "unknown", matches: \(\) => true/);
    expect(model.counts.greeter).toBe(0);
  });

  it("rejects bad rules up front", () => {
    expect(() => new SimulatedModel([])).toThrow(InvalidArgumentError);
    expect(() => new SimulatedModel([greeter, { role: "x", matches: true } as never])).toThrow(/rule 1 must be \{ role: string, matches\(request\)/);
    expect(() => simulatedReply({} as never)).toThrow(InvalidArgumentError);
  });

  it("works as an Engine: usage, model name, and a repair request answered like the original", async () => {
    const model = new SimulatedModel([capital, fallback]);
    const response = await model.generate({ system: "almanac", prompt: "capital of Montana?" });
    expect(response).toEqual({ text: "Helena", model: "simulated", usage: { inputTokens: 7, outputTokens: 2, totalTokens: 9 } });
    const repaired = await model.generate({
      history: [{ role: "user", content: "capital of Montana?" }, { role: "assistant", content: "oops" }],
      prompt: renderRepairPrompt(),
    });
    expect(repaired.text).toBe("Billings");
    expect(model.calls.at(-1)?.prompt).toBe("capital of Montana?");
    const aborted = new AbortController();
    aborted.abort();
    await expect(model.generate({ prompt: "capital", signal: aborted.signal })).rejects.toThrow();
  });

  it("answers real ChatOpenAI requests over HTTP through simulatedReply, sharing its counters", async () => {
    const model = new SimulatedModel([capital, fallback]);
    const stub = await startStubServer({ reply: simulatedReply(model) });
    try {
      const chat = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
      const message = await chat.invoke([
        { role: "system", content: "You read the almanac." },
        { role: "user", content: "What is the capital of Montana?" },
      ]);
      expect(message.content).toBe("Helena");
      expect(model.counts).toEqual({ agent: 1, unknown: 0 });
      expect(model.calls[0]?.system).toBe("You read the almanac.");
    } finally {
      await stub.close();
    }
  });
});

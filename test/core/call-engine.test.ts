// callEngine/requireEngine (src/engine/call-engine.ts): which failures are wrapped, and what the messages say.
import { describe, expect, it } from "vitest";
import { BudgetExceededError, EngineCallError, NoEngineError, TracegradError } from "../../src/errors.js";
import { callEngine, requireEngine, wrapEngineError } from "../../src/engine/call-engine.js";
import type { Engine } from "../../src/engine/types.js";

const throwing = (error: unknown): Engine => ({ generate: async () => Promise.reject(error) });
const failureOf = (engine: Engine, advice?: string) => callEngine(engine, { prompt: "p" }, 'judge for "answer"', "answer", advice).catch((e: unknown) => e);

describe("callEngine", () => {
  it("returns the reply text, and an empty string for a reply without text", async () => {
    expect(await callEngine({ generate: async () => ({ text: "hi" }) }, { prompt: "p" }, "x", "x")).toBe("hi");
    expect(await callEngine({ generate: async () => ({}) as never }, { prompt: "p" }, "x", "x")).toBe("");
  });

  it("wraps a plain failure as an EngineCallError naming what failed, with the default advice and the cause", async () => {
    const cause = new Error("rate limited");
    const error = await failureOf(throwing(cause));
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as EngineCallError).message).toBe('judge for "answer" failed: rate limited. Nothing was changed; fix the engine (or its settings) and run it again.');
    expect((error as EngineCallError).cause).toBe(cause);
    expect((error as EngineCallError).subject).toBe("answer");
  });

  it("ends the message with the caller's advice", async () => {
    const error = await failureOf(throwing("down"), "No feedback was kept; call backward() again.");
    expect((error as Error).message).toBe('judge for "answer" failed: down. No feedback was kept; call backward() again.');
  });

  it("passes other tracegrad errors through unchanged, so they can be caught by class", async () => {
    const budget = new BudgetExceededError("budget of 10 calls reached");
    expect(await failureOf(throwing(budget))).toBe(budget);
  });

  it("wraps an engine's own EngineCallError, including subclasses and one from another copy of the package", async () => {
    class RateLimitError extends EngineCallError {}
    const own = new RateLimitError("429");
    const wrapped = await failureOf(throwing(own));
    expect(wrapped).not.toBe(own);
    expect(EngineCallError.isInstance(wrapped)).toBe(true);
    expect((wrapped as Error).cause).toBe(own);

    // another copy: the registered markers, but neither our class nor the name "EngineCallError"
    const foreign = new Error("socket hang up");
    for (const key of ["tracegrad.error", "tracegrad.error.EngineCallError"]) Object.defineProperty(foreign, Symbol.for(key), { value: true });
    const rewrapped = await failureOf(throwing(foreign));
    expect(rewrapped).toBeInstanceOf(EngineCallError);
    expect((rewrapped as Error).cause).toBe(foreign);
  });

  it("wrapEngineError always wraps", () => {
    const error = wrapEngineError(new BudgetExceededError("b"), "x", "s", "Retry.");
    expect(error).toBeInstanceOf(EngineCallError);
    expect(error.message).toBe("x failed: b. Retry.");
  });
});

describe("requireEngine", () => {
  it("returns an engine, and throws NoEngineError naming the node and where to pass the engine", () => {
    const engine: Engine = { generate: async () => ({ text: "" }) };
    expect(requireEngine(engine, "LLMCall", "LLMCall")).toBe(engine);
    for (const missing of [undefined, {} as Engine, { generate: "no" } as unknown as Engine]) {
      expect(() => requireEngine(missing, 'LLMCall for "answer"', "answer")).toThrow(NoEngineError);
    }
    expect(() => requireEngine(undefined, 'LLMCall for "answer"', "answer")).toThrow('LLMCall for "answer" needs an engine — pass { engine } to its constructor.');
    let error: unknown;
    try {
      requireEngine(undefined, 'backward() on "loss"', "loss", "backward()");
    } catch (e) {
      error = e;
    }
    expect(NoEngineError.isInstance(error) && TracegradError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('backward() on "loss" needs an engine — pass { engine } to backward().');
  });
});

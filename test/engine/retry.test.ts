import { ChatOpenAI } from "@langchain/openai";
import { afterEach, describe, expect, it } from "vitest";
import { chatModelEngine } from "../../src/engine/chat-model-engine.js";
import { withRetry } from "../../src/engine/retry.js";
import type { Engine } from "../../src/engine/types.js";
import { BudgetExceededError, EngineCallError, InvalidArgumentError } from "../../src/errors.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const openai = (url: string, maxRetries = 0) => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries, configuration: { baseURL: url } });

/** An engine that throws `errors` in order, then answers "ok". */
function flaky(errors: unknown[]): Engine & { attempts: number } {
  const engine = {
    model: "flaky",
    attempts: 0,
    async generate() {
      const error = errors[engine.attempts++];
      if (error !== undefined) throw error;
      return { text: "ok" };
    },
  };
  return engine;
}

describe("withRetry", () => {
  it("retries a 429 from the real ChatOpenAI and succeeds; the stub saw 2 requests", async () => {
    stub = await startStubServer({ reply: "after the storm", failures: [{ status: 429 }] });
    const engine = withRetry(chatModelEngine(openai(stub.url)), { maxRetries: 2 });
    const reply = await engine.generate({ prompt: "hi" });
    expect(reply.text).toBe("after the storm");
    expect(stub.requests).toHaveLength(2);
    expect(engine.model).toBe("gpt-4o-mini");
    expect(engine.cacheIdentity).toContain("gpt-4o-mini");
  });

  it("does not retry a 400 and keeps the engine's error", async () => {
    stub = await startStubServer({ reply: "unused", failures: (_request, index) => (index === 0 ? { status: 400 } : undefined) });
    const engine = withRetry(chatModelEngine(openai(stub.url)), { maxRetries: 3 });
    const error = await engine.generate({ prompt: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/HTTP 400/);
    expect(stub.requests).toHaveLength(1);
  });

  it("throws EngineCallError with the last error as cause when retries run out", async () => {
    const cause = Object.assign(new Error("overloaded"), { status: 503 });
    const inner = flaky([cause, cause]);
    const error = await withRetry(inner, { maxRetries: 0 }).generate({ prompt: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as EngineCallError).cause).toBe(cause);
    expect((error as Error).message).toMatch(/"flaky" still failed after 1 attempt \(maxRetries = 0\): overloaded/);
    expect(inner.attempts).toBe(1);
  });

  it("passes tracegrad errors through without retrying", async () => {
    const budget = new BudgetExceededError("over budget");
    const inner = flaky([budget]);
    await expect(withRetry(inner).generate({ prompt: "x" })).rejects.toBe(budget);
    expect(inner.attempts).toBe(1);
  });

  it("wraps a non-retryable foreign error in EngineCallError", async () => {
    const inner = flaky([Object.assign(new Error("bad key"), { status: 401 })]);
    await expect(withRetry(inner).generate({ prompt: "x" })).rejects.toThrow(/not retried: bad key/);
    expect(inner.attempts).toBe(1);
  });

  it("validates maxRetries", () => {
    expect(() => withRetry(flaky([]), { maxRetries: -1 })).toThrow(InvalidArgumentError);
    expect(() => withRetry(flaky([]), { maxRetries: 1.5 })).toThrow(/integer ≥ 0/);
  });

  // Why defaultEngine turns ChatOpenAI's own retries off and uses withRetry: LangChain's default policy gives up on a
  // 429 without a Retry-After header. If this starts failing, LangChain changed its policy; revisit that choice.
  it("ChatOpenAI's own maxRetries does not retry a 429 without Retry-After", async () => {
    stub = await startStubServer({ reply: "unused", failures: [{ status: 429 }] });
    await expect(chatModelEngine(openai(stub.url, 3)).generate({ prompt: "hi" })).rejects.toThrow(/HTTP 429/);
    expect(stub.requests).toHaveLength(1);
  });
});

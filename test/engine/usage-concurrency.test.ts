import { ChatOpenAI } from "@langchain/openai";
import { afterEach, describe, expect, it } from "vitest";
import { chatModelEngine } from "../../src/engine/chat-model-engine.js";
import { estimateMessageTokens, estimateTokens } from "../../src/engine/estimate-tokens.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import { withUsage, type UsageOptions } from "../../src/engine/usage.js";
import { BudgetExceededError } from "../../src/errors.js";
import { startStubServer, type StubRequest, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const PRICE = { input: 0.15, output: 0.6 }; // USD per 1M tokens

/**
 * A stub that behaves like a provider: the reply is `replyChars` long but cut at the request's max_tokens (4 characters
 * a token, the stub's own count), and what it bills — the usage it reports — is recorded per answered request.
 */
async function provider(replyChars: number) {
  const billed: Array<{ input: number; output: number }> = [];
  const reply = (request: StubRequest) => {
    const body = request.body as { max_tokens?: number; max_completion_tokens?: number };
    const limit = body.max_tokens ?? body.max_completion_tokens;
    const text = "w".repeat(limit === undefined ? replyChars : Math.min(replyChars, limit * 4));
    billed.push({ input: estimateMessageTokens(request.messages), output: estimateTokens(text) });
    return text;
  };
  stub = await startStubServer({ reply, latencyMs: 20 });
  const chat = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  return {
    engine: chatModelEngine(chat),
    tokens: () => billed.reduce((sum, b) => sum + b.input + b.output, 0),
    cost: () => billed.reduce((sum, b) => sum + (b.input * PRICE.input + b.output * PRICE.output) / 1e6, 0),
    answered: () => billed.length,
  };
}

/** Sends waves of `width` concurrent requests until a whole wave is refused; returns how many calls succeeded. */
async function spendAll(engine: Engine, request: (i: number) => EngineRequest, width = 20): Promise<number> {
  let ok = 0;
  for (let wave = 0; wave < 50; wave++) {
    const results = await Promise.allSettled(Array.from({ length: width }, (_, i) => engine.generate(request(wave * width + i))));
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(BudgetExceededError);
    const fulfilled = results.filter((r) => r.status === "fulfilled").length;
    ok += fulfilled;
    if (fulfilled === 0) return ok;
  }
  throw new Error("the budget never ran out");
}

describe("withUsage budgets are hard caps under 20-way concurrency (real ChatOpenAI over HTTP)", () => {
  const cases: Array<[string, number, (i: number) => EngineRequest, UsageOptions["budget"]]> = [
    ["maxTokens 5,000, 100-token prompts, 250-token replies", 1000, (i) => ({ prompt: `${i}:`.padEnd(400, "x") }), { maxTokens: 5_000 }],
    ["maxTokens 2,000, 1-token prompts, 197-token replies", 788, (i) => ({ prompt: String(i % 10) }), { maxTokens: 2_000 }],
    ["maxTokens 5,000, requests with their own maxTokens 250", 1000, (i) => ({ prompt: `${i}:`.padEnd(400, "x"), maxTokens: 250 }), { maxTokens: 5_000 }],
  ];
  it.each(cases)("%s: what the server billed stays within the cap", async (_name, replyChars, request, budget) => {
    const p = await provider(replyChars);
    const engine = withUsage(p.engine, { budget });
    const ok = await spendAll(engine, request);
    expect(ok).toBeGreaterThan(0);
    expect(p.answered()).toBe(ok);
    expect(p.tokens()).toBeLessThanOrEqual(budget!.maxTokens!);
    expect(engine.usage.totalTokens).toBe(p.tokens());
  });

  it("maxCost $0.0005: what the server billed stays within the cap", async () => {
    const p = await provider(500);
    const engine = withUsage(p.engine, { budget: { maxCost: 0.0005 }, prices: { "gpt-4o-mini": PRICE } });
    const ok = await spendAll(engine, (i) => ({ prompt: `${i}:`.padEnd(400, "x") }));
    expect(ok).toBeGreaterThan(0);
    expect(p.cost()).toBeLessThanOrEqual(0.0005);
    expect(engine.usage.cost).toBeCloseTo(p.cost(), 12);
  });

  it("maxCalls 5: the server answers at most 5 requests", async () => {
    const p = await provider(100);
    const engine = withUsage(p.engine, { budget: { maxCalls: 5 } });
    const ok = await spendAll(engine, (i) => ({ prompt: `q${i}` }));
    expect(ok).toBe(5);
    expect(stub!.requests).toHaveLength(5);
  });

  it("a reply longer than the reservation is cut by the provider: the reserved budget is sent as max_tokens", async () => {
    const p = await provider(100_000);
    const engine = withUsage(p.engine, { budget: { maxTokens: 1_000 }, replyTokens: 300 });
    const reply = await engine.generate({ prompt: "tell me everything" });
    expect((stub!.requests[0]!.body as { max_tokens?: number }).max_tokens).toBe(300);
    expect(reply.usage?.outputTokens).toBe(300);
    await engine.generate({ prompt: "and more", maxTokens: 100 });
    expect((stub!.requests[1]!.body as { max_tokens?: number }).max_tokens).toBe(100);
    expect(p.tokens()).toBeLessThanOrEqual(1_000);
  });
});

describe("withUsage reply reservation", () => {
  const recording = () => {
    const calls: EngineRequest[] = [];
    const engine: Engine = { model: "m", generate: async (request) => (calls.push(request), { text: "ok" }) };
    return { engine, calls };
  };

  it("leaves requests untouched without a token or cost limit", async () => {
    const { engine, calls } = recording();
    await withUsage(engine).generate({ prompt: "p" });
    await withUsage(engine, { budget: { maxCalls: 3 } }).generate({ prompt: "p" });
    expect(calls.map((c) => c.maxTokens)).toEqual([undefined, undefined]);
  });

  it("defaults to 4096 reply tokens, lowered to a quarter of a small budget", async () => {
    const { engine, calls } = recording();
    await withUsage(engine, { budget: { maxTokens: 1_000_000 } }).generate({ prompt: "p" });
    await withUsage(engine, { budget: { maxTokens: 1_000 } }).generate({ prompt: "p" });
    await withUsage(engine, { budget: { maxCost: 0.0006 }, prices: { m: { input: 1, output: 1 } } }).generate({ prompt: "p" });
    await withUsage(engine, { budget: { maxTokens: 1_000 }, replyTokens: 900 }).generate({ prompt: "p" });
    expect(calls.map((c) => c.maxTokens)).toEqual([4096, 250, 150, 900]);
  });

  it("refuses a call whose input plus reply reservation does not fit, and releases what a call did not use", async () => {
    const { engine, calls } = recording();
    const wrapped = withUsage(engine, { budget: { maxTokens: 100 }, replyTokens: 60 });
    await expect(wrapped.generate({ prompt: "x".repeat(200) })).rejects.toThrow(/smaller than one call \(~57 input \+ 60 reply tokens\)/);
    await wrapped.generate({ prompt: "x".repeat(4) }); // reserves 8 + 60, uses 2
    await wrapped.generate({ prompt: "x".repeat(4) }); // 2 + 68 ≤ 100
    expect(calls).toHaveLength(2);
    expect(wrapped.usage.totalTokens).toBe(4);
  });

  it("validates replyTokens", () => {
    expect(() => withUsage(recording().engine, { replyTokens: 0 })).toThrow(/replyTokens must be an integer ≥ 1/);
  });
});

import { describe, expect, it } from "vitest";
import { withCache } from "../../src/engine/cache.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import { withUsage } from "../../src/engine/usage.js";
import { BudgetExceededError, ConfigError, InvalidArgumentError } from "../../src/errors.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

/** An engine reporting fixed usage, counting its calls. */
function metered(usage = { inputTokens: 1000, outputTokens: 500, totalTokens: 1500 }, model = "gpt-4o-mini") {
  const calls: EngineRequest[] = [];
  const engine: Engine = {
    model,
    async generate(request) {
      calls.push(request);
      return { text: "ok", usage, model: `${model}-2024-07-18` };
    },
  };
  return { engine, calls };
}

const prompt = (chars: number) => ({ prompt: "x".repeat(chars) });

describe("withUsage", () => {
  it("sums reported usage per call", async () => {
    const { engine } = metered();
    const wrapped = withUsage(engine);
    await wrapped.generate({ prompt: "a" });
    await wrapped.generate({ prompt: "b" });
    expect(wrapped.usage).toEqual({
      calls: 2,
      cachedCalls: 0,
      inputTokens: 2000,
      outputTokens: 1000,
      totalTokens: 3000,
      cost: 0,
      estimated: false,
      perCall: [
        { model: "gpt-4o-mini-2024-07-18", inputTokens: 1000, outputTokens: 500, cost: 0, cached: false, estimated: false },
        { model: "gpt-4o-mini-2024-07-18", inputTokens: 1000, outputTokens: 500, cost: 0, cached: false, estimated: false },
      ],
    });
    expect(wrapped.model).toBe("gpt-4o-mini");
  });

  it("estimates ceil(chars / 4) when the engine reports no usage", async () => {
    const wrapped = withUsage({ model: "bare", generate: async () => ({ text: "12345" }) });
    await wrapped.generate({ system: "abc", prompt: "defgh" }); // 8 chars in, 5 out
    expect(wrapped.usage).toMatchObject({ inputTokens: 2, outputTokens: 2, totalTokens: 4, estimated: true });
    expect(wrapped.usage.perCall[0]).toMatchObject({ model: "bare", estimated: true });
  });

  it("prices calls in USD per 1M tokens, matching dated model names by prefix", async () => {
    const { engine } = metered();
    const wrapped = withUsage(engine, { prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 }, "gpt-4o": { input: 99, output: 99 } } });
    await wrapped.generate({ prompt: "a" });
    expect(wrapped.usage.cost).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);
    expect(wrapped.usage.perCall[0]?.cost).toBeCloseTo(0.00045, 12);
  });

  it("refuses the call that would pass maxTokens, before making it", async () => {
    const { engine, calls } = metered({ inputTokens: 100, outputTokens: 100, totalTokens: 200 });
    const wrapped = withUsage(engine, { budget: { maxTokens: 400 }, replyTokens: 100 });
    await wrapped.generate(prompt(372)); // ~93 + 7 framing input + 100 reply tokens reserved, 200 used
    await wrapped.generate(prompt(372)); // 200 + 200 ≤ 400: allowed, 400 used
    await expect(wrapped.generate(prompt(4))).rejects.toThrow(BudgetExceededError);
    await expect(wrapped.generate(prompt(4))).rejects.toThrow(/budget\.maxTokens = 400 would be exceeded .* no call was made/);
    expect(calls).toHaveLength(2);
    expect(wrapped.usage.calls).toBe(2);
  });

  it("reserves tokens for calls in flight, so concurrent calls cannot overshoot together", async () => {
    const inner = new FakeEngine(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return "ok";
    });
    const wrapped = withUsage(inner, { budget: { maxTokens: 150 } });
    const results = await Promise.allSettled([wrapped.generate(prompt(400)), wrapped.generate(prompt(400))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(inner.calls).toHaveLength(1);
  });

  it("says so when the budget is smaller than one call", async () => {
    const inner = new FakeEngine(["never"]);
    const wrapped = withUsage(inner, { budget: { maxTokens: 10 } });
    await expect(wrapped.generate(prompt(920))).rejects.toThrow(
      "withUsage: budget.maxTokens = 10 is smaller than one call (~237 input + 2 reply tokens); raise it, or lower replyTokens / the request's maxTokens.",
    );
    expect(inner.calls).toHaveLength(0);
  });

  it("enforces maxCalls, counting cached calls", async () => {
    const inner = new FakeEngine(["a", "b"]);
    const wrapped = withUsage(withCache(inner), { budget: { maxCalls: 2 } });
    await wrapped.generate({ prompt: "p" });
    await wrapped.generate({ prompt: "p" }); // cached
    await expect(wrapped.generate({ prompt: "q" })).rejects.toThrow(/budget\.maxCalls = 2 reached/);
    expect(inner.calls).toHaveLength(1);
    await expect(withUsage(inner, { budget: { maxCalls: 0 } }).generate({ prompt: "p" })).rejects.toThrow(/allows no call/);
  });

  it("counts cached replies as calls but not as tokens or cost", async () => {
    const { engine, calls } = metered();
    const wrapped = withUsage(withCache(engine), { prices: { "gpt-4o-mini": { input: 1, output: 1 } } });
    await wrapped.generate({ prompt: "p" });
    await wrapped.generate({ prompt: "p" });
    expect(calls).toHaveLength(1);
    expect(wrapped.usage).toMatchObject({ calls: 2, cachedCalls: 1, totalTokens: 1500, cost: 0.0015 });
    expect(wrapped.usage.perCall[1]).toMatchObject({ cached: true, cost: 0 });
  });

  it("enforces maxCost from prices, and needs a price to do so", async () => {
    const { engine, calls } = metered({ inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 });
    const wrapped = withUsage(engine, { budget: { maxCost: 1.5 }, prices: { "gpt-4o-mini": { input: 1, output: 2 } } });
    await wrapped.generate({ prompt: "p" }); // costs $1
    await wrapped.generate({ prompt: "p" }); // $1 + ~0 estimated ≤ 1.5: allowed, costs $1
    await expect(wrapped.generate({ prompt: "p" })).rejects.toThrow(/budget\.maxCost = 1\.5 would be exceeded/);
    expect(calls).toHaveLength(2);

    const unpriced = withUsage(metered().engine, { budget: { maxCost: 1 } });
    await expect(unpriced.generate({ prompt: "p" })).rejects.toThrow(ConfigError);
    await expect(unpriced.generate({ prompt: "p" })).rejects.toThrow(/add prices\["gpt-4o-mini"\]/);
  });

  it("rejects nonsense options", () => {
    expect(() => withUsage(metered().engine, { budget: { maxTokens: -1 } })).toThrow(InvalidArgumentError);
    expect(() => withUsage(metered().engine, { prices: { m: { input: 1 } as never } })).toThrow(/prices\["m"\]/);
  });
});

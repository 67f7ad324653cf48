import { ChatOpenAI } from "@langchain/openai";
import { afterEach, describe, expect, it } from "vitest";
import { withCache } from "../../src/engine/cache.js";
import { chatModelEngine } from "../../src/engine/chat-model-engine.js";
import { withRetry, type RetryOptions } from "../../src/engine/retry.js";
import type { Engine } from "../../src/engine/types.js";
import { withUsage } from "../../src/engine/usage.js";
import { EngineCallError } from "../../src/errors.js";
import { startStubServer, type StubFailure, type StubServer } from "../../src/testing/stub-server.js";
import { prng } from "../support/prng.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** The defaults, with waits shrunk so 100 runs take a second; everything else (8 retries, full jitter, deadline) as shipped. */
const TINY: RetryOptions = { minDelayMs: 1, maxDelayMs: 2 };
const CALLS = 30;
const openai = (url: string) => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: url } });

/** An engine failing 30% of attempts (seeded) with a 429 or a 500 carrying `status`, otherwise answering deterministically. */
function flaky(seed: number): Engine {
  const random = prng(seed);
  return {
    model: "flaky",
    async generate(request) {
      if (random() < 0.3) {
        const status = random() < 0.5 ? 429 : 500;
        throw Object.assign(new Error(`HTTP ${status}`), { status });
      }
      return { text: `answer to ${request.prompt}` };
    },
  };
}

/** Runs the sequence of CALLS calls; true when every reply is the fault-free one. */
async function runSurvives(engine: Engine): Promise<boolean> {
  for (let i = 0; i < CALLS; i++) {
    try {
      if ((await engine.generate({ prompt: `step ${i}` })).text !== `answer to step ${i}`) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function survivingRuns(options: RetryOptions): Promise<number> {
  let survived = 0;
  for (let seed = 1; seed <= 100; seed++) if (await runSurvives(withRetry(flaky(seed), options))) survived++;
  return survived;
}

describe("withRetry defaults survive a 30% transient failure rate", () => {
  it("≥ 99 of 100 seeded runs of 30 calls get the fault-free replies (defaults, tiny waits)", async () => {
    expect(await survivingRuns(TINY)).toBeGreaterThanOrEqual(99);
  });

  it("the old default of 3 retries loses many of the same runs (why the default changed)", async () => {
    expect(await survivingRuns({ ...TINY, maxRetries: 3 })).toBeLessThan(90);
  });

  it("over HTTP: the real ChatOpenAI against a stub failing 30% (seeded, some with Retry-After) gets every fault-free reply", async () => {
    const random = prng(7);
    const scripted: Array<StubFailure | undefined> = [];
    const failures = (_request: unknown, index: number): StubFailure | undefined => {
      const failure: StubFailure | undefined =
        random() < 0.3 ? { status: random() < 0.5 ? 429 : 500, ...(random() < 0.3 ? { retryAfterSeconds: 0 } : {}) } : undefined;
      scripted[index] = failure;
      return failure;
    };
    stub = await startStubServer({ reply: (request) => `answer to ${request.prompt}`, failures });
    const engine = withRetry(chatModelEngine(openai(stub.url)), TINY);
    for (let i = 0; i < CALLS; i++) expect((await engine.generate({ prompt: `step ${i}` })).text).toBe(`answer to step ${i}`);
    const failed = scripted.filter(Boolean).length;
    expect(failed).toBeGreaterThan(3);
    expect(stub.requests).toHaveLength(CALLS + failed);
  });
});

describe("withRetry waits, deadline and abort", () => {
  it("honours a Retry-After header from the server", async () => {
    stub = await startStubServer({ reply: "later", failures: [{ status: 429, retryAfterSeconds: 1 }] });
    const started = Date.now();
    const reply = await withRetry(chatModelEngine(openai(stub.url)), { minDelayMs: 0, maxDelayMs: 0 }).generate({ prompt: "hi" });
    expect(reply.text).toBe("later");
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it("fails at once on a Retry-After past 60 s", async () => {
    stub = await startStubServer({ reply: "never", failures: [{ status: 503, retryAfterSeconds: 3600 }] });
    await expect(withRetry(chatModelEngine(openai(stub.url)), TINY).generate({ prompt: "hi" })).rejects.toThrow(EngineCallError);
    expect(stub.requests).toHaveLength(1);
  });

  it("gives up at the deadline, aborting an attempt that hangs, with the last error as cause", async () => {
    stub = await startStubServer({ reply: "never", failures: (_request, index) => (index === 0 ? { status: 500 } : "timeout") });
    const started = Date.now();
    const error = await withRetry(chatModelEngine(openai(stub.url)), { ...TINY, deadlineMs: 300 }).generate({ prompt: "hi" }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/gave up after 2 attempts in .* s \(deadlineMs = 300\)/);
  });

  it("stops waiting as soon as the caller aborts, rethrowing the abort", async () => {
    const always503: Engine = { model: "down", generate: async () => Promise.reject(Object.assign(new Error("down"), { status: 503 })) };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await withRetry(always503, { minDelayMs: 10_000, maxDelayMs: 10_000 })
      .generate({ prompt: "x", signal: controller.signal })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ name: "AbortError" });
  });

  it("validates its options", () => {
    const engine = flaky(1);
    expect(() => withRetry(engine, { minDelayMs: -1 })).toThrow(/minDelayMs must be a finite number ≥ 0/);
    expect(() => withRetry(engine, { maxDelayMs: Number.NaN })).toThrow(/maxDelayMs/);
    expect(() => withRetry(engine, { deadlineMs: 0 })).toThrow(/deadlineMs must be a number > 0/);
    expect(() => withRetry(engine, { deadlineMs: Infinity })).not.toThrow();
  });
});

describe("calls already answered are not paid twice when a step is re-run", () => {
  it("withUsage(withCache(withRetry(engine))): re-running a batch after a failure mid-batch asks the server only for the rest", async () => {
    // The third prompt fails 3 times in a row (its retries run out), then the server recovers.
    let thirdFailures = 0;
    stub = await startStubServer({
      reply: (request) => `answer to ${request.prompt}`,
      failures: (request) => (request.prompt === "p2" && thirdFailures++ < 3 ? { status: 500 } : undefined),
    });
    const engine = withUsage(withCache(withRetry(chatModelEngine(openai(stub.url)), { ...TINY, maxRetries: 2 })));
    const batch = ["p0", "p1", "p2", "p3", "p4"];
    const run = async () => {
      const replies: string[] = [];
      for (const prompt of batch) replies.push((await engine.generate({ prompt })).text);
      return replies;
    };
    await expect(run()).rejects.toThrow(/still failed after 3 attempts/);
    expect(stub.requests.map((r) => r.prompt)).toEqual(["p0", "p1", "p2", "p2", "p2"]);

    expect(await run()).toEqual(batch.map((p) => `answer to ${p}`));
    expect(stub.requests.slice(5).map((r) => r.prompt)).toEqual(["p2", "p3", "p4"]);
    expect(engine.usage).toMatchObject({ calls: 7, cachedCalls: 2 });
  });
});

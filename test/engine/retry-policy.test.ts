import { classifyRateLimitError } from "@langchain/core/utils/async_caller";
import { describe, expect, it } from "vitest";
import { decideRetry } from "../../src/engine/retry-policy.js";
import { BudgetExceededError, ConfigError, EngineCallError } from "../../src/errors.js";

const withStatus = (status: number, extra: Record<string, unknown> = {}) => Object.assign(new Error(`HTTP ${status}`), { status, ...extra });
const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const retries = (error: unknown) => decideRetry(error).retry;

describe("decideRetry", () => {
  it("retries 429, 408 and 5xx", () => {
    for (const status of [429, 408, 500, 502, 503]) expect(retries(withStatus(status)), String(status)).toBe(true);
  });

  it("does not retry other 4xx", () => {
    for (const status of [400, 401, 403, 404, 409, 413, 422]) expect(retries(withStatus(status)), String(status)).toBe(false);
  });

  it("reads the status through `cause` (chatModelEngine wraps provider errors)", () => {
    expect(retries(new EngineCallError("wrapped", { cause: withStatus(503) }))).toBe(true);
    expect(retries(new EngineCallError("wrapped", { cause: withStatus(401) }))).toBe(false);
    expect(retries(new EngineCallError("wrapped", { cause: { response: { status: 500 } } }))).toBe(true);
  });

  it("stops on exhausted quota and honours a short Retry-After", () => {
    expect(retries(withStatus(429, { code: "insufficient_quota" }))).toBe(false);
    expect(retries(withStatus(429, { message: "You exceeded your current quota, please check your plan and billing details." }))).toBe(false);
    expect(decideRetry(withStatus(429, { headers: { "retry-after": "2" } }))).toEqual({ retry: true, retryAfterMs: 2000 });
    expect(retries(withStatus(429, { headers: { "retry-after": "3600" } }))).toBe(false);
  });

  it("reads Retry-After in every form providers send it, on 429s and 5xx", () => {
    const wait = (error: unknown) => (decideRetry(error) as { retryAfterMs?: number }).retryAfterMs;
    expect(wait(withStatus(429, { headers: new Headers({ "retry-after-ms": "250", "retry-after": "9" }) }))).toBe(250);
    expect(wait(withStatus(503, { headers: new Headers({ "Retry-After": "3" }) }))).toBe(3000);
    expect(wait(withStatus(429, { response: { headers: { "Retry-After": "1" } } }))).toBe(1000);
    expect(wait(withStatus(429, { headers: { "retry-after": new Date(Date.now() + 5_000).toUTCString() } }))).toBeGreaterThan(3_000);
    expect(wait(Object.assign(new Error("Rate limit reached. Please try again in 1.5s."), { status: 429 }))).toBe(1500);
    expect(retries(withStatus(503, { headers: { "retry-after": "3600" } }))).toBe(false);
    expect(wait(withStatus(500))).toBeUndefined();
  });

  it("accepts LangChain's classifier in place of its own", () => {
    expect(decideRetry(withStatus(429, { headers: { "retry-after": "2" } }), classifyRateLimitError)).toEqual({ retry: true, retryAfterMs: 2000 });
    expect(decideRetry(withStatus(429, { code: "insufficient_quota" }), classifyRateLimitError)).toEqual({ retry: false });
  });

  it("retries timeouts and dropped connections, not parse errors or aborts", () => {
    expect(retries(named("TimeoutError", "Request timed out."))).toBe(true);
    expect(retries(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(true);
    expect(retries(new EngineCallError("wrapped", { cause: named("TimeoutError") }))).toBe(true);
    expect(retries(new SyntaxError("Unexpected token"))).toBe(false);
    expect(retries(named("AbortError"))).toBe(false);
    expect(retries(new EngineCallError("aborted", { cause: named("AbortError") }))).toBe(false);
  });

  it("never retries tracegrad's own errors other than EngineCallError", () => {
    expect(retries(new BudgetExceededError("over", { cause: withStatus(503) }))).toBe(false);
    expect(retries(new ConfigError("no key"))).toBe(false);
  });
});

import { classifyRateLimitError } from "@langchain/core/utils/async_caller";
import { describe, expect, it } from "vitest";
import { decideRetry } from "../../src/engine/retry-policy.js";
import { BudgetExceededError, ConfigError, EngineCallError } from "../../src/errors.js";

const withStatus = (status: number, extra: Record<string, unknown> = {}) => Object.assign(new Error(`HTTP ${status}`), { status, ...extra });
const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const retries = (error: unknown) => decideRetry(error, classifyRateLimitError).retry;

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
    expect(decideRetry(withStatus(429, { headers: { "retry-after": "2" } }), classifyRateLimitError)).toEqual({ retry: true, retryAfterMs: 2000 });
    expect(retries(withStatus(429, { headers: { "retry-after": "3600" } }))).toBe(false);
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

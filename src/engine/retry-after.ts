/**
 * @module engine/retry-after
 * What a rate-limited or overloaded provider says about waiting: a `Retry-After` / `retry-after-ms` header, a
 * "try again in 20s" message, or an exhausted quota that no wait will fix. Read from the error itself, so withRetry
 * needs no LangChain import (LangChain is an optional peer).
 */

/** What the provider said: stop (quota gone), or wait `retryAfterMs` if it said how long. */
export type RateLimitVerdict = { readonly action: "stop" } | { readonly action: "wait"; readonly retryAfterMs?: number };

/** Messages of 429s that mean the quota or credit is gone, not that requests came too fast. */
const QUOTA_EXHAUSTED = [
  /insufficient[_ -]?quota/i,
  /exceeded (?:your|the current|the available).+quota/i,
  /usage quota/i,
  /quota (?:has been )?exhausted/i,
  /billing/i,
  /credit balance/i,
  /out of credits/i,
];
const MESSAGE_HINT = /(?:try again in|retry after)\s+(\d+(?:\.\d+)?)\s*(milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m)\b/i;

/** Reads a 429 (or 5xx) error: `stop` when the quota is exhausted, else `wait` with the provider's delay if it gave one. */
export function readRateLimit(error: unknown): RateLimitVerdict {
  const e = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; error?: { code?: unknown }; message?: unknown };
  const code = typeof e.code === "string" ? e.code : typeof e.error?.code === "string" ? e.error.code : undefined;
  const message = typeof e.message === "string" ? e.message : "";
  if (code === "insufficient_quota" || QUOTA_EXHAUSTED.some((pattern) => pattern.test(message))) return { action: "stop" };
  const retryAfterMs = retryAfterFromHeaders(error) ?? retryAfterFromMessage(message);
  return retryAfterMs === undefined ? { action: "wait" } : { action: "wait", retryAfterMs };
}

/** `retry-after-ms` (OpenAI), else `Retry-After` as seconds or an HTTP date, from `error.headers` or `error.response.headers`. */
export function retryAfterFromHeaders(error: unknown): number | undefined {
  const e = error as { headers?: unknown; response?: { headers?: unknown } } | null | undefined;
  for (const headers of [e?.headers, e?.response?.headers]) {
    const ms = Number(header(headers, "retry-after-ms"));
    if (header(headers, "retry-after-ms") !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
    const value = header(headers, "retry-after")?.trim();
    if (!value) continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  const h = headers as { get?: (name: string) => string | null } & Record<string, unknown>;
  const value = typeof h.get === "function" ? h.get(name) : (h[name] ?? Object.entries(h).find(([key]) => key.toLowerCase() === name)?.[1]);
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

function retryAfterFromMessage(message: string): number | undefined {
  const match = MESSAGE_HINT.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  if (unit === "ms" || unit.startsWith("millisecond")) return value;
  if (unit === "m" || unit.startsWith("min")) return value * 60_000;
  return value * 1000;
}

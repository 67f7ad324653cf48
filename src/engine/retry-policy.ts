/**
 * @module engine/retry-policy
 * Which failures are worth another attempt: rate limits (429), server errors (5xx, 408) and timeouts or dropped
 * connections. Other 4xx (bad request, auth, unknown model) and tracegrad's own errors (budget, config) fail at once.
 * Wrappers such as chatModelEngine keep the provider error as `cause`, so the status is looked for along that chain.
 */
import { EngineCallError, TracegradError } from "../errors.js";
import { readRateLimit, retryAfterFromHeaders } from "./retry-after.js";

/**
 * Reads a 429: `action: "stop"` means waiting will not help (exhausted quota). Default {@link readRateLimit};
 * LangChain's `classifyRateLimitError` also fits.
 */
export type RateLimitClassifier = (error: unknown) => { action: string; retryAfterMs?: number } | undefined;

/** The outcome for one failed attempt. */
export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly retryAfterMs?: number };

/** Longest Retry-After we are willing to sleep for; past it, failing fast is more useful than a silent stall. */
export const MAX_RETRY_AFTER_MS = 60_000;
const NETWORK_CODES = new Set(["ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);
const NETWORK_NAMES = new Set(["TimeoutError", "APIConnectionTimeoutError", "APIConnectionError", "ConnectTimeoutError"]);

/**
 * Decides whether `error` should be retried, and how long the provider asked to wait (a Retry-After on a 429 or a
 * 5xx). A Retry-After longer than {@link MAX_RETRY_AFTER_MS} means no retry.
 */
export function decideRetry(error: unknown, classifyRateLimit: RateLimitClassifier = readRateLimit): RetryDecision {
  if (isAbortError(error)) return { retry: false };
  const chain = causeChain(error);
  if (TracegradError.isInstance(error) && !EngineCallError.isInstance(error)) return { retry: false };
  const carrier = chain.find((e) => statusOf(e) !== undefined);
  const status = carrier === undefined ? undefined : statusOf(carrier);
  if (status !== undefined) {
    if (status === 429) {
      const verdict = classifyRateLimit(carrier);
      if (verdict?.action === "stop") return { retry: false }; // quota exhausted: waiting will not help
      const wait = verdict?.retryAfterMs;
      if (wait !== undefined && wait > MAX_RETRY_AFTER_MS) return { retry: false };
      return wait === undefined ? { retry: true } : { retry: true, retryAfterMs: wait };
    }
    if (!(status === 408 || status >= 500)) return { retry: false };
    const wait = retryAfterFromHeaders(carrier); // 503s often say when to come back
    if (wait !== undefined && wait > MAX_RETRY_AFTER_MS) return { retry: false };
    return wait === undefined ? { retry: true } : { retry: true, retryAfterMs: wait };
  }
  return { retry: chain.some(isTimeoutOrNetwork) };
}

/** The HTTP status of an error (`status`, `statusCode` or `response.status`), if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const candidate of [e.status, e.statusCode, e.response?.status]) {
    if (typeof candidate === "number") return candidate;
  }
  return undefined;
}

/** `error`, its `cause`, the cause's cause … (at most 8, guarding against cycles). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8 && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/** Whether `error` or anything in its {@link causeChain} is an AbortError: the caller gave up, so never retry or rewrap. */
export function isAbortError(error: unknown): boolean {
  return causeChain(error).some((e) => typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError");
}

function isTimeoutOrNetwork(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return (
    (typeof name === "string" && NETWORK_NAMES.has(name)) ||
    (typeof code === "string" && NETWORK_CODES.has(code)) ||
    (typeof message === "string" && /\btimed? ?out\b|\btimeout\b/i.test(message))
  );
}

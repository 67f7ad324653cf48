/**
 * @module engine/retry
 * Retries with exponential backoff and full jitter, delegated to p-retry for the attempt loop, the retry count, the
 * overall deadline and abort handling. Ours are the policy of what to retry (retry-policy.ts) and the waits: full
 * jitter spreads the retries of many concurrent calls that failed together, and a provider's Retry-After is honoured.
 */
import pRetry from "p-retry";
import { EngineCallError, InvalidArgumentError, TracegradError } from "../errors.js";
import { engineLabels, type IdentifiedEngine } from "./engine-identity.js";
import { decideRetry, type RetryDecision } from "./retry-policy.js";
import type { Engine, EngineRequest, EngineResponse } from "./types.js";

/** Options of {@link withRetry}. Every delay is in milliseconds. */
export interface RetryOptions {
  /**
   * Attempts after the first. Default 8: with 30% of requests failing independently, one call still fails 9 times in
   * a row only about once in 50,000 calls.
   */
  readonly maxRetries?: number;
  /** Longest wait before the first retry; the n-th retry waits a random time up to minDelayMs · 2ⁿ⁻¹ (capped). Default 1,000. */
  readonly minDelayMs?: number;
  /** Cap of the backoff wait. Default 30,000. A longer Retry-After from the provider is still honoured, up to 60 s. */
  readonly maxDelayMs?: number;
  /**
   * Time allowed for one call, all attempts and waits included; an attempt still running then is aborted. Default
   * 120,000. `Infinity` for none.
   */
  readonly deadlineMs?: number;
}

/** The defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS = { maxRetries: 8, minDelayMs: 1_000, maxDelayMs: 30_000, deadlineMs: 120_000 } as const;

/**
 * Returns an engine that retries failed calls on 429, 5xx, 408 and timeouts or dropped connections: up to
 * `maxRetries` more attempts, exponential backoff with full jitter, at least as long as a Retry-After the provider
 * sent (up to 60 s; a longer one fails at once), all within `deadlineMs` per call. Other errors fail at once,
 * unchanged if they are tracegrad errors. When the retries or the deadline run out, the last error is thrown as the
 * `cause` of an EngineCallError. The request's `signal` stops waiting and attempts at once.
 *
 * Give the model itself no retries (ChatOpenAI `maxRetries: 0`), or attempts multiply. Put withCache outside it —
 * `withUsage(withCache(withRetry(engine)))` — so a step that is re-run after a failure re-asks only what failed.
 *
 * @example
 * const engine = withRetry(chatModelEngine(new ChatOpenAI({ model: "gpt-4o-mini", maxRetries: 0 })), { deadlineMs: 60_000 });
 */
export function withRetry(engine: Engine, options: RetryOptions = {}): IdentifiedEngine {
  const { maxRetries, minDelayMs, maxDelayMs, deadlineMs } = validateOptions(options);
  const name = engine.model ?? "engine";

  return {
    ...engineLabels(engine),
    async generate(request: EngineRequest): Promise<EngineResponse> {
      request.signal?.throwIfAborted();
      // Our own timer rather than AbortSignal.timeout, so it is cleared when the call ends instead of lingering.
      const deadlineController = Number.isFinite(deadlineMs) ? new AbortController() : undefined;
      const timer = deadlineController && setTimeout(() => deadlineController.abort(new DOMException("withRetry deadline", "TimeoutError")), deadlineMs);
      timer?.unref?.();
      const deadline = deadlineController?.signal;
      const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      const started = performance.now();
      let attempts = 0;
      let lastError: unknown;
      let decision: RetryDecision = { retry: false };
      let outOfTime = false;
      try {
        return await pRetry(
          async () => {
            attempts++;
            try {
              return await engine.generate(signal ? { ...request, signal } : request);
            } catch (error) {
              lastError = error; // p-retry turns non-Error values into a TypeError; keep what the engine threw
              throw error;
            }
          },
          {
            retries: maxRetries,
            maxRetryTime: deadlineMs,
            // p-retry's own wait is 1–2× a fixed schedule; ours (full jitter, Retry-After) runs in shouldRetry instead.
            minTimeout: 0,
            randomize: false,
            ...(signal ? { signal } : {}),
            onFailedAttempt: () => {
              decision = decideRetry(lastError);
            },
            shouldRetry: async ({ retriesConsumed }) => {
              if (!decision.retry) return false;
              const backoff = Math.random() * Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
              const wait = Math.max(backoff, decision.retryAfterMs ?? 0);
              if (performance.now() - started + wait >= deadlineMs) {
                outOfTime = true; // sleeping past the deadline only to give up then helps nobody
                return false;
              }
              await sleep(wait, signal);
              return true;
            },
          },
        );
      } catch (error) {
        if (request.signal?.aborted) throw error; // the caller gave up: not a failure of the engine
        const cause = lastError ?? error;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const tried = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
        if (outOfTime || deadline?.aborted) {
          throw new EngineCallError(
            `withRetry: "${name}" gave up after ${tried} in ${seconds} s (deadlineMs = ${deadlineMs}): ${messageOf(cause)} ` +
              `Raise { deadlineMs } or check that the provider is up.`,
            { subject: name, cause },
          );
        }
        if (decision.retry) {
          throw new EngineCallError(
            `withRetry: "${name}" still failed after ${tried} (maxRetries = ${maxRetries}): ${messageOf(cause)} ` +
              `Raise { maxRetries } or check that the provider is up.`,
            { subject: name, cause },
          );
        }
        if (TracegradError.isInstance(cause)) throw cause;
        throw new EngineCallError(`withRetry: "${name}" failed with an error that is not retried: ${messageOf(cause)}`, { subject: name, cause });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function validateOptions(options: RetryOptions): Required<RetryOptions> {
  const merged = { ...RETRY_DEFAULTS, ...stripUndefined(options) };
  if (!(Number.isInteger(merged.maxRetries) && merged.maxRetries >= 0)) {
    throw new InvalidArgumentError(`withRetry: maxRetries must be an integer ≥ 0 (got ${String(merged.maxRetries)}); use 0 to disable retries.`, {
      subject: "maxRetries",
    });
  }
  for (const key of ["minDelayMs", "maxDelayMs"] as const) {
    if (!(Number.isFinite(merged[key]) && merged[key] >= 0)) {
      throw new InvalidArgumentError(`withRetry: ${key} must be a finite number ≥ 0 (got ${String(merged[key])}).`, { subject: key });
    }
  }
  if (!(typeof merged.deadlineMs === "number" && merged.deadlineMs > 0)) {
    throw new InvalidArgumentError(`withRetry: deadlineMs must be a number > 0, or Infinity for none (got ${String(merged.deadlineMs)}).`, {
      subject: "deadlineMs",
    });
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

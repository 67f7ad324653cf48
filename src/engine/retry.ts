/**
 * @module engine/retry
 * Retries with backoff, delegated to LangChain's AsyncCaller (exponential backoff with jitter, Retry-After support)
 * rather than a loop of our own. Only the policy of what to retry is ours (see retry-policy.ts).
 */
import type { AsyncCaller } from "@langchain/core/utils/async_caller";
import { EngineCallError, InvalidArgumentError, TracegradError } from "../errors.js";
import { engineLabels, type IdentifiedEngine } from "./engine-identity.js";
import { importOptional } from "./optional-import.js";
import { decideRetry, isAbortError } from "./retry-policy.js";
import type { Engine, EngineRequest, EngineResponse } from "./types.js";

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Attempts after the first. Default 3. The first retry waits 1–2 s, each next one about twice as long. */
  readonly maxRetries?: number;
}

/**
 * Returns an engine that retries failed calls on 429, 5xx, 408 and timeouts or dropped connections, with exponential
 * backoff (LangChain's AsyncCaller). Other errors fail at once, unchanged if they are tracegrad errors. When the
 * retries run out, the last error is thrown as the `cause` of an EngineCallError. Needs `@langchain/core`, loaded on
 * the first call.
 *
 * @example
 * const engine = withRetry(chatModelEngine(new ChatOpenAI({ model: "gpt-4o-mini", maxRetries: 0 })), { maxRetries: 5 });
 */
export function withRetry(engine: Engine, options: RetryOptions = {}): IdentifiedEngine {
  const maxRetries = options.maxRetries ?? 3;
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new InvalidArgumentError(`withRetry: maxRetries must be an integer ≥ 0 (got ${String(maxRetries)}); use 0 to disable retries.`, {
      subject: "maxRetries",
    });
  }
  const name = engine.model ?? "engine";
  // Remembers what the policy said about each failed attempt, to tell "retries ran out" from "not retryable".
  const decisions = new WeakMap<object, boolean>();
  let caller: Promise<AsyncCaller> | undefined;
  const getCaller = () =>
    (caller ??= importOptional(() => import("@langchain/core/utils/async_caller"), "@langchain/core", "withRetry()").then(
      ({ AsyncCaller, classifyRateLimitError }) =>
        new AsyncCaller({
          maxRetries,
          maxConcurrency: Infinity,
          // Throwing stops the retries; returning lets AsyncCaller back off and try again.
          onFailedAttempt: (error: unknown) => {
            const decision = decideRetry(error, classifyRateLimitError);
            if (typeof error === "object" && error !== null) decisions.set(error, decision.retry);
            if (!decision.retry) throw error;
            if (decision.retryAfterMs !== undefined && typeof error === "object" && error !== null) {
              (error as { retryAfterMs?: number }).retryAfterMs = decision.retryAfterMs; // p-retry waits at least this long
            }
          },
        }),
    ));

  return {
    ...engineLabels(engine),
    async generate(request: EngineRequest): Promise<EngineResponse> {
      const asyncCaller = await getCaller();
      let attempts = 0;
      try {
        return await asyncCaller.callWithOptions({ ...(request.signal ? { signal: request.signal } : {}) }, () => {
          request.signal?.throwIfAborted(); // otherwise a retry could start after the caller gave up
          attempts++;
          return engine.generate(request);
        });
      } catch (error) {
        if (isAbortError(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (typeof error === "object" && error !== null && decisions.get(error) === true) {
          throw new EngineCallError(
            `withRetry: "${name}" still failed after ${attempts} attempt${attempts === 1 ? "" : "s"} (maxRetries = ${maxRetries}): ${message} ` +
              `Raise { maxRetries } or check that the provider is up.`,
            { subject: name, cause: error },
          );
        }
        if (TracegradError.isInstance(error)) throw error;
        throw new EngineCallError(`withRetry: "${name}" failed with an error that is not retried: ${message}`, { subject: name, cause: error });
      }
    },
  };
}

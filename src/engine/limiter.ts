/**
 * @module engine/limiter
 * A counting semaphore, and an engine wrapper that bounds how many calls are in flight.
 */
import { InvalidArgumentError } from "../errors.js";
import { engineLabels } from "./engine-identity.js";
import type { Engine, EngineRequest, EngineResponse } from "./types.js";

/** Runs at most `concurrency` tasks at once; the rest wait in FIFO order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a FIFO limiter. `Infinity` means no limit. */
export function createLimiter(concurrency: number): Limiter {
  if (!(concurrency >= 1)) {
    throw new InvalidArgumentError(`concurrency must be a number ≥ 1 (got ${String(concurrency)}); use 1 for strictly sequential calls.`, { subject: "concurrency" });
  }
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** Returns an engine that lets at most `concurrency` calls of `engine` run at once. */
export function withLimit(engine: Engine, concurrency: number): Engine {
  const limit = createLimiter(concurrency);
  return {
    ...engineLabels(engine),
    generate: (request: EngineRequest): Promise<EngineResponse> => limit(() => engine.generate(request)),
  };
}

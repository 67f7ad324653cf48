/**
 * @module engine/shared-calls
 * Identical requests made while the first is still running share one call. Each caller keeps its own abort signal:
 * one caller giving up must not reject the others, so the shared call is cancelled only when every caller waiting on it
 * has aborted.
 */

/** One running call and the callers still waiting for it. */
interface SharedCall<T> {
  promise: Promise<T>;
  readonly controller: AbortController;
  waiting: number;
}

/** Runs a task once per key at a time; see {@link createSharedCalls}. */
export type SharedCalls<T> = (key: string, signal: AbortSignal | undefined, task: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * Returns a function that runs `task` for `key` unless a call for `key` is already running, in which case the caller
 * joins it. The task gets a signal of its own, aborted only when the last waiting caller aborted. A caller whose
 * `signal` aborts is rejected at once with the signal's reason; the others keep waiting. Callers without a signal never
 * abort, so a call they wait for always runs to the end.
 */
export function createSharedCalls<T>(): SharedCalls<T> {
  const running = new Map<string, SharedCall<T>>();

  const start = (key: string, task: (signal: AbortSignal) => Promise<T>): SharedCall<T> => {
    const controller = new AbortController();
    const call = { controller, waiting: 0 } as SharedCall<T>;
    call.promise = (async () => {
      await undefined; // so the entry is in the map before the task can settle and remove it
      try {
        return await task(controller.signal);
      } finally {
        if (running.get(key) === call) running.delete(key);
      }
    })();
    call.promise.catch(() => undefined); // rejections reach the waiting callers; this only keeps them from counting as unhandled
    running.set(key, call);
    return call;
  };

  return (key, signal, task) => {
    signal?.throwIfAborted();
    const call = running.get(key) ?? start(key, task);
    call.waiting++;
    if (!signal) return call.promise.finally(() => call.waiting--);
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        call.waiting--;
        if (call.waiting === 0) {
          // Nobody wants this reply any more: cancel it, and let a later caller start afresh rather than join it.
          if (running.get(key) === call) running.delete(key);
          call.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      call.promise.then(
        (value) => {
          if (done) return;
          done = true;
          call.waiting--;
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          call.waiting--;
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  };
}

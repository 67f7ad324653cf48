import { describe, expect, it } from "vitest";
import { createSharedCalls } from "../../src/engine/shared-calls.js";

describe("createSharedCalls", () => {
  it("runs one task per key at a time and hands its result to every caller", async () => {
    const shared = createSharedCalls<string>();
    let runs = 0;
    const task = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return "done";
    };
    expect(await Promise.all([shared("k", undefined, task), shared("k", new AbortController().signal, task), shared("other", undefined, task)])).toEqual([
      "done",
      "done",
      "done",
    ]);
    expect(runs).toBe(2);
    await shared("k", undefined, task); // settled calls are forgotten: a new one runs
    expect(runs).toBe(3);
  });

  it("hands a failure to every caller, and forgets it", async () => {
    const shared = createSharedCalls<string>();
    const boom = new Error("boom");
    const failing = async () => Promise.reject(boom);
    const results = await Promise.allSettled([shared("k", undefined, failing), shared("k", undefined, failing)]);
    expect(results).toEqual([
      { status: "rejected", reason: boom },
      { status: "rejected", reason: boom },
    ]);
    expect(await shared("k", undefined, async () => "ok")).toBe("ok");
  });

  it("aborts the task's own signal only after the last caller with a signal aborted", async () => {
    const shared = createSharedCalls<string>();
    let taskSignal: AbortSignal | undefined;
    const hanging = (signal: AbortSignal) => {
      taskSignal = signal;
      return new Promise<string>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    };
    const [a, b] = [new AbortController(), new AbortController()];
    const first = shared("k", a.signal, hanging);
    const second = shared("k", b.signal, hanging);
    await Promise.resolve();
    a.abort(new Error("a gave up"));
    await expect(first).rejects.toThrow("a gave up");
    expect(taskSignal?.aborted).toBe(false);
    b.abort(new Error("b gave up"));
    await expect(second).rejects.toThrow("b gave up");
    expect(taskSignal?.aborted).toBe(true);
  });
});

// optimize({ signal }): an abort stops the loop between steps — the step in flight is decided and journaled, the
// result says why it stopped, and the same checkpointDir continues.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { optimize } from "../../../src/index.js";
import { createSimulatedTask } from "../../../src/testing/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-optimize-abort-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("optimize({ signal })", () => {
  it("stops after the step in flight, returns the best so far with stopReason aborted, and resumes from the journal", async () => {
    const abort = new AbortController();
    const checkpointDir = join(dir, "run");
    const first = await optimize({
      ...taskOptions(createSimulatedTask({ seed: 3 })),
      steps: 6,
      checkpointDir,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === "step" && e.step === 2) abort.abort();
      },
    });
    expect(first.stopReason).toBe("aborted");
    expect(first.stopMessage).toMatch(/before step 3 \(2 steps decided\)/);
    expect(first.steps.map((s) => s.step)).toEqual([1, 2]);

    const rest = await optimize({ ...taskOptions(createSimulatedTask({ seed: 3 })), steps: 6, checkpointDir });
    expect(rest.resumedSteps).toBe(2);
    expect(rest.stopReason).toBe("steps");
    expect(rest.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const uninterrupted = await optimize({ ...taskOptions(createSimulatedTask({ seed: 3 })), steps: 6 });
    expect(rest.best.values).toEqual(uninterrupted.best.values);
  });

  it("refuses a signal that is not an AbortSignal", async () => {
    await expect(optimize({ ...taskOptions(createSimulatedTask({ seed: 1 })), signal: "stop" as never })).rejects.toThrow(/signal must be an AbortSignal/);
  });
});

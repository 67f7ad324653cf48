import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { optimize, type OptimizeEvent } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

const base = (task: ReturnType<typeof createSimulatedTask>) => ({ ...taskOptions(task), steps: 8 });

describe("optimize() budget", () => {
  it.each([3, 8, 12])("maxCalls %i is a hard cap, even with calls in flight; the run ends cleanly with the best so far", async (maxCalls) => {
    const task = createSimulatedTask({ seed: 1 });
    const events: OptimizeEvent[] = [];
    const result = await optimize({ ...base(task), budget: { maxCalls }, concurrency: 8, onEvent: (e) => events.push(e) });
    expect(result.stopReason).toBe("budget");
    expect(result.stopMessage).toMatch(/maxCalls/);
    expect(task.engine.calls.length).toBeLessThanOrEqual(maxCalls);
    expect(result.usage.calls).toBe(task.engine.calls.length);
    expect(result.steps.length).toBeLessThan(8);
    expect(result.best.score).toBeGreaterThanOrEqual(result.baseline.score);
    expect(task.prompt.value).toBe(result.best.values["solver.system"]);
    const end = events.at(-1);
    expect(end).toMatchObject({ type: "end", stopReason: "budget" });
  });

  it("maxTokens caps the tokens spent; the start event estimated the spend before any was made", async () => {
    const task = createSimulatedTask({ seed: 1 });
    const events: OptimizeEvent[] = [];
    const result = await optimize({ ...base(task), steps: 40, concurrency: 1, budget: { maxTokens: 10_000 }, onEvent: (e) => events.push(e) });
    expect(result.stopReason).toBe("budget");
    expect(result.usage.totalTokens).toBeLessThanOrEqual(10_000);
    const start = events[0];
    expect(start?.type).toBe("start");
    if (start?.type !== "start") return;
    expect(start.estimate.calls).toBeGreaterThan(0);
    expect(start.estimate.tokens).toBeGreaterThan(0);
    expect(events.findIndex((e) => e.type === "step")).toBeGreaterThan(0);

    // the estimate is of the right size: within a factor of 3 of what an unlimited run spends per step with feedback
    const free = createSimulatedTask({ seed: 1 });
    const full = await optimize(base(free));
    const spending = full.steps.filter((s) => s.usage.calls > 0);
    const perStep = spending.reduce((n, s) => n + s.usage.calls, 0) / spending.length;
    expect(start.estimate.perStep.calls).toBeGreaterThan(perStep / 3);
    expect(start.estimate.perStep.calls).toBeLessThan(perStep * 3);
  });

  it("counts earlier sessions' spend on resume, and journals why it stopped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tracegrad-budget-"));
    try {
      const first = createSimulatedTask({ seed: 1 });
      const a = await optimize({ ...base(first), budget: { maxCalls: 12 }, checkpointDir: dir });
      expect(a.stopReason).toBe("budget");
      const second = createSimulatedTask({ seed: 1 });
      const b = await optimize({ ...base(second), budget: { maxCalls: 12 }, checkpointDir: dir });
      expect(b.stopReason).toBe("budget");
      // the decided steps' spend is counted: at most what the first session left unspent is spent now
      const decidedCalls = a.steps.reduce((n, s) => n + s.usage.calls - s.usage.cachedCalls, 0);
      expect(second.engine.calls.length).toBeLessThanOrEqual(12 - decidedCalls);
      const records = readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; reason?: string });
      expect(records.filter((r) => r.type === "stop").map((r) => r.reason)).toEqual(["budget", "budget"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

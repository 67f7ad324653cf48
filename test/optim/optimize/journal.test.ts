import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CheckpointError, optimize } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const options = (task: ReturnType<typeof createSimulatedTask>, steps: number) => ({
  ...taskOptions(task), steps, checkpointDir: dir,
});
const journalOf = () => path.join(dir, "journal.jsonl");

describe("optimize() journal", () => {
  it("tolerates a torn last line (a kill mid-write) and writes the next record on a line of its own", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tracegrad-journal-"));
    const first = await optimize(options(createSimulatedTask({ seed: 2 }), 2));
    appendFileSync(journalOf(), '{"type":"step-start","step":3,"bat'); // torn: no newline, cut mid-record
    const second = await optimize(options(createSimulatedTask({ seed: 2 }), 4));
    expect(second.steps.slice(0, 2)).toEqual(first.steps);
    expect(second.steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    const lines = readFileSync(journalOf(), "utf8").trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("refuses a journal corrupted before its last line, naming the line", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tracegrad-journal-"));
    await optimize(options(createSimulatedTask({ seed: 2 }), 2));
    const lines = readFileSync(journalOf(), "utf8").split("\n");
    lines[1] = "{not json";
    writeFileSync(journalOf(), lines.join("\n"));
    const task = createSimulatedTask({ seed: 2 });
    const error = await optimize(options(task, 3)).catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/line 2/);
    expect(task.engine.calls).toHaveLength(0);
  });

  it("writes, per step, its start, its proposals with their feedback, and the decision", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tracegrad-journal-"));
    const result = await optimize(options(createSimulatedTask({ seed: 1 }), 3));
    const records = readFileSync(journalOf(), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; step?: number; record?: unknown; proposals?: unknown[] });
    expect(records.slice(0, 2).map((r) => r.type)).toEqual(["header", "baseline"]);
    const decisions = records.filter((r) => r.type === "decision").map((r) => r.record);
    expect(decisions).toEqual(result.steps);
    const proposals = records.filter((r) => r.type === "proposals");
    expect(proposals.length).toBeGreaterThan(0);
    for (const p of proposals) expect((p.proposals as Array<{ feedback: string[] }>).every((x) => x.feedback.length > 0)).toBe(true);
  });
});

describe("optimize() checkpoint lock", () => {
  it("refuses a directory another live run holds, and takes over one whose holder died", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tracegrad-journal-"));
    const task = createSimulatedTask({ seed: 2 });
    const running = optimize(options(task, 2)); // takes the lock before its first await
    const error = await optimize(options(createSimulatedTask({ seed: 2 }), 2)).catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/in use by process \d+ \(this one\)/);
    await running;
    // a lock left by a process that is gone (as after SIGKILL) is taken over
    writeFileSync(path.join(dir, "lock"), JSON.stringify({ host: (await import("node:os")).hostname(), pid: 2 ** 22 + 12345 }));
    const resumed = await optimize(options(createSimulatedTask({ seed: 2 }), 3));
    expect(resumed.steps).toHaveLength(3);
  });
});

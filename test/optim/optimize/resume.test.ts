import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CheckpointMismatchError, ConfigError, optimize, type OptimizeResult } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

const CHILD = fileURLToPath(new URL("../../support/optimize-child.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "tracegrad-optimize-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the child; with `killWhen`, SIGKILLs it as soon as an event line satisfies it. */
function runChild(args: { dir: string; seed: number; steps: number; selection: string; delayMs: number }, killWhen?: (event: { type: string; step?: number; phase?: string }) => boolean) {
  const child = spawn(process.execPath, ["--import", TSX, CHILD, args.dir, String(args.seed), String(args.steps), args.selection, String(args.delayMs)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let killed = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    if (!killWhen || killed) return;
    for (const line of out.split("\n").slice(0, -1)) {
      const parsed = JSON.parse(line) as { event?: { type: string; step?: number; phase?: string } };
      if (parsed.event && killWhen(parsed.event)) {
        killed = true;
        child.kill("SIGKILL");
        break;
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  return new Promise<{ signal: NodeJS.Signals | null; code: number | null; result?: OptimizeResult; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = out.trim().split("\n").at(-1);
      const parsed = last ? (JSON.parse(last) as { result?: OptimizeResult }) : {};
      resolve({ code, signal, stderr: err, ...(parsed.result ? { result: parsed.result } : {}) });
    });
  });
}

function journal(dir: string): Array<{ type: string; step?: number; record?: { step: number } }> {
  return readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

const decisive = (r: OptimizeResult) => ({
  baseline: r.baseline.score,
  best: r.best,
  steps: r.steps.map((s) => ({ step: s.step, accepted: s.accepted, score: s.score, reason: s.reason, batch: s.batch, proposals: s.proposals.map((p) => [p.parameter, p.after, p.status]) })),
  pool: r.pool,
});

describe("optimize() resume after SIGKILL", () => {
  it.each(["greedy", "pareto"])("%s: killed at several points, resumed, ends as an uninterrupted run with no decided step redone", async (selection) => {
    const common = { seed: 2, steps: 6, selection, delayMs: 15 };
    const whole = await runChild({ ...common, dir: freshDir() });
    expect(whole.code, whole.stderr).toBe(0);

    const dir = freshDir();
    const kills: Array<(e: { type: string; step?: number; phase?: string }) => boolean> = [
      (e) => e.type === "start",
      (e) => e.type === "progress" && e.step === 1 && e.phase === "propose", // backward answered, the update in flight
      (e) => e.type === "step" && e.step === 3,
      (e) => e.type === "progress" && e.step === 5 && e.phase === "validate",
    ];
    for (const killWhen of kills) {
      const killed = await runChild({ ...common, dir }, killWhen);
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
    }
    const resumed = await runChild({ ...common, dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(decisive(resumed.result!)).toEqual(decisive(whole.result!));
    expect(resumed.result!.resumedSteps).toBeGreaterThan(0);
    // step 1 was redone after the kill inside it: its backward calls, answered before the kill, came from the cache
    expect(resumed.result!.steps[0]!.usage.cachedCalls).toBeGreaterThan(0);
    expect(whole.result!.steps[0]!.usage.cachedCalls).toBe(0);

    // each step decided exactly once in the journal, none lost, none redone
    const decisions = journal(dir).filter((r) => r.type === "decision").map((r) => r.record!.step);
    expect(decisions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(journal(dir).filter((r) => r.type === "baseline")).toHaveLength(1);
  }, 120_000);

  it("continues a finished run when asked for more steps, without redoing any", async () => {
    const dir = freshDir();
    const first = createSimulatedTask({ seed: 2 });
    const opts = (task: typeof first, steps: number) => ({ ...taskOptions(task), steps, checkpointDir: dir });
    const a = await optimize(opts(first, 3));
    const second = createSimulatedTask({ seed: 2 });
    const b = await optimize(opts(second, 5));
    // asking a finished run for no more steps redoes nothing and still reports start and end
    const done: string[] = [];
    const third = createSimulatedTask({ seed: 2 });
    const again = await optimize({ ...opts(third, 5), onEvent: (e) => done.push(e.type) });
    expect(again.steps).toEqual(b.steps);
    expect(done).toEqual(["start", "end"]);
    expect(third.engine.calls).toHaveLength(0);
    expect(b.steps.slice(0, 3)).toEqual(a.steps);
    expect(b.resumedSteps).toBe(3);
    expect(b.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    const uninterrupted = createSimulatedTask({ seed: 2 });
    const c = await optimize({ ...opts(uninterrupted, 5), checkpointDir: freshDir() });
    expect(decisive(b)).toEqual(decisive(c));
    // the second session ran only steps 4 and 5
    expect(journal(dir).filter((r) => r.type === "step-start").map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses a directory written with other options, naming what differs", async () => {
    const dir = freshDir();
    const task = createSimulatedTask({ seed: 2 });
    await optimize({ ...taskOptions(task), steps: 1, checkpointDir: dir });
    const other = createSimulatedTask({ seed: 2 });
    const base = { ...taskOptions(other), steps: 2, checkpointDir: dir };
    const attempts: Array<[string, object]> = [
      ["seed", { seed: 7 }],
      ["dataset", { trainset: other.trainset.slice(1) }],
      ["selection", { selection: "pareto" }],
      ["metric", { metric: function exactMatch(o: string, e: { answer: string }) { return o === e.answer ? 1 : 0; } }],
    ];
    for (const [field, change] of attempts) {
      const error = await optimize({ ...base, ...change } as typeof base).catch((e: unknown) => e);
      expect(CheckpointMismatchError.isInstance(error), String(error)).toBe(true);
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as CheckpointMismatchError).fields).toContain(field);
      expect((error as Error).message).toContain(dir);
    }
    expect(other.engine.calls).toHaveLength(0);
  });
});

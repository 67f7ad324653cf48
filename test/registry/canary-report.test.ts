import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  canaryReport,
  InvalidArgumentError,
  promptRegistry,
  trace,
  traceModule,
  type PromptRegistry,
  type SpanLike,
  type TracegradError,
} from "../../src/index.js";
import { prng } from "../support/prng.js";

let dir: string;
let registry: PromptRegistry;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-canary-"));
  registry = promptRegistry({ dir });
  await registry.publish("planner.system", "production text", { labels: ["production"] }); // v1
  await registry.publish("planner.system", "candidate text", { labels: ["candidate"], parent: 1 }); // v2
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Feedback {
  id: string;
  traceId: string;
  spanId?: string;
  name: string;
  score?: number;
  source: string;
  time: string;
}

/** A recorded run that read `version` of the planner prompt under `label`, as spans read back from a file would be. */
function run(i: number, version: number, label: string): { traceId: string; spans: SpanLike[] } {
  const traceId = i.toString(16).padStart(32, "0");
  const span = (spanId: string, name: string, attributes: SpanLike["attributes"]): SpanLike => ({
    name,
    spanContext: () => ({ traceId, spanId }),
    startTime: [1_700_000_000, 0],
    endTime: [1_700_000_001, 0],
    attributes,
  });
  return {
    traceId,
    spans: [
      span("0000000000000001", "tracegrad.run", { "tracegrad.kind": "run" }),
      // versions read back from OTLP JSON may be strings
      span("0000000000000002", "planner", { "gen_ai.prompt.name": "planner.system", "tracegrad.prompt.version": i % 2 ? version : String(version), "tracegrad.prompt.label": label }),
    ],
  };
}

/** n runs per version with 0/1 scores at the given success rates (seeded), and their feedback records. */
function traffic(n: number, rates: { production: number; candidate: number }, seed = 7) {
  const rng = prng(seed);
  const traces = [];
  const feedback: Feedback[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const canary = i % 2 === 1;
    const t = run(i, canary ? 2 : 1, canary ? "candidate" : "production");
    traces.push(t);
    const score = rng() < (canary ? rates.candidate : rates.production) ? 1 : 0;
    feedback.push({ id: `f${i}`, traceId: t.traceId, spanId: "0000000000000002", name: "user_thumbs", score, source: "human", time: "2026-12-05T10:00:00Z" });
  }
  return { traces, feedback };
}

describe("canaryReport", () => {
  it("promotes a clearly better canary, stating its rule and per-version intervals", () => {
    const { traces, feedback } = traffic(80, { production: 0.5, candidate: 0.9 });
    const report = canaryReport({ registry, name: "planner.system", traces, feedback });
    expect(report.decision).toBe("promote");
    expect(report.rule).toMatch(/at least 20 runs.*95% interval on the mean score difference.*promote if the interval lies above 0, roll back if it lies below 0, otherwise wait/);
    expect(report.versions.map((v) => [v.version, v.label, v.n])).toEqual([
      [1, "production", 80],
      [2, "candidate", 80],
    ]);
    for (const v of report.versions) {
      expect(v.interval[0]).toBeLessThan(v.mean);
      expect(v.interval[1]).toBeGreaterThan(v.mean);
    }
    expect(report.versions[1]!.mean).toBeGreaterThan(report.versions[0]!.mean);
    expect(report.difference!.interval[0]).toBeGreaterThan(0);
    expect(report).toMatchObject({ canary: 2, base: 1 });
  });

  it("rolls back a clearly worse canary", () => {
    const { traces, feedback } = traffic(80, { production: 0.85, candidate: 0.4 });
    const report = canaryReport({ registry, name: "planner.system", traces, feedback });
    expect(report.decision).toBe("rollback");
    expect(report.difference!.interval[1]).toBeLessThan(0);
    expect(report.reason).toMatch(/version 2 scores lower than version 1/);
  });

  it("waits below the minimum sample size, and when the interval straddles 0", () => {
    const few = traffic(10, { production: 0.1, candidate: 0.95 });
    const early = canaryReport({ registry, name: "planner.system", ...few });
    expect(early.decision).toBe("wait");
    expect(early.reason).toMatch(/10 scored runs of version 2 \(candidate\) and 10 of version 1 \(production\); 20 each are needed/);
    expect(canaryReport({ registry, name: "planner.system", ...few, minSamples: 5 }).decision).toBe("promote");

    const even = traffic(60, { production: 0.7, candidate: 0.7 }, 3);
    const tie = canaryReport({ registry, name: "planner.system", ...even });
    expect(tie.decision).toBe("wait");
    expect(tie.difference!.interval[0]).toBeLessThan(0);
    expect(tie.difference!.interval[1]).toBeGreaterThan(0);
  });

  it("uses the normal interval for non-binary scores, filters by metric, skips runs without reads, feedback or with two versions", () => {
    const traces = [];
    const feedback: Feedback[] = [];
    for (let i = 0; i < 60; i++) {
      const canary = i % 2 === 1;
      const t = run(i, canary ? 2 : 1, canary ? "candidate" : "production");
      traces.push(t);
      feedback.push({ id: `r${i}`, traceId: t.traceId, name: "rating", score: (canary ? 4 : 2) + (i % 3) * 0.5, source: "llm", time: "2026-12-05T10:00:00Z" });
      feedback.push({ id: `t${i}`, traceId: t.traceId, name: "thumbs", score: canary ? 0 : 1, source: "human", time: "2026-12-05T10:00:00Z" });
    }
    const mixed = run(999, 1, "production");
    mixed.spans.push({ ...mixed.spans[1]!, spanContext: () => ({ traceId: mixed.traceId, spanId: "0000000000000003" }), attributes: { "tracegrad.prompt.planner.system.version": 2, "tracegrad.prompt.planner.system.label": "candidate" } });
    const silent = run(1000, 1, "production");
    const unrelated = { traceId: "f".repeat(32), spans: [] };
    feedback.push({ id: "m", traceId: mixed.traceId, name: "rating", score: 5, source: "llm", time: "2026-12-05T10:00:00Z" });

    const byRating = canaryReport({ registry, name: "planner.system", traces: [...traces, mixed, silent, unrelated], feedback, metric: "rating" });
    expect(byRating.decision).toBe("promote");
    expect(byRating.difference!.method).toBe("normal (Welch)");
    expect(byRating.skipped).toEqual({ noRead: 1, noFeedback: 1, mixed: 1 });
    expect(byRating.versions.map((v) => v.mean)).toEqual([2.5, 4.5]);
    expect(canaryReport({ registry, name: "planner.system", traces, feedback, metric: "thumbs" }).decision).toBe("rollback");
  });

  it("waits when no canary is running, and rejects bad options with typed errors", async () => {
    const { traces, feedback } = traffic(40, { production: 0.5, candidate: 0.9 });
    await registry.setLabel("planner.system", "candidate", 1);
    const report = canaryReport({ registry, name: "planner.system", traces, feedback });
    expect(report.decision).toBe("wait");
    expect(report.reason).toMatch(/both point at version 1/);
    expect(() => canaryReport({ registry, name: "planner.system", traces, feedback, minSamples: 0 })).toThrow(/minSamples/);
    let error: unknown;
    try {
      canaryReport({ registry: undefined as never, name: "planner.system", traces, feedback });
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});

describe("checkCanary and autoRollback", () => {
  it("checkCanary applies a rollback: the canary label moves back to production's version", async () => {
    const { traces, feedback } = traffic(60, { production: 0.9, candidate: 0.3 });
    const check = await registry.checkCanary("planner.system", { traces: async () => traces, feedback });
    expect(check.decision).toBe("rollback");
    expect(check.applied).toEqual({ label: "candidate", from: 2, to: 1 });
    expect((await registry.get("planner.system", { label: "candidate" })).version).toBe(1);

    const good = traffic(60, { production: 0.3, candidate: 0.95 });
    await registry.setLabel("planner.system", "candidate", 2);
    const kept = await registry.checkCanary("planner.system", good);
    expect(kept.decision).toBe("promote");
    expect(kept.applied).toBeUndefined(); // promote is the user's call unless asked
    expect((await registry.get("planner.system")).version).toBe(1);
    const promoted = await registry.checkCanary("planner.system", { ...good, promote: true });
    expect(promoted.applied).toEqual({ label: "production", from: 1, to: 2 });
    expect((await registry.get("planner.system")).version).toBe(2);
  });

  it("autoRollback: traced runs read a bad canary, feedback comes in, the check moves the label back and later runs read production", async () => {
    let t = Date.parse("2026-12-05T10:00:00Z");
    const warnings: TracegradError[] = [];
    const live = promptRegistry({ dir, now: () => t, onWarning: (w) => warnings.push(w) });
    const stored: { traceId: string; spans: readonly SpanLike[] }[] = [];
    const feedback: Feedback[] = [];
    const planner = live.param("planner.system", {
      role: "system prompt of the planner",
      fallback: "code copy",
      canary: { label: "candidate", share: 0.5 },
      autoRollback: { traces: () => stored, feedback: () => feedback, minSamples: 15 },
    });
    const plan = traceModule("planner", async (q: string) => (planner.value === "candidate text" ? `bad plan for ${q}` : `good plan for ${q}`));
    const serve = async (i: number) => {
      const r = await trace(() => plan(`q${i}`));
      stored.push({ traceId: r.traceId, spans: r.spans });
      // a simulated judge: the candidate's plans are bad
      feedback.push({ id: `f${i}`, traceId: r.traceId, name: "judge", score: r.output.startsWith("good") ? 1 : 0, source: "code", time: new Date(t).toISOString() });
      return r.output;
    };
    const outputs = [];
    for (let i = 0; i < 80; i++) outputs.push(await serve(i));
    expect(outputs.some((o) => o.startsWith("bad"))).toBe(true);
    expect(outputs.some((o) => o.startsWith("good"))).toBe(true);

    t += 60_000; // the TTL passes: the next refresh runs the check
    await planner.refresh();
    expect((await live.get("planner.system", { label: "candidate" })).version).toBe(1);
    expect(warnings.some((w) => /canary version 2 rolled back — label "candidate" now points at version 1/.test(w.message))).toBe(true);

    t += 60_000;
    const after = [];
    for (let i = 80; i < 120; i++) after.push(await serve(i));
    expect(after.every((o) => o.startsWith("good"))).toBe(true);
  });
});

// The production loop end to end, offline: the unmodified Chameleon agent serves traffic reading its four prompts
// from a registry, spans leave through otlpFileExporter, a simulated judge leaves feedback on runs and on single
// steps, optimize() learns from the stored traces and publishes a candidate, a 20% canary collects feedback,
// canaryReport says promote and the label moves; then a regressed candidate is canaried and rolled back on its own.
// Every model here — the agent's, tracegrad's engine, the judges — is the simulated Chameleon world, not an LLM.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryReport, optimize, promptRegistry, readFeedback, readTraces, type PromptRegistry, type RegistryParamOptions } from "../../src/index.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { defaultChameleonPrompts, type ChameleonPrompts } from "../../examples/chameleon/prompts.js";
import {
  deployChameleon,
  productionOptimizerEngine,
  promptName as nameOf,
  publishDefaultPrompts,
  serveChameleon,
  type DeployedChameleon,
  type TrafficFiles,
} from "../../examples/chameleon/production.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-chameleon-prod-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The simulated Chameleon model: the agent's LLM and, through its tagged roles, tracegrad's backward and optimizer. */
const world = createChameleonModel(chameleonWorld);
const optimizerEngine = productionOptimizerEngine(world);
const deploy = (registry: PromptRegistry, options: Partial<RegistryParamOptions> = {}, canaried: readonly string[] = []): DeployedChameleon =>
  deployChameleon(registry, world, options, canaried);
const serve = (agent: DeployedChameleon, count: number, files: TrafficFiles) => serveChameleon(agent, count, files, basename(files.traces));

describe("Chameleon in production: traces and feedback in, a versioned prompt out, canaried and promoted; a regression rolled back", () => {
  it("runs the whole loop", async () => {
    let now = Date.parse("2026-12-05T10:00:00Z");
    const warnings: string[] = [];
    const registry = promptRegistry({ dir: join(dir, "prompts"), now: () => now, onWarning: (w) => warnings.push(w.message) });
    const defaults = defaultChameleonPrompts();
    await publishDefaultPrompts(registry);
    const files = (week: string) => ({ traces: join(dir, "traces", `${week}.jsonl`), feedback: join(dir, "feedback", `${week}.jsonl`) });

    // week 1: production traffic on the starting prompts, judged
    const before = await serve(deploy(registry), questions.length, files("week1"));
    expect(before).toBeLessThan(0.7);

    // optimize from what was stored: no access to the agent, the model calls that read a changed prompt are replayed
    const traces = await readTraces(files("week1").traces);
    const feedback = await readFeedback(files("week1").feedback);
    expect(traces).toHaveLength(questions.length);
    const result = await optimize({ traces, feedback, registry, engine: optimizerEngine, agentEngine: world, steps: 3, batchSize: 4, checkpointDir: join(dir, "runs", "prod-1") });
    expect(result.best.score).toBeGreaterThan(result.baseline.score);
    const published = result.published ?? [];
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) {
      const v = await registry.get(p.name, { label: "candidate" });
      expect(v).toMatchObject({ version: p.version, parent: 1 });
      const lineage = v.source as { traces: string[]; feedback: string[]; validation: { score: number } };
      expect(lineage.traces.every((id) => traces.some((t) => t.traceId === id))).toBe(true);
      expect(lineage.feedback.every((id) => feedback.some((f) => f.id === id))).toBe(true);
      expect(lineage.validation.score).toBe(result.best.score);
      expect((await registry.get(p.name)).version).toBe(1); // production untouched until the canary says so
    }

    // week 2: a 20% canary; the unmodified agent, the same judge
    const canaried = deploy(registry, { canary: { label: "candidate", share: 0.2 } }, published.map((p) => p.name));
    await serve(canaried, 384, files("week2"));
    const week2 = { traces: await readTraces(files("week2").traces), feedback: await readFeedback(files("week2").feedback) };
    const reports = published.map((p) => canaryReport({ registry, name: p.name, ...week2 }));
    for (const report of reports) {
      expect(report.decision).toBe("promote");
      const canary = report.versions.find((v) => v.label === "candidate")!;
      const base = report.versions.find((v) => v.label === "production")!;
      expect(canary.n).toBeGreaterThan(10);
      expect(canary.n).toBeLessThan(base.n); // about a fifth of the runs
      expect(canary.mean).toBeGreaterThan(base.mean);
    }
    for (const p of published) await registry.setLabel(p.name, "production", p.version);
    now += 120_000;
    const promoted = await serve(deploy(registry), questions.length, files("week3"));
    expect(promoted).toBeGreaterThan(before);

    // week 4: a regressed candidate (the promoted prompts reverted by hand) on a 20% canary with automatic rollback
    const week4 = files("week4");
    const reverted = published.map((p) => p.name);
    const good = new Map<string, number>();
    const bad = new Map<string, number>();
    for (const name of reverted) {
      good.set(name, (await registry.get(name)).version);
      bad.set(name, await registry.publish(name, defaults[name.replace("chameleon.", "") as keyof ChameleonPrompts], { labels: ["candidate"], parent: good.get(name)!, source: { note: "reverted by hand" } }));
    }
    const guarded = deploy(
      registry,
      { canary: { label: "candidate", share: 0.2 }, autoRollback: { traces: () => readTraces(week4.traces), feedback: () => readFeedback(week4.feedback), minSamples: 10 } },
      reverted,
    );
    await serve(guarded, 240, week4);
    now += 120_000; // the TTL passes: the next refresh of each prompt runs its check
    for (const p of Object.values(guarded.params)) await p.refresh();
    for (const name of reverted) {
      expect((await registry.get(name, { label: "candidate" })).version).toBe(good.get(name));
      expect((await registry.versions(name)).find((v) => v.version === bad.get(name))?.labels).not.toContain("candidate");
      expect(warnings.some((w) => w.includes(name) && new RegExp(`canary version ${bad.get(name)} rolled back`).test(w))).toBe(true);
    }
    // the same deployment, unchanged, now serves the promoted prompts to every run again
    now += 120_000;
    expect(await serve(guarded, questions.length, files("week5"))).toBe(promoted);
  }, 180_000); // about 1,000 agent runs: ~10 s alone, several times that on a loaded CI machine
});

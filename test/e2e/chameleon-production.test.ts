// The production loop end to end, offline: the unmodified Chameleon agent serves traffic reading its four prompts
// from a registry, spans leave through otlpFileExporter, a simulated judge leaves feedback on runs and on single
// steps, optimize() learns from the stored traces and publishes a candidate, a 20% canary collects feedback,
// canaryReport says promote and the label moves; then a regressed candidate is canaried and rolled back on its own.
// Every model here — the agent's, tracegrad's engine, the judges — is the simulated Chameleon world, not an LLM.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SimpleSpanProcessor, TracerProvider, type IdGenerator } from "@opentelemetry/sdk-trace";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  canaryReport,
  optimize,
  otlpFileExporter,
  promptRegistry,
  readFeedback,
  readTraces,
  recordFeedback,
  trace,
  traceModule,
  tracegradSpanProcessor,
  type Engine,
  type PromptRegistry,
  type RegistryParam,
  type RegistryParamOptions,
} from "../../src/index.js";
import { pairwiseJudgeRule } from "../../src/testing/index.js";
import { instrumentLangChain } from "../../adapters/langchain/index.js";
import { createChameleon, type ChameleonAgent } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { chameleonMetric } from "../../examples/chameleon/optimize-demo.js";
import { defaultChameleonPrompts, type ChameleonPrompts } from "../../examples/chameleon/prompts.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { findQuestion } from "../../examples/chameleon/sim/simulated-world.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-chameleon-prod-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = Object.keys(defaultChameleonPrompts()) as Array<keyof ChameleonPrompts>;
const nameOf = (k: keyof ChameleonPrompts) => `chameleon.${k}`;

/** The simulated Chameleon model: the agent's LLM and, through its tagged roles, tracegrad's backward and optimizer. */
const world = createChameleonModel(chameleonWorld);

/** A stand-in pairwise judge with the world's answers: the version that states the question's deciding fact, or picks the right option, wins. */
const judgeRule = pairwiseJudgeRule((r) => {
  const q = findQuestion(chameleonWorld, r.task);
  if (!q) return "TIE";
  const good = (text: string) => text.includes(q.keyFact) || text.includes(`"${q.choices[q.answer]}"`);
  const a = r.steps.filter((s) => good(s.a)).length;
  const b = r.steps.filter((s) => good(s.b)).length;
  return a > b ? "A" : b > a ? "B" : "TIE";
});
const optimizerEngine: Engine = { generate: async (r) => ({ text: judgeRule.matches(r) ? judgeRule.reply(r) : world.reply(r) }) };

/** The production deployment: the agent reading registry prompts (with the given param options), its modules traced. */
function deploy(registry: PromptRegistry, options: Partial<RegistryParamOptions> = {}, canaried: readonly string[] = []): ChameleonAgent & { params: Record<string, RegistryParam> } {
  const defaults = defaultChameleonPrompts();
  const params = Object.fromEntries(
    KEYS.map((k) => [k, registry.param(nameOf(k), { role: `system prompt of the Chameleon ${k} module`, fallback: defaults[k], ...(canaried.includes(nameOf(k)) ? options : {}) })]),
  );
  const agent = createChameleon({ model: new SimulatedChatModel(world) });
  agent.prompts = Object.defineProperties({} as ChameleonPrompts, Object.fromEntries(KEYS.map((k) => [k, { get: () => params[k]!.value, enumerable: true }])));
  const modules = agent.modules as unknown as Record<string, (...args: never[]) => unknown>;
  for (const name of Object.keys(modules)) modules[name] = traceModule(name, modules[name]!);
  return Object.assign(agent, { params });
}

/**
 * Span and trace ids from a counter hashed with the week's name, so which runs fall in a canary (a hash of the trace
 * id) is the same on every test run — a test double of the SDK's random ids.
 */
function seededIds(seed: string): IdGenerator {
  let n = 0;
  const next = (hex: number) => createHash("sha256").update(`${seed}:${n++}`).digest("hex").slice(0, hex);
  return { generateTraceId: () => next(32), generateSpanId: () => next(16) };
}

/** Serves `count` questions (cycling), exports every run, and has the simulated judge score each answer. */
async function serve(agent: ChameleonAgent, count: number, from: number, files: { traces: string; feedback: string }): Promise<number> {
  const provider = new TracerProvider({
    idGenerator: seededIds(basename(files.traces)),
    spanProcessors: [new SimpleSpanProcessor({ exporter: otlpFileExporter({ path: files.traces }) }), tracegradSpanProcessor()],
  });
  let correct = 0;
  for (let i = from; i < from + count; i++) {
    const q = questions[i % questions.length]!;
    const run = await trace(async () => {
      instrumentLangChain();
      return agent.solve(q);
    }, { tracer: provider.getTracer("chameleon-prod") });
    const verdict = chameleonMetric(run.output, q);
    correct += verdict.score;
    await recordFeedback({ traceId: run.traceId, name: "judge", score: verdict.score, ...(verdict.feedback ? { explanation: verdict.feedback } : {}), source: "llm" }, { path: files.feedback });
  }
  await provider.shutdown();
  return correct / count;
}

describe("Chameleon in production: traces and feedback in, a versioned prompt out, canaried and promoted; a regression rolled back", () => {
  it("runs the whole loop", async () => {
    let now = Date.parse("2026-12-05T10:00:00Z");
    const warnings: string[] = [];
    const registry = promptRegistry({ dir: join(dir, "prompts"), now: () => now, onWarning: (w) => warnings.push(w.message) });
    const defaults = defaultChameleonPrompts();
    for (const k of KEYS) await registry.publish(nameOf(k), defaults[k], { labels: ["production"] });
    const files = (week: string) => ({ traces: join(dir, "traces", `${week}.jsonl`), feedback: join(dir, "feedback", `${week}.jsonl`) });

    // week 1: production traffic on the starting prompts, judged
    const before = await serve(deploy(registry), questions.length, 0, files("week1"));
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
    await serve(canaried, 384, 0, files("week2"));
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
    const promoted = await serve(deploy(registry), questions.length, 0, files("week3"));
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
    await serve(guarded, 240, 0, week4);
    now += 120_000; // the TTL passes: the next refresh of each prompt runs its check
    for (const p of Object.values(guarded.params)) await p.refresh();
    for (const name of reverted) {
      expect((await registry.get(name, { label: "candidate" })).version).toBe(good.get(name));
      expect((await registry.versions(name)).find((v) => v.version === bad.get(name))?.labels).not.toContain("candidate");
      expect(warnings.some((w) => w.includes(name) && new RegExp(`canary version ${bad.get(name)} rolled back`).test(w))).toBe(true);
    }
    // the same deployment, unchanged, now serves the promoted prompts to every run again
    now += 120_000;
    expect(await serve(guarded, questions.length, 0, files("week5"))).toBe(promoted);
  });
});

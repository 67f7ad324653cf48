// optimize({ traces, feedback, registry, … }): production runs exported to OTLP JSON lines, feedback recorded beside
// them, prompts improved without running the agent (counterfactual replay) or by re-running it on recorded inputs,
// the accepted version published as "candidate" with its lineage — and the unmodified agent really reads it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  optimize,
  otlpFileExporter,
  promptRegistry,
  readFeedback,
  readTraces,
  recordFeedback,
  trace,
  traceModule,
  tracedEngine,
  tracegradSpanProcessor,
  type Engine,
  type PromptRegistry,
  type RegistryParam,
} from "../../../src/index.js";
import { formatUpdate, pairwiseJudgeRule, SimulatedModel, textgradRule } from "../../../src/testing/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-opt-traces-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const QUESTIONS = ["How far is Lyon from Paris by train?", "How long is the Seine?", "How high is Mont Blanc?", "How far is Nice from Monaco?", "How deep is Lake Geneva?", "How long is the Loire?"];
const UNIT = /\b(km|m)\b/;

/** The agent's model, a test double: it states the unit only when its system prompt asks for units. */
function answerOf(system: string | undefined, prompt: string): string {
  const n = 100 + (prompt.length % 7) * 37;
  return /unit/i.test(system ?? "") ? `${n} km` : String(n);
}
const agentModel: Engine = { generate: async (r) => ({ text: answerOf(r.system, r.prompt), usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 } }) };

/** A production agent: one prompt from the registry, one traced model call. */
function productionAgent(answerPrompt: RegistryParam) {
  const model = tracedEngine(agentModel);
  return traceModule("answer", async (q: string) => (await model.generate({ system: answerPrompt.value, prompt: q })).text);
}

/** Serves every question once, exported to JSON lines; a human thumbs-down (with a correction) on each unitless answer. */
async function serveProduction(registry: PromptRegistry): Promise<{ tracesDir: string; feedbackPath: string; ids: string[] }> {
  const tracesDir = join(dir, "traces");
  const feedbackPath = join(dir, "feedback.jsonl");
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: otlpFileExporter({ path: join(tracesDir, "traces.jsonl") }) }), tracegradSpanProcessor()] });
  const answerPrompt = registry.param("answer.system", { role: "system prompt of the answerer", fallback: "Answer the question." });
  const agent = productionAgent(answerPrompt);
  const ids: string[] = [];
  for (const q of QUESTIONS) {
    const run = await trace(() => agent(q), { tracer: provider.getTracer("prod") });
    ids.push(run.traceId);
    if (!UNIT.test(run.output)) {
      await recordFeedback({ traceId: run.traceId, name: "user_thumbs", score: 0, explanation: "A distance without a unit is useless.", correction: `${run.output} km`, source: "human" }, { path: feedbackPath });
    }
  }
  await provider.forceFlush();
  return { tracesDir, feedbackPath, ids };
}

/** tracegrad's engine (backward, update) and the judge: a simulated model, not an LLM. */
function optimizerModel() {
  return new SimulatedModel([
    textgradRule("backward", () => "State the unit of every number; the system prompt should ask for units."),
    textgradRule("optimizer", (r) => formatUpdate(`${r.variable ?? ""} Always give the unit of measurement.`.trim(), r.tags)),
    pairwiseJudgeRule((r) => (UNIT.test(r.steps[0]!.a) && !UNIT.test(r.steps[0]!.b) ? "A" : UNIT.test(r.steps[0]!.b) && !UNIT.test(r.steps[0]!.a) ? "B" : "TIE")),
  ]);
}

describe("optimize({ traces }) — counterfactual replay with agentEngine", () => {
  it("learns from stored runs and feedback, publishes a candidate with lineage, and the unmodified agent reading it answers with units", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const { tracesDir, feedbackPath, ids } = await serveProduction(registry);
    const traces = await readTraces(tracesDir);
    const feedback = await readFeedback(feedbackPath);
    expect(traces.map((t) => t.traceId).sort()).toEqual([...ids].sort());
    expect(feedback).toHaveLength(QUESTIONS.length);

    const engine = optimizerModel();
    const agentCalls: string[] = [];
    const agentEngine: Engine = { generate: async (r) => (agentCalls.push(r.system ?? ""), agentModel.generate(r)) };
    const result = await optimize({ traces, feedback, registry, engine, agentEngine, steps: 2, batchSize: 2, checkpointDir: join(dir, "runs", "prod-1") });

    // validation: recorded runs tie with themselves (0.5); the candidate's replayed answers were judged better
    expect(result.baseline.score).toBe(0.5);
    expect(result.best.score).toBe(1);
    expect(engine.counts.judge).toBeGreaterThan(0);
    // the replayed model calls really ran with the candidate's text in their system prompt
    expect(agentCalls.some((s) => s.includes("Always give the unit"))).toBe(true);
    expect(result.published).toEqual([{ name: "answer.system", version: 2, label: "candidate", parent: 1 }]);

    const candidate = await registry.get("answer.system", { label: "candidate" });
    expect(candidate.text).toBe("Answer the question. Always give the unit of measurement.");
    expect((await registry.get("answer.system")).version).toBe(1); // production did not move
    const source = candidate.source as { traces: string[]; feedback: string[]; validation: { traces: string[]; score: number; baseline: number } };
    expect(source.traces.length).toBeGreaterThan(0);
    for (const id of [...source.traces, ...source.validation.traces]) expect(ids).toContain(id);
    expect(source.traces.some((t) => source.validation.traces.includes(t))).toBe(false);
    expect(source.feedback.every((f) => feedback.some((r) => r.id === f))).toBe(true);
    expect(source.validation).toMatchObject({ score: 1, baseline: 0.5 });

    // downstream: the unmodified agent on a 100% canary reads the candidate and now states units
    const canaried = registry.param("answer.system", { role: "system prompt of the answerer", fallback: "x", canary: { label: "candidate", share: 1 } });
    const run = await trace(() => productionAgent(canaried)("How far is Lyon from Paris by train?"));
    expect(run.output).toMatch(UNIT);

    // calling it again with the same checkpoint resumes: nothing new is published
    const again = await optimize({ traces, feedback, registry, engine: optimizerModel(), agentEngine, steps: 2, batchSize: 2, checkpointDir: join(dir, "runs", "prod-1") });
    expect(again.resumedSteps).toBe(2);
    expect(again.published).toEqual([{ name: "answer.system", version: 2, label: "candidate", parent: 1 }]);
    expect((await registry.versions("answer.system")).map((v) => v.version)).toEqual([1, 2]);
  });

  it("feedback on one span starts backward there: only the prompt upstream of that step is rewritten", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("notes.system", "Write notes about the question.", { labels: ["production"] });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const notesPrompt = registry.param("notes.system", { role: "system prompt of the note taker", fallback: "x" });
    const answerPrompt = registry.param("answer.system", { role: "system prompt of the answerer", fallback: "x" });
    const model = tracedEngine(agentModel);
    const notes = traceModule("notes", async (q: string) => (await model.generate({ system: notesPrompt.value, prompt: q })).text);
    const answer = traceModule("answer", async (n: string) => (await model.generate({ system: answerPrompt.value, prompt: `Notes: ${n}` })).text);
    const runs = [];
    for (const q of QUESTIONS) runs.push(await trace(async () => answer(await notes(q))));
    const traces = runs.map((r) => ({ traceId: r.traceId, spans: r.spans }));
    // feedback on the model call inside "notes" (the step whose words were wrong), not on the run
    const feedback = runs.map((r, i) => {
      const span = r.graph.nodes.find((n) => n.kind === "llm" && r.graph.edges.some((e) => e.from === "param:notes.system" && e.to === n.id))!;
      return { id: `f${i}`, traceId: r.traceId, spanId: span.spanId!, name: "notes_quality", score: 0, explanation: "The notes give no unit.", source: "human", time: "2026-12-05T10:00:00Z" };
    });
    const engine = optimizerModel();
    const result = await optimize({ traces, feedback, registry, engine, agentEngine: agentModel, steps: 1, batchSize: 3 });
    const parameters = result.steps.flatMap((s) => s.proposals.map((p) => p.parameter));
    expect(parameters).toEqual(["notes.system"]);
    expect(result.published?.map((p) => p.name)).toEqual(["notes.system"]);
  });

  it("finds a prompt that runs used without naming it, by its text matching a registry version", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    // an agent instrumented by something else: its model call records the system prompt, no prompt name or param
    const model = tracedEngine(agentModel);
    const agent = traceModule("answer", async (q: string) => (await model.generate({ system: "Answer the question.", prompt: q })).text);
    const traces = [];
    const feedback = [];
    for (const [i, q] of QUESTIONS.entries()) {
      const run = await trace(() => agent(q));
      expect(run.spans.some((sp) => Object.keys(sp.attributes).some((k) => k.startsWith("tracegrad.param.") || k === "gen_ai.prompt.name"))).toBe(false);
      traces.push({ traceId: run.traceId, spans: run.spans });
      feedback.push({ id: `f${i}`, traceId: run.traceId, name: "user_thumbs", score: 0, explanation: "No unit.", source: "human", time: "2026-12-05T10:00:00Z" });
    }
    const replayed: string[] = [];
    const result = await optimize({ traces, feedback, registry, engine: optimizerModel(), agentEngine: { generate: async (r) => (replayed.push(r.system ?? ""), agentModel.generate(r)) }, steps: 1, batchSize: 2 });
    expect(result.baseline.values).toEqual({ "answer.system": "Answer the question." });
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((sys) => sys === "Answer the question. Always give the unit of measurement.")).toBe(true);
    expect(result.published).toEqual([{ name: "answer.system", version: 2, label: "candidate", parent: 1 }]);
  });

  it("says so when no candidate beat the recorded runs, and publishes nothing", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const { tracesDir, feedbackPath } = await serveProduction(registry);
    const warnings: string[] = [];
    // an optimizer that only rewords: the replayed answers do not change, every validation run ties
    const engine = new SimulatedModel([
      textgradRule("backward", () => "Be clearer."),
      textgradRule("optimizer", (r) => formatUpdate("Answer the question clearly.", r.tags)),
      pairwiseJudgeRule(() => "TIE"),
    ]);
    const result = await optimize({ traces: await readTraces(tracesDir), feedback: await readFeedback(feedbackPath), registry, engine, agentEngine: agentModel, steps: 1, onWarning: (w) => warnings.push(w) });
    expect(result.published).toEqual([]);
    expect(warnings.join("\n")).toMatch(/no candidate did better than the recorded runs.*nothing was published/);
    expect((await registry.versions("answer.system")).map((v) => v.version)).toEqual([1]);
  });
});

describe("optimize({ traces }) — re-running the agent on recorded inputs", () => {
  it("writes candidates into the agent's registry prompts, judges the new outputs, then leaves the prompts following the registry", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const { tracesDir, feedbackPath } = await serveProduction(registry);
    const answerPrompt = registry.param("answer.system", { role: "system prompt of the answerer", fallback: "Answer the question." });
    const agent = productionAgent(answerPrompt);
    const inputs: string[] = [];
    const result = await optimize({
      traces: await readTraces(tracesDir),
      feedback: await readFeedback(feedbackPath),
      registry,
      engine: optimizerModel(),
      agent: (input: string) => (inputs.push(input), agent(input)),
      steps: 1,
      batchSize: 2,
    });
    expect(result.best.score).toBeGreaterThan(result.baseline.score);
    expect(result.published?.[0]).toMatchObject({ name: "answer.system", label: "candidate" });
    expect(inputs.every((i) => QUESTIONS.includes(i))).toBe(true); // the recorded inputs, not something else
    // the agent's prompt is the registry's again, not the last candidate tried
    await trace(() => agent(QUESTIONS[0]!));
    expect(answerPrompt.lastUse).toMatchObject({ label: "production", version: 1 });
  });
});

describe("optimize({ traces }) — bad input", () => {
  it("names what is missing or wrong", async () => {
    const registry = promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const { tracesDir, feedbackPath } = await serveProduction(registry);
    const traces = await readTraces(tracesDir);
    const feedback = await readFeedback(feedbackPath);
    const engine = optimizerModel();
    await expect(optimize({ traces, feedback, registry, engine })).rejects.toThrow(/needs a way to try candidates: pass \{ agentEngine \}/);
    await expect(optimize({ traces, feedback, registry, engine, agentEngine: agentModel, agent: () => "" })).rejects.toThrow(/not both/);
    await expect(optimize({ traces, feedback: feedback.slice(0, 1), registry, engine, agentEngine: agentModel })).rejects.toThrow(/at least 2 runs with feedback.*found 1/);
    await expect(optimize({ traces, feedback, registry, engine, agentEngine: agentModel, prompts: ["planner.system"] })).rejects.toThrow(/"planner.system" is not in the registry/);
    await expect(optimize({ traces, feedback, registry, engine, agentEngine: agentModel, publishLabel: "production" })).rejects.toThrow(InvalidArgumentError);
    await expect(optimize({ traces, feedback, registry, engine, agentEngine: agentModel, valFraction: 1 } as never)).rejects.toThrow(/valFraction/);
    await expect(optimize({ traces, feedback, registry, engine, agentEngine: agentModel, trainsett: [] } as never)).rejects.toThrow(/unknown option "trainsett"/);
  });
});

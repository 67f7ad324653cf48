/**
 * @module examples/chameleon/production-demo
 * `npm run demo:production`: the third use of tracegrad, end to end and offline. The unmodified Chameleon agent serves
 * "production" traffic reading its prompts from a registry; runs are exported as OTLP JSON lines and a judge's
 * feedback is recorded beside them; `optimize()` learns from the stored traces alone (counterfactual replay of the
 * model calls that read a changed prompt, judged pairwise) and publishes a candidate; a 20% canary collects feedback;
 * `canaryReport` decides and the label moves; the next period's traffic is scored again.
 *
 * The agent's model, tracegrad's engine and both judges are the simulated Chameleon world (documented stand-ins, not
 * LLMs), so the figures test the loop, not a model.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { canaryReport, optimize, promptRegistry, readFeedback, readTraces, type CanaryReport, type PublishedPrompt } from "../../src/index.js";
import { deployChameleon, productionOptimizerEngine, publishDefaultPrompts, serveChameleon } from "./production.js";
import { createChameleonModel } from "./sim/chameleon-model.js";
import { chameleonWorld } from "./world.js";

/** Options of {@link runProductionDemo}. */
export interface ProductionDemoOptions {
  /** Where the registry, traces, feedback and the optimizer's journal go. Default: a new temporary directory. */
  readonly dir?: string;
  /** Receives every printed line (default console.log). */
  readonly print?: (line: string) => void;
}

/** What the demo measured. */
export interface ProductionDemoResult {
  readonly dir: string;
  /** Share answered correctly before, and after the promotion (the judge's verdicts on two periods of traffic). */
  readonly accuracy: { readonly before: number; readonly after: number };
  readonly published: readonly PublishedPrompt[];
  readonly reports: readonly CanaryReport[];
  readonly promoted: readonly string[];
}

/** Runs the demo and prints what happens at each stage. */
export async function runProductionDemo(options: ProductionDemoOptions = {}): Promise<ProductionDemoResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "tracegrad-production-demo-"));
  const print = options.print ?? ((line: string) => console.log(line));
  const files = (period: string) => ({ traces: join(dir, "traces", `${period}.jsonl`), feedback: join(dir, "feedback", `${period}.jsonl`) });
  const model = createChameleonModel(chameleonWorld);
  const registry = promptRegistry({ dir: join(dir, "prompts") });
  await publishDefaultPrompts(registry);

  print("tracegrad production demo — offline: the agent's model, tracegrad's engine and the judges are the simulated Chameleon world (stand-ins, not LLMs)");
  print(`registry, traces, feedback and the optimizer's journal: ${dir}`);
  const before = await serveChameleon(deployChameleon(registry, model), 48, files("week1"), "week1");
  print(`week 1: 48 runs on the production prompts (v1), exported to traces/week1.jsonl and judged: ${pct(before)} correct`);

  const traces = await readTraces(files("week1").traces);
  const feedback = await readFeedback(files("week1").feedback);
  const result = await optimize({ traces, feedback, registry, engine: productionOptimizerEngine(model), agentEngine: model, steps: 3, batchSize: 4, checkpointDir: join(dir, "runs", "week1") });
  print(`optimize from ${traces.length} stored traces and ${feedback.length} feedback records (no access to the agent): win rate against the recorded runs ${result.baseline.score.toFixed(3)} -> ${result.best.score.toFixed(3)}`);
  const published = result.published ?? [];
  for (const p of published) {
    const v = await registry.get(p.name, { version: p.version });
    const base = await registry.get(p.name, { version: p.parent });
    print(`  published ${p.name} v${p.version} as "${p.label}" (from v${p.parent}): + ${v.text.startsWith(base.text) ? v.text.slice(base.text.length).trim() : v.text}`);
  }

  const canaried = published.map((p) => p.name);
  await serveChameleon(deployChameleon(registry, model, { canary: { label: "candidate", share: 0.2 } }, canaried), 384, files("week2"), "week2");
  const week2 = { traces: await readTraces(files("week2").traces), feedback: await readFeedback(files("week2").feedback) };
  print("week 2: 384 runs, 20% of them (by trace id) reading the candidates");
  const reports = canaried.map((name) => canaryReport({ registry, name, ...week2 }));
  const promoted: string[] = [];
  for (const [i, report] of reports.entries()) {
    print(`  canaryReport ${canaried[i]}: ${report.decision} — ${report.reason}`);
    if (report.decision === "promote") {
      await registry.setLabel(canaried[i]!, "production", report.canary!);
      promoted.push(canaried[i]!);
    }
  }
  print(`  production label moved for: ${promoted.join(", ") || "none"}`);

  const after = await serveChameleon(deployChameleon(registry, model), 48, files("week3"), "week3");
  print(`week 3: 48 runs on the promoted prompts: ${pct(after)} correct (week 1: ${pct(before)})`);
  return { dir, accuracy: { before, after }, published, reports, promoted };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runProductionDemo();

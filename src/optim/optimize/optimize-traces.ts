/**
 * @module optim/optimize/optimize-traces
 * optimize() over stored traces: the runs with feedback become the examples (split into runs to learn from and runs
 * to validate on), the registry's prompts the runs used become the parameters (starting from the texts under
 * `label`), the shared loop runs, and a candidate that beat the recorded runs on validation is published under
 * `publishLabel` with its lineage — the traces and feedback it learned from and its validation scores.
 */
import { createHash } from "node:crypto";
import { Variable } from "../../core/variable.js";
import { InvalidArgumentError } from "../../errors.js";
import type { PromptRegistry } from "../../registry/prompt-registry.js";
import { defaultWarn } from "../../store/warn.js";
import { buildGraph } from "../../trace/build-graph.js";
import { runLoop } from "./loop.js";
import { parameterSet, type ParameterSet } from "./sources.js";
import { loadExamples, splitExamples, type LoadedExample } from "./trace-examples.js";
import type { TracesOptimizeOptions } from "./traces-options.js";
import { tracesSource } from "./traces-source.js";
import type { OptimizeResult, PublishedPrompt } from "./types.js";

/** Runs optimize({ traces, feedback, registry, … }); options are already checked. */
export async function optimizeTraces(options: TracesOptimizeOptions): Promise<OptimizeResult> {
  const said = new Set<string>();
  const sink = options.onWarning ?? defaultWarn;
  const warn = (w: string) => {
    if (said.has(w)) return;
    said.add(w);
    sink(w);
  };
  const perfectScore = options.perfectScore ?? 1;
  const label = options.label ?? "production";
  const publishLabel = options.publishLabel ?? "candidate";
  if (publishLabel === label) {
    throw new InvalidArgumentError(`optimize({ traces }): publishLabel "${publishLabel}" is the label the starting prompts are read from; publish under another label (default "candidate") and move "${label}" after a canary.`, { subject: "publishLabel" });
  }

  const roles = new Map<string, string>();
  // a run recorded by another instrumentation names no prompt: a model call whose system prompt is a registry
  // version's exact text used that prompt
  const byText = await versionTexts(options.registry);
  const recordedByValue = new Map<string, Map<string, string>>();
  const examples = loadExamples({
    traces: options.traces,
    feedback: options.feedback,
    metric: options.metric,
    perfectScore,
    warn,
    describe: (t) => {
      const g = buildGraph(t.spans);
      for (const p of g.parameters) if (p.id !== undefined && !roles.has(p.id)) roles.set(p.id, p.role);
      const named = new Set(g.parameters.map((p) => p.id));
      for (const c of g.calls) {
        if (c.kind !== "llm" || c.system === undefined) continue;
        const name = byText.get(c.system.trim());
        if (name === undefined || named.has(name)) continue;
        if (!roles.has(name)) roles.set(name, `prompt "${name}"`);
        const found = recordedByValue.get(t.traceId) ?? new Map<string, string>();
        found.set(name, c.system);
        recordedByValue.set(t.traceId, found);
      }
      return { input: g.nodes.find((n) => n.kind === "input")?.value ?? "", output: g.output.value };
    },
  });
  const names = await promptNames(options, roles, options.registry);
  const base = new Map<string, { version: number; text: string }>();
  for (const name of names) {
    const v = await options.registry.get(name, { label });
    base.set(name, { version: v.version, text: v.text });
  }
  const { train, val } = splitExamples(examples, options.valFraction ?? 0.5, options.seed ?? 0);
  let parameters: ParameterSet = parameterSet(names.map((n) => new Variable(base.get(n)!.text, { role: roles.get(n) ?? `prompt "${n}"`, requiresGrad: true, id: n })));
  const source = tracesSource({ options, train, val, parameters, perfectScore, warn, recordedByValue });
  let result: OptimizeResult;
  try {
    result = await runLoop({
      options: { ...options, trainset: train.map((e) => e.example), valset: val.map((e) => e.example) },
      source,
      scorer: source,
      metricName: `recorded feedback${options.metric === undefined ? "" : ` "${options.metric}"`}, pairwise against the recorded runs`,
      loss: undefined,
      onEngine: (engine) => source.useEngine(engine),
      parameters: {
        given: true,
        get: () => parameters,
        set: (p) => (parameters = p),
        seen: () => [...parameters.variables.values()],
        discover: async () => [...parameters.variables.values()],
      },
    });
  } finally {
    source.release();
  }
  const published = await publish(options, result, base, train, val, publishLabel, warn);
  return { ...result, published };
}

/** Every version's text of every registry prompt → the prompt's name (a text two prompts share is left out). */
async function versionTexts(registry: PromptRegistry): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const shared = new Set<string>();
  for (const name of await registry.list()) {
    for (const v of await registry.versions(name)) {
      const text = v.text.trim();
      if (text === "" || shared.has(text)) continue;
      if (out.has(text) && out.get(text) !== name) {
        out.delete(text);
        shared.add(text);
      } else out.set(text, name);
    }
  }
  return out;
}

/** The prompts to optimize: `prompts`, else every registry prompt the runs with feedback used. */
async function promptNames(options: TracesOptimizeOptions, used: ReadonlyMap<string, string>, registry: PromptRegistry): Promise<string[]> {
  const known = new Set(await registry.list());
  if (options.prompts) {
    for (const name of options.prompts) {
      if (!known.has(name)) throw new InvalidArgumentError(`optimize({ traces }): prompt "${name}" is not in the registry (it has: ${[...known].join(", ") || "no prompts"}); publish it first.`, { subject: "prompts" });
      if (!used.has(name)) {
        throw new InvalidArgumentError(`optimize({ traces }): no run with feedback used prompt "${name}" (they used: ${[...used.keys()].join(", ") || "no recorded prompt"}), so no feedback can reach it.`, { subject: "prompts" });
      }
    }
    return [...new Set(options.prompts)].sort();
  }
  const names = [...used.keys()].filter((n) => known.has(n)).sort();
  if (names.length === 0) {
    throw new InvalidArgumentError(
      `optimize({ traces }): the runs with feedback used no prompt of the registry (they recorded: ${[...used.keys()].join(", ") || "none"}; the registry has: ${[...known].join(", ") || "none"}). Read prompts with registry.param(name, …) in the agent, so each run records the prompt it used.`,
      { subject: "prompts" },
    );
  }
  return names;
}

/** Publishes the best candidate's changed prompts when it beat the recorded runs on validation. */
async function publish(
  options: TracesOptimizeOptions,
  result: OptimizeResult,
  base: ReadonlyMap<string, { version: number; text: string }>,
  train: readonly LoadedExample[],
  val: readonly LoadedExample[],
  label: string,
  warn: (w: string) => void,
): Promise<PublishedPrompt[]> {
  if (!(result.best.score > result.baseline.score)) {
    warn(`optimize({ traces }): no candidate did better than the recorded runs on validation (best ${result.best.score.toFixed(3)}, recorded ${result.baseline.score.toFixed(3)}); nothing was published`);
    return [];
  }
  const learnedFrom = new Set(result.steps.flatMap((s) => s.batch));
  const lineage = {
    optimizer: "tracegrad optimize({ traces })",
    ...(options.checkpointDir === undefined ? {} : { checkpointDir: options.checkpointDir }),
    traces: train.filter((_, i) => learnedFrom.has(i)).map((e) => e.example.traceId),
    feedback: train.filter((_, i) => learnedFrom.has(i)).flatMap((e) => e.example.feedback),
    validation: {
      traces: val.map((e) => e.example.traceId),
      feedback: val.flatMap((e) => e.example.feedback),
      scoring: "pairwise against the recorded runs: 1 = the candidate's version judged better, 0.5 = as good or unchanged, 0 = worse",
      baseline: result.baseline.score,
      score: result.best.score,
      scores: result.best.scores,
    },
  };
  const out: PublishedPrompt[] = [];
  for (const [name, from] of base) {
    const text = result.best.values[name];
    if (text === undefined || text === from.text) continue;
    const key = createHash("sha256").update(JSON.stringify([name, from.version, text, lineage.traces, lineage.validation.traces])).digest("hex").slice(0, 16);
    // a resumed session that already published this exact version only moves the label
    const existing = (await options.registry.versions(name)).find((v) => v.text === text && v.source?.lineageKey === key);
    let version: number;
    if (existing) {
      version = existing.version;
      if (!existing.labels.includes(label)) await options.registry.setLabel(name, label, version);
    } else {
      version = await options.registry.publish(name, text, { labels: [label], parent: from.version, source: { ...lineage, lineageKey: key } });
    }
    out.push({ name, version, label, parent: from.version });
  }
  return out;
}

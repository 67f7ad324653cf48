/**
 * @module report/from-optimize
 * An optimize() result as a gradient report: per parameter the feedback of every step, each proposal with its verdict
 * and scores, the score over steps and the lineage of prompt versions. The result is read structurally (the fields
 * below), so a result written to JSON and read back works too. The graph comes from `options.graph` (any traced run
 * of the agent); without one, the parameters are drawn alone.
 */
import type { TraceGraph } from "../trace/module-call.js";
import { VERSION } from "../version.js";
import type { ReportOptions } from "./from-refine.js";
import { graphToReport, type MutableNode } from "./report-graph.js";
import { GRADIENT_REPORT_VERSION, type GradientReport, type ParameterVersion, type ReportEdge, type ReportFeedback, type ReportRun } from "./report-schema.js";
import { reportText, versionOf, wordDiff } from "./report-text.js";

/** One parameter's proposal in one step, as optimize() records it. */
export interface OptimizeProposalLike {
  readonly parameter: string;
  readonly before: string;
  readonly after: string;
  readonly feedback: readonly string[];
  /** Merged feedback points, each naming the pieces (`items`) and the senders' roles (`from`) it came from. */
  readonly points?: readonly { readonly text: string; readonly items: readonly number[]; readonly from: readonly string[] }[];
  readonly status: "accepted" | "rejected";
  readonly reason: string;
  readonly scoreBefore?: number;
  readonly scoreAfter?: number;
}

/** One step of optimize(), as it records it. */
export interface OptimizeStepLike {
  readonly step: number;
  readonly accepted: boolean;
  /** The score the loop continued from after the step. */
  readonly score: number;
  /** The score of the step's candidate, when it was validated. */
  readonly candidateScore?: number;
  readonly reason?: string;
  /** Training-set indices of the step's minibatch. */
  readonly batch?: readonly number[];
  readonly proposals: readonly OptimizeProposalLike[];
  readonly usage?: { readonly calls: number; readonly inputTokens: number; readonly outputTokens: number; readonly cost?: number };
}

/** What {@link toGradientReport} reads from an optimize() result. */
export interface OptimizeResultLike {
  readonly baseline: { readonly score: number; readonly values: Readonly<Record<string, string>> };
  readonly best: { readonly score: number; readonly values: Readonly<Record<string, string>> };
  readonly steps: readonly OptimizeStepLike[];
  readonly usage: { readonly calls: number; readonly inputTokens: number; readonly outputTokens: number; readonly cost?: number };
  readonly stopReason?: string;
  readonly stopMessage?: string;
}

/** Options of the optimize report. */
export interface OptimizeReportOptions extends ReportOptions {
  /** A traced run's graph of the agent, to draw the parameters in place (matched by parameter name). */
  readonly graph?: TraceGraph;
}

/** The report of an optimize() run. */
export function reportOfOptimize(result: OptimizeResultLike, options: OptimizeReportOptions = {}): GradientReport {
  const { nodes, edges } = options.graph ? graphToReport(options.graph) : { nodes: [] as MutableNode[], edges: [] as ReportEdge[] };
  const warnings = [...(options.graph?.warnings ?? [])];
  const names = [...new Set([...Object.keys(result.baseline.values), ...Object.keys(result.best.values), ...result.steps.flatMap((s) => s.proposals.map((p) => p.parameter))])];
  const paramNode = new Map<string, MutableNode>();
  for (const name of names) {
    const value = result.best.values[name] ?? result.baseline.values[name] ?? "";
    let node = nodes.find((n) => n.kind === "param" && n.name === name);
    if (!node) {
      if (options.graph) warnings.push(`parameter "${name}" is not in the given graph; it is drawn on its own.`);
      node = { id: `param:${name}`, kind: "param", name, value: reportText(value), feedback: [], edits: [] };
      nodes.push(node);
    }
    // the graph shows the value a run used; the report shows the value optimize returned
    Object.assign(node, { value: reportText(value), version: versionOf(value) });
    paramNode.set(name, node);
  }
  for (const s of result.steps) {
    for (const p of s.proposals) {
      const node = paramNode.get(p.parameter)!;
      node.feedback.push(...proposalFeedback(p, s, node, nodes, edges));
      node.edits.push({
        step: s.step,
        before: reportText(p.before),
        proposed: reportText(p.after),
        after: reportText(p.status === "accepted" ? p.after : p.before),
        diff: wordDiff(p.before, p.after),
        accepted: p.status === "accepted",
        reason: p.reason,
        issues: [],
        score: { before: p.scoreBefore ?? null, after: p.scoreAfter ?? null },
      });
    }
  }
  const run: ReportRun = {
    kind: "optimize",
    createdAt: (options.now ?? new Date()).toISOString(),
    tracegrad: VERSION,
    usage: { calls: result.usage.calls, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, ...(result.usage.cost !== undefined ? { cost: result.usage.cost } : {}) },
    score: { baseline: result.baseline.score, best: result.best.score },
    steps: result.steps.map((s) => ({
      step: s.step,
      accepted: s.accepted,
      score: s.candidateScore ?? null,
      best: s.score,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      proposals: s.proposals.map((p) => ({ parameter: p.parameter, version: versionOf(p.after), value: reportText(p.after) })),
      ...(s.usage ? { usage: { calls: s.usage.calls, inputTokens: s.usage.inputTokens, outputTokens: s.usage.outputTokens, ...(s.usage.cost !== undefined ? { cost: s.usage.cost } : {}) } } : {}),
    })),
    parameters: names.map((name) => ({ id: name, ...(paramNode.get(name)!.role ? { role: paramNode.get(name)!.role! } : {}), versions: lineageOf(name, result) })),
    ...(result.stopReason !== undefined && result.stopReason !== "steps" ? { stopReason: result.stopMessage ?? result.stopReason } : {}),
    warnings,
  };
  return { version: GRADIENT_REPORT_VERSION, run, nodes, edges };
}

/**
 * A proposal's feedback with its senders: the merged points say which roles sent which pieces; the sample is known
 * when the minibatch had one example.
 */
function proposalFeedback(p: OptimizeProposalLike, s: OptimizeStepLike, node: MutableNode, nodes: readonly MutableNode[], edges: readonly ReportEdge[]): ReportFeedback[] {
  const downstream = new Set(edges.filter((e) => e.from === node.id && e.carriesFeedback).map((e) => e.to));
  const sample = s.batch?.length === 1 ? { sample: { example: s.batch[0]! } } : {};
  return p.feedback.map((text, i) => {
    const roles = [...new Set((p.points ?? []).filter((pt) => pt.items.includes(i)).flatMap((pt) => pt.from))];
    const senders = nodes.filter((n) => n.role !== undefined && roles.includes(n.role) && (downstream.size === 0 || downstream.has(n.id))).map((n) => n.id);
    return { text, from: { role: roles.join(", ") || "the metric, through the agent's graph", nodes: senders }, step: s.step, ...sample };
  });
}

/** The parameter's versions: the starting value, then every proposal (accepted or not) linked to the value it edited. */
function lineageOf(name: string, result: OptimizeResultLike): ParameterVersion[] {
  const versions = new Map<string, ParameterVersion>();
  const start = result.baseline.values[name];
  if (start !== undefined) versions.set(versionOf(start), { version: versionOf(start), step: 0, accepted: true, score: result.baseline.score, value: reportText(start) });
  for (const s of result.steps) {
    for (const p of s.proposals) {
      if (p.parameter !== name || p.after === p.before) continue;
      const version = versionOf(p.after);
      const seen = versions.get(version);
      if (seen) {
        if (p.status === "accepted" && !seen.accepted) versions.set(version, { ...seen, accepted: true });
        continue;
      }
      versions.set(version, {
        version,
        parent: versionOf(p.before),
        step: s.step,
        accepted: p.status === "accepted",
        score: p.scoreAfter ?? null,
        value: reportText(p.after),
        diff: wordDiff(p.before, p.after),
      });
    }
  }
  return [...versions.values()];
}

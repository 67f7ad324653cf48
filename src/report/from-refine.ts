/**
 * @module report/from-refine
 * A refine() result as a gradient report: the initial run's graph, the feedback each node received with its senders,
 * each proposed edit and whether the re-run used it, and the loss text before and after.
 */
import type { ModuleRefinement, OutputsRefineResult, PromptRefinement, PromptsRefineResult } from "../optim/refine.js";
import { callKeyOf } from "../optim/replay-plan.js";
import type { TraceGraph } from "../trace/module-call.js";
import { VERSION } from "../version.js";
import { feedbackOf, graphToReport, parametersOf, type MutableNode } from "./report-graph.js";
import { GRADIENT_REPORT_VERSION, type GradientReport, type ReportEdit, type ReportRun } from "./report-schema.js";
import { reportText, versionOf, wordDiff } from "./report-text.js";

/** Options shared by the report builders. */
export interface ReportOptions {
  /** The report's `createdAt`. Default: now. Fix it for reproducible reports. */
  readonly now?: Date;
}

/** The report of `refine(run)` (outputs target): one edit per module visited. */
export function reportOfOutputsRefine(result: OutputsRefineResult, options: ReportOptions = {}): GradientReport {
  const graph = result.initial.graph;
  const { nodes, edges } = graphToReport(graph);
  const warnings = [...graph.warnings];
  for (const m of result.modules) {
    const node = nodeOfModule(graph, nodes, m);
    if (!node) {
      warnings.push(`module "${m.module}" #${m.callIndex} (round ${m.round}) is not in the initial run's graph; its feedback and edit are not drawn.`);
      continue;
    }
    node.feedback.push(...feedbackOf(m.gradients, node.id, nodes, edges, { round: m.round }));
    node.edits.push(moduleEdit(m));
  }
  const run: ReportRun = {
    ...runBase("refine-outputs", result.initial.traceId, options),
    usage: { ...result.usage },
    evaluation: { ...(result.modules[0] ? { before: result.modules[0].evaluationBefore } : {}), after: result.evaluation },
    parameters: parametersOf(nodes),
    warnings,
  };
  return { version: GRADIENT_REPORT_VERSION, run, nodes, edges };
}

/** The report of `refine(run, { target: "prompts" })`: the prompts' edits and lineage, and the path their feedback took. */
export function reportOfPromptsRefine(result: PromptsRefineResult, options: ReportOptions = {}): GradientReport {
  const graph = result.initial.graph;
  const { nodes, edges } = graphToReport(graph);
  const warnings = [...graph.warnings];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const f of result.nodeFeedback) {
    // later rounds ran again, with new span ids: find their nodes by name
    const node = (f.round === 1 ? byId.get(f.nodeId) : undefined) ?? nodes.find((n) => n.name === f.name && n.kind !== "param");
    if (node) node.feedback.push(...feedbackOf(f.gradients, node.id, nodes, edges, { round: f.round }));
    else warnings.push(`node "${f.name}" (round ${f.round}) is not in the initial run's graph; its feedback is not drawn.`);
  }
  const evaluationOfRound = new Map(result.prompts.map((p) => [p.round, p.evaluation]));
  const lineage = new Map<string, ReportRun["parameters"][number]>();
  for (const p of result.prompts) {
    const node = nodes.find((n) => n.kind === "param" && n.name === p.id);
    if (!node) {
      warnings.push(`prompt "${p.id}" is not a parameter node of the initial run's graph; its edit is not drawn.`);
      continue;
    }
    node.feedback.push(...feedbackOf(p.gradients, node.id, nodes, edges, { round: p.round }));
    node.edits.push(promptEdit(p, evaluationOfRound.get(p.round + 1)));
    const entry = lineage.get(p.id) ?? { id: p.id, ...(node.role ? { role: node.role } : {}), versions: [{ version: versionOf(p.before), accepted: true, value: reportText(p.before) }] };
    lineage.set(p.id, entry);
    if (p.changed) entry.versions.push({ version: versionOf(p.after), parent: versionOf(p.before), round: p.round, accepted: true, value: reportText(p.after), diff: wordDiff(p.before, p.after) });
  }
  const first = result.prompts[0];
  const run: ReportRun = {
    ...runBase("refine-prompts", result.initial.traceId, options),
    usage: { ...result.usage },
    evaluation: first ? { before: first.evaluation } : {},
    parameters: [...parametersOf(nodes).filter((p) => !lineage.has(p.id)), ...lineage.values()],
    warnings,
  };
  return { version: GRADIENT_REPORT_VERSION, run, nodes, edges };
}

function runBase(kind: ReportRun["kind"], traceId: string, options: ReportOptions): Pick<ReportRun, "kind" | "createdAt" | "tracegrad" | "traceId" | "steps"> {
  return { kind, createdAt: (options.now ?? new Date()).toISOString(), tracegrad: VERSION, traceId, steps: [] };
}

/** The module's call in the initial graph, by module name and call index (span ids change with every re-run). */
function nodeOfModule(graph: TraceGraph, nodes: readonly MutableNode[], m: ModuleRefinement): MutableNode | undefined {
  const call = graph.calls.find((c) => {
    const key = callKeyOf(c);
    return key?.name === m.module && key.index === m.callIndex;
  });
  return call ? nodes.find((n) => n.id === call.spanId) : undefined;
}

function moduleEdit(m: ModuleRefinement): ReportEdit {
  const reason = m.changed
    ? "accepted: the agent was re-run downstream with the refined output, and the re-run used it"
    : m.feedback.length === 0
      ? "no feedback reached this output, so nothing was proposed"
      : m.proposed === m.before
        ? "the optimizer proposed no change"
        : m.after === m.before
          ? `rejected: the proposal could not be turned into a value of the output's shape${m.issues.length > 0 ? ` (${m.issues.join("; ")})` : ""}`
          : `rejected: ${m.issues.join("; ") || "the re-run did not use the refined output"}`;
  return {
    round: m.round,
    before: reportText(m.before),
    proposed: reportText(m.proposed),
    after: reportText(m.after),
    diff: wordDiff(m.before, m.changed ? m.after : m.proposed),
    accepted: m.changed,
    reason,
    issues: [...m.issues],
    evaluation: { before: m.evaluationBefore, after: m.evaluation },
  };
}

function promptEdit(p: PromptRefinement, evaluationAfter: string | undefined): ReportEdit {
  const reason = p.changed
    ? "accepted: TGD rewrote the prompt and the agent was re-run with it"
    : p.feedback.length === 0
      ? "no feedback reached this prompt, so it was not rewritten"
      : "the optimizer proposed no change";
  return {
    round: p.round,
    before: reportText(p.before),
    proposed: reportText(p.after),
    after: reportText(p.after),
    diff: wordDiff(p.before, p.after),
    accepted: p.changed,
    reason,
    issues: [],
    evaluation: { before: p.evaluation, ...(evaluationAfter !== undefined ? { after: evaluationAfter } : {}) },
  };
}

/**
 * @module report/report-graph
 * A rebuilt trace graph as report nodes and edges, and the mapping from a feedback's sender (a role, as the backward
 * pass names it) to the report nodes that sent it.
 */
import type { Gradient } from "../core/feedback.js";
import type { TraceGraph } from "../trace/module-call.js";
import type { ReportEdge, ReportFeedback, ReportNode, ReportRun } from "./report-schema.js";
import { reportText, versionOf } from "./report-text.js";

/** A report node under construction: feedback and edits are appended while a result is read. */
export type MutableNode = Omit<ReportNode, "feedback" | "edits"> & { feedback: ReportFeedback[]; edits: ReportNode["edits"] };

/** The graph's nodes (value, role, parameter version) and edges, with no feedback yet. */
export function graphToReport(graph: TraceGraph): { nodes: MutableNode[]; edges: ReportEdge[] } {
  const nodes = graph.nodes.map((n): MutableNode => {
    const role = graph.variables.get(n.id)?.role;
    return {
      id: n.id,
      kind: n.kind,
      name: n.name,
      ...(role !== undefined ? { role } : {}),
      value: reportText(n.value),
      ...(n.spanId !== undefined ? { spanId: n.spanId } : {}),
      ...(n.kind === "param" ? { version: versionOf(n.value) } : {}),
      feedback: [],
      edits: [],
    };
  });
  const edges = graph.edges.map((e): ReportEdge => ({
    from: e.from,
    to: e.to,
    kind: e.kind,
    confidence: Math.min(1, Math.max(0, e.confidence)),
    carriesFeedback: e.carriesFeedback !== false,
  }));
  return { nodes, edges };
}

/**
 * Reads gradients as report feedback. A gradient names its sender by role; the sender is the downstream neighbour of
 * `receiver` with that role (feedback travels back along edges), else any node with that role, else none (the loss,
 * which is not a node of the graph).
 */
export function feedbackOf(
  gradients: readonly Gradient[],
  receiver: string,
  nodes: readonly MutableNode[],
  edges: readonly ReportEdge[],
  extra: Pick<ReportFeedback, "round" | "step" | "sample"> = {},
): ReportFeedback[] {
  const downstream = new Set(edges.filter((e) => e.from === receiver && e.carriesFeedback).map((e) => e.to));
  return gradients.map((g) => {
    const withRole = nodes.filter((n) => n.role === g.from && n.id !== receiver);
    const near = withRole.filter((n) => downstream.has(n.id));
    const senders = (near.length > 0 ? near : withRole).map((n) => n.id);
    return {
      text: g.text,
      from: { role: g.from, nodes: senders },
      ...(g.context ? { usedAs: g.context.usedAs, via: g.context.kind } : {}),
      ...extra,
    };
  });
}

/** Every parameter node as a one-version lineage (the run used it as it was). */
export function parametersOf(nodes: readonly MutableNode[]): ReportRun["parameters"] {
  return nodes
    .filter((n) => n.kind === "param")
    .map((n) => ({ id: n.name, ...(n.role ? { role: n.role } : {}), versions: [{ version: n.version ?? n.value.sha256.slice(0, 12), accepted: true, value: n.value }] }));
}

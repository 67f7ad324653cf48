/**
 * @module cli/render-graph
 * A rebuilt graph as an indented text tree: inputs and parameters, then the calls nested as they ran (each with the
 * edges that feed it, their kind and confidence), then the output and the warnings.
 */
import type { GraphEdge, GraphNode, TraceGraph } from "../trace/module-call.js";

/** What a graph's JSON form holds: the graph without its live Variables. */
export interface GraphJson {
  readonly traceId: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly warnings: readonly string[];
}

const PREVIEW = 60;

/** A one-line preview of a value, quoted. */
export function preview(text: string, max = PREVIEW): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

/** The graph's plain data, for `--json`. */
export function graphJson(traceId: string, graph: TraceGraph): GraphJson {
  return { traceId, nodes: graph.nodes, edges: graph.edges, warnings: graph.warnings };
}

/**
 * The text tree of one graph.
 *
 * @example
 * process.stdout.write(renderGraphText(traceId, buildGraph(spans)));
 */
export function renderGraphText(traceId: string, graph: TraceGraph): string {
  const label = new Map(graph.nodes.map((n) => [n.id, nodeLabel(n)]));
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    const list = incoming.get(e.to);
    if (list) list.push(e);
    else incoming.set(e.to, [e]);
  }
  const counts = new Map<string, number>();
  for (const n of graph.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const lines = [
    `trace ${traceId}: ${graph.nodes.length} nodes (${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}), ${graph.edges.length} edges, ${graph.warnings.length} warnings`,
  ];
  const node = (n: GraphNode, depth: number) => {
    const pad = "  ".repeat(depth);
    lines.push(`${pad}${nodeLabel(n)}  ${preview(n.value)}`);
    for (const e of incoming.get(n.id) ?? []) lines.push(`${pad}  <- ${label.get(e.from) ?? e.from}  [${e.kind} ${e.confidence}]`);
  };
  const section = (title: string, nodes: readonly GraphNode[]) => {
    if (nodes.length === 0) return;
    lines.push(title);
    for (const n of nodes) node(n, 1);
  };
  section("inputs", graph.nodes.filter((n) => n.kind === "input"));
  section("parameters", graph.nodes.filter((n) => n.kind === "param"));
  const calls = graph.nodes.filter((n) => n.kind === "module" || n.kind === "llm" || n.kind === "tool");
  if (calls.length > 0) {
    lines.push("calls");
    for (const [n, depth] of nested(calls, graph)) node(n, depth + 1);
  }
  section("output", graph.nodes.filter((n) => n.kind === "output"));
  if (graph.warnings.length > 0) {
    lines.push("warnings");
    for (const w of graph.warnings) lines.push(`  ${w}`);
  }
  return `${lines.join("\n")}\n`;
}

/** "module planner", or just "input" / "output" when the name says no more than the kind. */
function nodeLabel(n: GraphNode): string {
  return n.name === n.kind ? n.kind : `${n.kind} ${n.name}`;
}

/** Call nodes depth first in start order, each with its depth under the nearest enclosing call node (span tree). */
function nested(calls: readonly GraphNode[], graph: TraceGraph): [GraphNode, number][] {
  const parentOf = new Map(graph.calls.map((c) => [c.spanId, c.parentSpanId]));
  const order = new Map(graph.calls.map((c, i) => [c.spanId, i]));
  const key = (n: GraphNode) => n.spanId ?? n.id;
  const byKey = new Map(calls.map((n) => [key(n), n]));
  const children = new Map<GraphNode | undefined, GraphNode[]>();
  for (const n of [...calls].sort((a, b) => (order.get(key(a)) ?? 0) - (order.get(key(b)) ?? 0))) {
    // the nearest ancestor that is a node; rings were already cut by buildGraph, `seen` only guards
    const seen = new Set<string>();
    let parent: GraphNode | undefined;
    for (let p = parentOf.get(key(n)); p && !seen.has(p) && !parent; p = parentOf.get(p)) {
      seen.add(p);
      parent = byKey.get(p);
    }
    const list = children.get(parent);
    if (list) list.push(n);
    else children.set(parent, [n]);
  }
  const out: [GraphNode, number][] = [];
  const stack: [GraphNode, number][] = [...(children.get(undefined) ?? [])].reverse().map((n) => [n, 0]);
  const done = new Set<GraphNode>();
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (done.has(n)) continue;
    done.add(n);
    out.push([n, d]);
    for (const c of [...(children.get(n) ?? [])].reverse()) stack.push([c, d + 1]);
  }
  return out;
}

/**
 * @module trace/param-edges
 * Parameter nodes, and which call each parameter (prompt) reached: the innermost LLM call inside the declaring module
 * that read its text, or — for a prompt run, which is not a node — the model call that read what it rendered.
 */
import { Variable } from "../core/variable.js";
import { normalizeText } from "./content-index.js";
import { CONFIDENCE, type CallNode, type EdgeSet } from "./infer-edges.js";
import type { GraphNode, ModuleCall, ParamUse } from "./module-call.js";

/** Parameter nodes, and edges from each to the innermost call that actually read it. */
export function paramEdges(
  nodes: readonly CallNode[],
  calls: readonly ModuleCall[],
  live: ReadonlyMap<string, Variable> | undefined,
  edges: EdgeSet,
  graphNodes: GraphNode[],
): Map<string, Variable> {
  const params = new Map<string, Variable>();
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  const declare = (use: ParamUse) => {
    if (params.has(use.id)) return;
    const value = live?.get(use.id)?.value ?? use.value ?? "";
    params.set(use.id, live?.get(use.id) ?? new Variable(value, { role: use.role ?? `prompt "${use.id}"`, requiresGrad: true, id: use.id }));
    graphNodes.push({ id: `param:${use.id}`, kind: "param", name: use.id, value: use.value ?? value });
  };
  for (const call of calls) {
    for (const use of call.params) {
      declare(use);
      const target = paramTarget(call, use, nodes, nodeOf);
      if (target) edges.add(`param:${use.id}`, target.id, "explicit", CONFIDENCE.explicit);
    }
  }
  // prompts the run used without saying so: a live parameter's exact text as an LLM's system prompt
  for (const [id, variable] of live ?? []) {
    const text = normalizeText(variable.value);
    if (text === "") continue;
    for (const n of nodes) {
      if (n.kind === "llm" && normalizeText(n.call.system ?? "") === text && !edges.has(`param:${id}`, n.id)) {
        declare({ id, value: variable.value, role: variable.role });
        edges.add(`param:${id}`, n.id, "content", CONFIDENCE.exact);
      }
    }
  }
  return params;
}

/** How many later calls a prompt run's parameter is looked for in (a prompt feeds the model call right after it). */
const PROMPT_LOOKAHEAD = 64;

function paramTarget(call: ModuleCall, use: ParamUse, nodes: readonly CallNode[], nodeOf: Map<string, CallNode>): CallNode | undefined {
  const text = normalizeText(use.value ?? "");
  const template = templatePattern(text);
  const rendered = call.kind === "prompt" ? normalizeText(call.output) : "";
  // read verbatim, as the prompt run rendered it, or as the template with its {variables} filled in
  const reads = (n: CallNode) =>
    (text !== "" && n.input.includes(text)) || (rendered !== "" && n.input.includes(rendered)) || (template?.test(n.input) ?? false);
  const own = nodeOf.get(call.spanId);
  if (own) return firstDescendant(own, (n) => n.kind === "llm" && reads(n)) ?? own;
  // a prompt or chain run (not a node): the LLM it fed is among the first later calls that read the text
  const from = firstStartingAtOrAfter(nodes, call.startTime);
  const later: CallNode[] = [];
  for (let i = from; i < nodes.length && i < from + PROMPT_LOOKAHEAD; i++) {
    const n = nodes[i]!;
    if (n.call.traceId === call.traceId && reads(n)) later.push(n);
  }
  return later.find((n) => n.kind === "llm") ?? later[0];
}

/** A template with `{variables}` as a pattern that matches its filled-in text; undefined when it has none. */
function templatePattern(template: string): RegExp | undefined {
  const parts = template.split(/\{[A-Za-z_][\w.-]*\}/);
  if (parts.length < 2 || parts.every((p) => p.trim() === "")) return undefined;
  return new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*?"));
}

/** Depth-first, in start order. */
function firstDescendant(root: CallNode, test: (n: CallNode) => boolean): CallNode | undefined {
  const stack = [...root.children].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (test(n)) return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return undefined;
}

/** Index of the first node (nodes are in start order) that starts at or after `time`. */
function firstStartingAtOrAfter(nodes: readonly CallNode[], time: number): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]!.call.startTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


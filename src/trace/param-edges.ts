/**
 * @module trace/param-edges
 * Parameter nodes, and which call each parameter (prompt) reached: the innermost LLM call inside the declaring module
 * that read its text, or — for a prompt run, which is not a node — the model call that read what it rendered.
 */
import { Variable } from "../core/variable.js";
import { normalizeText } from "./content-index.js";
import { CONFIDENCE, type CallNode } from "./infer-edges.js";
import type { EdgeSet } from "./edge-set.js";
import type { IdLookup } from "./id-map.js";
import type { GraphNode, ModuleCall, ParamUse } from "./module-call.js";
import { peekValue } from "./peek-value.js";

/** Parameter nodes, and edges from each to the innermost call that actually read it. */
export function paramEdges(
  nodes: readonly CallNode[],
  nodeOf: IdLookup<CallNode>,
  calls: readonly ModuleCall[],
  live: ReadonlyMap<string, Variable> | undefined,
  edges: EdgeSet,
  graphNodes: GraphNode[],
): Map<string, Variable> {
  const params = new Map<string, Variable>();
  const declare = (use: ParamUse) => {
    if (params.has(use.id)) return;
    // peekValue: reading `.value` is a use — a registry prompt would resolve again (another canary draw) and re-record
    const known = live?.get(use.id);
    const value = (known ? peekValue(known) : undefined) ?? use.value ?? "";
    // a blank recorded role is as good as none (Variable rejects it, and one span must not sink the whole graph)
    const role = use.role?.trim() ? use.role : `prompt "${use.id}"`;
    params.set(use.id, live?.get(use.id) ?? new Variable(value, { role, requiresGrad: true, id: use.id }));
    graphNodes.push({ id: `param:${use.id}`, kind: "param", name: use.id, value: use.value ?? value });
  };
  // every call of a module declares its prompt again: each distinct text is normalized and split into parts once
  const readings = new Map<string, PromptText>();
  for (const call of calls) {
    for (const use of call.params) {
      declare(use);
      const value = use.value ?? "";
      let prompt = readings.get(value);
      if (!prompt) readings.set(value, (prompt = promptText(value)));
      const target = paramTarget(call, prompt, nodes, nodeOf);
      if (target) edges.add(`param:${use.id}`, target.id, "explicit", CONFIDENCE.explicit);
    }
  }
  // prompts the run used without saying so: a live parameter's exact text as an LLM's system prompt
  for (const [id, variable] of live ?? []) {
    const current = peekValue(variable);
    const text = normalizeText(current);
    if (text === "") continue;
    for (const n of nodes) {
      if (n.call.kind === "llm" && normalizeText(n.call.system ?? "") === text && !edges.has(`param:${id}`, n.id)) {
        declare({ id, value: current, role: variable.role });
        edges.add(`param:${id}`, n.id, "content", CONFIDENCE.exact);
      }
    }
  }
  return params;
}

/** How many later calls a prompt run's parameter is looked for in (a prompt feeds the model call right after it). */
const PROMPT_LOOKAHEAD = 64;

/** A prompt's text as calls are matched against it: normalized, and its literal parts when it is a template. */
interface PromptText {
  readonly text: string;
  readonly template: string[] | undefined;
}

function promptText(value: string): PromptText {
  const text = normalizeText(value);
  return { text, template: templateParts(text) };
}

function paramTarget(call: ModuleCall, { text, template }: PromptText, nodes: readonly CallNode[], nodeOf: IdLookup<CallNode>): CallNode | undefined {
  const rendered = call.kind === "prompt" ? normalizeText(call.output) : "";
  // read verbatim, as the prompt run rendered it, or as the template with its {variables} filled in
  const reads = (n: CallNode) =>
    (text !== "" && n.input.includes(text)) || (rendered !== "" && n.input.includes(rendered)) || (template !== undefined && containsInOrder(n.input, template));
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

/** The literal parts of a template with `{variables}` (what its filled-in text must contain, in order); undefined when it has none. */
function templateParts(template: string): string[] | undefined {
  const parts = template.split(/\{[A-Za-z_][\w.-]*\}/);
  if (parts.length < 2 || parts.every((p) => p.trim() === "")) return undefined;
  return parts;
}

/**
 * True when `parts` occur in `text` in order, without overlapping: the filled-in template. Taking each part's first
 * occurrence after the previous one is enough, and linear; a regex with a lazy gap per variable backtracked
 * polynomially in the text's length (a recorded template with 40 variables took seconds).
 */
function containsInOrder(text: string, parts: readonly string[]): boolean {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
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


/**
 * @module trace/graph-variables
 * The Variables of a graph rebuilt from a trace, in topological order: each call node becomes a Variable holding the
 * call's output, with its predecessors (prompts first, then data, the order LLMCall uses) and the backward rule its
 * kind calls for — the conversation for a model call, the string-function rule for a module or tool, a pass-through
 * for a module that returns a child's answer verbatim.
 */
import { Variable } from "../core/variable.js";
import { passThroughRule } from "../core/pass-through.js";
import { topologicalIndexOrder } from "../core/graph.js";
import type { BackwardRule } from "../core/feedback.js";
import { llmBackwardRule } from "../core/functions/llm-forward.js";
import { functionBackwardRule } from "../core/functions/string-based-function.js";
import { DEFAULT_INPUT_ROLE, DEFAULT_OUTPUT_ROLE } from "../prompts/default-roles.js";
import type { CallNode } from "./infer-edges.js";
import { peekValue } from "./peek-value.js";
import { withControlInputs, type ControlPlan } from "./control-edges.js";
import type { GraphEdge } from "./module-call.js";
import type { GraphNumbering } from "./graph-numbering.js";
import { elidedInput, type ConversationStep } from "./history-edges.js";

const NONE: readonly number[] = [];

/** What {@link buildVariables} needs of the graph being built. */
export interface VariableSources {
  /** The graph's nodes by index; the first `nodes.length` are the call nodes, in the order of `nodes`. */
  readonly numbering: GraphNumbering;
  /** The edges that carry feedback. */
  readonly kept: readonly GraphEdge[];
  readonly nodes: readonly CallNode[];
  /** Modules that return a child's answer verbatim, by id, with that child. */
  readonly identity: ReadonlyMap<string, CallNode>;
  readonly params: ReadonlyMap<string, Variable>;
  /** Whether call outputs take feedback (see BuildGraphOptions.outputsRequireGrad). */
  readonly trainableOutputs: boolean;
  readonly warn: (w: string) => void;
  readonly steps: ReadonlyMap<CallNode, ConversationStep>;
  readonly plans: ReadonlyMap<string, ControlPlan>;
}

/** One Variable per graph node, by node id, in topological order; an edge that closes a cycle is dropped with a warning. */
export function buildVariables(args: VariableSources): Map<string, Variable> {
  const { numbering, kept, nodes, identity, params, trainableOutputs, warn, steps, plans } = args;
  const into: number[][] = new Array(numbering.size);
  for (const e of kept) {
    const to = numbering.indexOf(e.to);
    const from = numbering.indexOf(e.from);
    if (to === undefined || from === undefined) continue;
    (into[to] ??= []).push(from);
  }
  const describe = (i: number) => {
    const n = numbering.at(i);
    return `${n.name} (${n.id})`;
  };
  const order = topologicalIndexOrder(numbering.size, (i) => into[i] ?? NONE, describe, (from, to) => {
    warn(`edge ${describe(to)} -> ${describe(from)} closes a cycle; it was dropped`);
    into[from] = (into[from] ?? []).filter((x) => x !== to);
    return "skip";
  });

  const variables = new Map<string, Variable>();
  const byIndex: Array<Variable | undefined> = new Array(numbering.size);
  const roles = inheritedRoles(nodes, identity);
  const wording = new CallWording();
  for (const i of order) {
    const node = numbering.at(i);
    const id = node.id;
    // prompts first, then data — the order LLMCall uses ([systemPrompt, input]), so backward runs in the same order
    const preds: Variable[] = [];
    const incoming = into[i] ?? NONE;
    for (const pass of [true, false]) {
      for (const p of incoming) {
        const v = numbering.at(p).id.startsWith("param:") === pass ? byIndex[p] : undefined;
        if (v) preds.push(v);
      }
    }
    let variable: Variable;
    if (node.kind === "param") {
      variable = params.get(node.name)!;
    } else if (node.kind === "input") {
      variable = new Variable(node.value, { role: DEFAULT_INPUT_ROLE, requiresGrad: false, id });
    } else if (node.kind === "output") {
      const role = preds[0]?.role ?? DEFAULT_OUTPUT_ROLE;
      variable = new Variable(node.value, { role, predecessors: preds, backwardRule: passThroughRule(), id, requiresGrad: preds.some((p) => p.requiresGrad) || trainableOutputs });
    } else {
      const call = nodes[i]!;
      const rule = withControlInputs(id, preds, plans, call.call.moduleId ?? call.call.name, (data) => ruleFor(call, data, identity.has(id), steps.get(call), wording));
      const requiresGrad = trainableOutputs || preds.some((p) => p.requiresGrad);
      variable = new Variable(call.call.output, { role: roles.get(id) ?? wording.role(call), predecessors: preds, backwardRule: rule, requiresGrad, id });
    }
    byIndex[i] = variable;
    variables.set(id, variable);
  }
  return variables;
}

/**
 * A call whose output a module returns verbatim takes the module's declared role when it has none of its own: the
 * module's role ("final answer") says more about that text than "response of the LLM call".
 */
function inheritedRoles(nodes: readonly CallNode[], identity: ReadonlyMap<string, CallNode>): Map<string, string> {
  const roles = new Map<string, string>();
  for (const n of nodes) {
    const child = identity.get(n.id);
    const role = roles.get(n.id) ?? n.call.role;
    if (child && role && !child.call.role) roles.set(child.id, role);
  }
  return roles;
}

/**
 * The default role and backward purpose of a call, by its kind and name. Memoized per graph: an agent loop calls the
 * same few modules thousands of times, and each Variable and rule keeps its string for the graph's lifetime.
 */
class CallWording {
  readonly #roles = new Map<string, ByKind>();
  readonly #purposes = new Map<string, ByKind>();

  role(n: CallNode): string {
    if (n.call.role) return n.call.role;
    return memo(this.#roles, n, () => {
      if (n.kind === "llm") return `response of the LLM call "${n.call.name}"`;
      if (n.kind === "tool") return `result of the tool "${n.call.name}"`;
      return `output of the module "${n.call.name}"`;
    });
  }

  purpose(n: CallNode): string {
    return memo(this.#purposes, n, () => (n.kind === "tool" ? `the tool "${n.call.name}"` : `the module "${n.call.name}" of the agent`));
  }
}

type ByKind = { [K in CallNode["kind"]]?: string };

function memo(cache: Map<string, ByKind>, n: CallNode, make: () => string): string {
  let byKind = cache.get(n.call.name);
  if (!byKind) cache.set(n.call.name, (byKind = {}));
  return (byKind[n.kind] ??= make());
}

function ruleFor(n: CallNode, preds: readonly Variable[], identity: boolean, step: ConversationStep | undefined, wording: CallWording): BackwardRule {
  if (identity) return passThroughRule();
  if (n.call.kind === "llm") return llmBackwardRule({ system: n.call.system, prompt: step ? elidedInput(n.call, step) : n.call.input });
  return functionBackwardRule({
    purpose: wording.purpose(n),
    inputs: preds.map((p, i) => ({ name: p.id ?? `input ${i + 1}`, role: p.role, value: peekValue(p) })),
  });
}

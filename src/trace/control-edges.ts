/**
 * @module trace/control-edges
 * Control edges: from a plan to the calls it selected. A planner's output decides which modules run without feeding
 * them any data, so no data-flow evidence links it to them and feedback never reaches it. A call is a planner when
 * its module was declared one (`traceModule(name, fn, { kind: "planner" })`) or when its output lists, as a plan,
 * modules that then run after it. The modules it could have chosen but did not (declared with `modules`, or listed
 * in the planner's own prompt) are what the backward engine needs for the counterfactual.
 */
import type { BackwardRule } from "../core/feedback.js";
import { controlBackwardRule, type ControlInput } from "../core/functions/control-backward.js";
import type { Variable } from "../core/variable.js";
import { CONFIDENCE, type CallNode } from "./infer-edges.js";
import type { EdgeSet } from "./edge-set.js";

/** Span attributes a planner module writes. */
export const PLANNER_ATTRIBUTES = {
  /** True on the span of a module declared with `kind: "planner"`. */
  planner: "tracegrad.planner",
  /** The modules the planner chooses from, when declared. */
  modules: "tracegrad.planner.modules",
} as const;

/** One plan and what it decided. */
export interface ControlPlan {
  /** Node id of the plan (the planner's call). */
  readonly planner: string;
  /** Node ids of the calls it selected, in execution order. */
  readonly selected: readonly string[];
  /** Node ids the plan reaches through a control edge (selected calls not already linked to it by data). */
  readonly controlled: readonly string[];
  /**
   * The controlled call through which the plan is asked for feedback: the last one, nearest the final output, whose
   * feedback says best what the run lacked. One ask per backward pass, not one per selected call.
   */
  readonly asker: string | undefined;
  /** Names of the modules that ran, in execution order. */
  readonly ran: readonly string[];
  /** Available modules the plan did not run (empty when unknown). */
  readonly notRun: readonly string[];
  /** Whether the planner was declared (true) or inferred from its output (false). */
  readonly declared: boolean;
}

/** Confidence of an inferred control edge: the plan names the call, but as text. */
const INFERRED = CONFIDENCE.substring;
/** An inferred plan names at least this many of the modules that then ran (one name in prose proves nothing). */
const MIN_NAMED = 2;

/**
 * Finds the plans among `nodes` and adds a "control" edge from each to the calls it selected (unless a data edge
 * already links the pair). Returns the plans by planner node id.
 */
export function controlEdges(nodes: readonly CallNode[], edges: EdgeSet): Map<string, ControlPlan> {
  const plans = new Map<string, ControlPlan>();
  const siblingsOf = new Map<CallNode | undefined, CallNode[]>();
  for (const n of nodes) {
    const list = siblingsOf.get(n.parent);
    if (list) list.push(n);
    else siblingsOf.set(n.parent, [n]);
  }
  for (const siblings of siblingsOf.values()) {
    siblings.sort((a, b) => a.call.startTime - b.call.startTime);
    siblings.forEach((p, i) => {
      const declared = p.call.attributes[PLANNER_ATTRIBUTES.planner] === true;
      // an undeclared plan must name at least MIN_NAMED calls that ran after it: most calls have fewer after them
      if (!declared && !hasLater(siblings, i, p, MIN_NAMED)) return;
      const items = planItems(p.call.output);
      if (!declared && items.length < MIN_NAMED) return;
      const later = afterPlan(siblings, i, p);
      const named = later.filter((n) => items.includes(nameKey(n)));
      if (!declared && (new Set(named.map(nameKey)).size < MIN_NAMED || named.length * 2 < Math.min(items.length, later.length))) return;
      // a declared plan whose text names nothing it ran (a structured plan, a routing label) selected everything after it
      const selected = named.length > 0 ? named : declared ? later : [];
      if (selected.length === 0) return;
      const ran = selected.map(displayName);
      const ranKeys = new Set(selected.map(nameKey));
      const notRun = alternatives(p).filter((m) => !ranKeys.has(key(m)));
      const controlled: string[] = [];
      for (const s of selected) {
        // data evidence stays; a call-tree guess ("it ran next") is what the control edge explains, so it is replaced
        const kind = edges.kindOf(p.id, s.id);
        if (kind !== undefined && kind !== "tree") continue;
        if (kind === "tree") edges.delete(p.id, s.id);
        edges.add(p.id, s.id, "control", declared ? CONFIDENCE.explicit : INFERRED);
        controlled.push(s.id);
      }
      plans.set(p.id, { planner: p.id, selected: selected.map((s) => s.id), controlled, asker: controlled.at(-1), ran, notRun, declared });
    });
  }
  return plans;
}

/** The calls after the plan (started once it ended) and before the same planner plans again. */
function afterPlan(siblings: readonly CallNode[], at: number, plan: CallNode): CallNode[] {
  const out: CallNode[] = [];
  const me = nameKey(plan);
  for (let j = at + 1; j < siblings.length; j++) {
    const n = siblings[j]!;
    if (nameKey(n) === me) break;
    if (n.call.startTime >= plan.call.endTime) out.push(n);
  }
  return out;
}

/**
 * Whether at least `count` later siblings started once the plan ended: what {@link afterPlan} returns is among them,
 * so fewer means no plan, found without reading a name.
 */
function hasLater(siblings: readonly CallNode[], at: number, plan: CallNode, count: number): boolean {
  let found = 0;
  for (let j = at + 1; j < siblings.length && found < count; j++) if (siblings[j]!.call.startTime >= plan.call.endTime) found++;
  return found >= count;
}

/** The module names a plan lists: the items of its bracketed lists, or of the whole text when it is a bare list. */
export function planItems(text: string): string[] {
  const lists = [...text.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  if (lists.length === 0 && text.length <= 1000) lists.push(text);
  const items: string[] = [];
  for (const list of lists) {
    for (const raw of list.split(/,|\n|->|→|;/)) {
      const item = raw.trim().replace(/^[-*\d.)\s]*["'`]?|["'`]?$/g, "").trim();
      if (/^[A-Za-z][\w.-]*$/.test(item) && !items.includes(key(item))) items.push(key(item));
    }
  }
  return items;
}

/**
 * The modules the planner could choose from: declared on its span, else the names its prompt defines as a list
 * ("- knowledge_retrieval: retrieves …") or shows in a bracketed example list.
 */
function alternatives(plan: CallNode): string[] {
  const declared = plan.call.attributes[PLANNER_ATTRIBUTES.modules];
  if (Array.isArray(declared)) return declared.filter((m): m is string => typeof m === "string");
  // the planner's prompt: as a parameter it declared or read, and as its model calls' system prompts and inputs
  const texts = [plan.call.input, ...plan.call.params.map((u) => u.value ?? "")];
  const stack = [...plan.children];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.call.kind === "llm") texts.push(n.call.system ?? "", n.call.input);
    stack.push(...n.children);
  }
  const found: string[] = [];
  const add = (name: string) => {
    if (!found.some((f) => key(f) === key(name))) found.push(name);
  };
  for (const text of texts) {
    for (const m of text.matchAll(/^\s*[-*•]\s*["'`]?([A-Za-z][\w-]*)["'`]?\s*:/gm)) add(m[1]!);
  }
  if (found.length === 0) for (const text of texts) for (const list of text.matchAll(/\[([^\]]*)\]/g)) {
    for (const raw of list[1]!.split(",")) {
      const item = raw.trim().replace(/^["'`]|["'`]$/g, "");
      if (/^[A-Za-z][\w-]*$/.test(item)) add(item);
    }
  }
  return found;
}

function displayName(n: CallNode): string {
  return n.call.moduleId ?? n.call.name;
}

function nameKey(n: CallNode): string {
  return key(displayName(n));
}

/** Names compared without case or separators: `knowledge_retrieval` is the module `knowledgeRetrieval`. */
function key(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The backward rule of call `id`, made by `ruleFor` from its data predecessors (a plan that only selected the call
 * is not one of its inputs); when the call is a plan's asker (see {@link ControlPlan.asker}) and the control edge was
 * kept, the rule is wrapped so that the plan is asked about the counterfactual (see `controlBackwardRule`).
 */
export function withControlInputs(
  id: string,
  preds: readonly Variable[],
  plans: ReadonlyMap<string, ControlPlan>,
  name: string,
  ruleFor: (dataPreds: readonly Variable[]) => BackwardRule,
): BackwardRule {
  if (plans.size === 0) return ruleFor(preds);
  const controls: ControlInput[] = [];
  const data: Variable[] = [];
  for (const p of preds) {
    const plan = p.id === undefined ? undefined : plans.get(p.id);
    if (!plan?.controlled.includes(id)) data.push(p);
    else controls.push({ plan: p, ran: plan.ran, notRun: plan.notRun, module: name, ask: plan.asker === id });
  }
  const rule = ruleFor(data);
  return controls.length === 0 ? rule : controlBackwardRule(rule, controls);
}

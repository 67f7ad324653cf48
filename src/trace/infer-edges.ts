/**
 * @module trace/infer-edges
 * Data-flow edges between traced calls, from the most to the least certain evidence: explicit value references →
 * tool_call ids → message ids → content (exact, then a substring of ≥ 32 characters, producer ended before the
 * consumer started) → call-tree order. Parent/child spans only say who called whom; these say whose output fed whom.
 */
import type { EdgeKind } from "./module-call.js";
import type { EdgeSet } from "./edge-set.js";
import type { IdLookup } from "./id-map.js";
import { before, CONFIDENCE, idBefore, messagesOf, related, type CallNode } from "./call-node.js";
import { contentEdges } from "./content-edges.js";
import { MIN_SUBSTRING } from "./content-index.js";

export { CONFIDENCE, encloses, type CallNode } from "./call-node.js";

/** A re-imported edge (an OTLP span link written by toOtlpJson) from `from` span to the span carrying the link. */
export interface LinkedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly confidence: number;
}

/** How many earlier siblings are looked at for the one that fed a call by call-tree order (see step 6). */
const TREE_SCAN = 256;

/** Adds the data-flow edges between call nodes (not parameters, inputs or the output); `nodeOf` holds `nodes` by id. */
export function inferCallEdges(nodes: readonly CallNode[], nodeOf: IdLookup<CallNode>, links: readonly LinkedEdge[], edges: EdgeSet): void {
  // objects as keys, and the value-id map only when a trace has references: at 100k spans each map costs milliseconds
  const consumersOf = new Map<CallNode, CallNode[]>();
  const strong = (from: CallNode, to: CallNode, kind: EdgeKind, confidence: number) => {
    if (related(from, to)) return;
    edges.add(from.id, to.id, kind, confidence);
    pushTo(consumersOf, from, to);
  };

  // 1. explicit: value references recorded by traceModule, and links re-imported from an annotated export
  if (nodes.some((n) => n.call.inputRefs.length > 0)) {
    const producerOf = valueProducers(nodes, nodeOf);
    for (const c of nodes) {
      for (const ref of c.call.inputRefs) {
        const p = producerOf(ref);
        if (p) strong(p, c, "explicit", CONFIDENCE.explicit);
      }
    }
  }
  for (const l of links) {
    const p = nodeOf.get(l.from);
    const c = nodeOf.get(l.to);
    if (p && c) strong(p, c, l.kind, l.confidence);
  }

  // ids written by the calls: tool calls a model asked for, the tool calls that ran, and output message ids (maps
  // made only for traces that have such ids)
  let askedBy: Map<string, CallNode> | undefined;
  let answeredBy: Map<string, CallNode> | undefined;
  let producedId: Map<string, CallNode | null> | undefined;
  for (const n of nodes) {
    if (n.call.kind === "tool" && n.call.toolCallId) (answeredBy ??= new Map()).set(n.call.toolCallId, n);
    if (n.call.kind !== "llm" || !n.call.outputMessages) continue;
    for (const m of n.call.outputMessages) {
      if (m.toolCalls) for (const tc of m.toolCalls) (askedBy ??= new Map()).set(tc.id, n);
      // (ids seen twice are ambiguous)
      if (m.id) {
        producedId ??= new Map();
        producedId.set(m.id, producedId.has(m.id) ? null : n);
      }
    }
  }

  // 2. tool_call ids: the model that asked for a tool → the tool → the model that read its result
  if (answeredBy) {
    for (const n of nodes) {
      const answers = n.call.kind === "tool" ? n.call.toolCallId : undefined;
      if (answers) {
        const asker = askedBy?.get(answers);
        if (asker) strong(asker, n, "tool_call", CONFIDENCE.tool_call);
      }
      for (const m of messagesOf(n.call)) {
        const tool = m.toolCallId ? answeredBy.get(m.toolCallId) : undefined;
        if (tool && idBefore(tool, n)) strong(tool, n, "tool_call", CONFIDENCE.tool_call);
      }
    }
  }

  // 3. message ids carried from one model's output into a later model's input
  if (producedId) {
    for (const c of nodes) {
      for (const m of messagesOf(c.call)) {
        if (m.role === "tool" || !m.id) continue;
        const p = producedId.get(m.id);
        if (p && idBefore(p, c)) strong(p, c, "message_id", CONFIDENCE.message_id);
      }
    }
  }

  // 4. content: exact match of a whole input (or one message), else the whole output inside the input
  contentEdges(nodes, edges, consumersOf);

  // 5. a call's output comes from its children: the child it returns verbatim, children quoted in it, else the last
  for (const n of nodes) {
    if (n.children.length === 0) continue;
    let same: CallNode | undefined;
    if (n.output !== "") for (const k of n.children) if (k.output === n.output) same = k;
    if (same) {
      edges.add(same.id, n.id, "content", CONFIDENCE.returns);
      continue;
    }
    let quoted = false;
    for (const k of n.children) {
      if (k.output.length >= MIN_SUBSTRING && n.output.includes(k.output)) {
        edges.add(k.id, n.id, "content", CONFIDENCE.substring);
        quoted = true;
      }
    }
    if (!quoted) edges.add(lastEnded(n.children).id, n.id, "tree", CONFIDENCE.lastChild);
  }

  // 6. call-tree order, only for calls nothing else connects: the previous sibling fed the next one
  for (const group of siblingsByTrace(nodes)) {
    for (let i = 1; i < group.length; i++) {
      const c = group[i]!;
      if (edges.hasInto(c.id)) continue;
      // the nearest earlier sibling that had finished: usually the one just before; concurrent siblings (none finished
      // when c started) are skipped, within a bound, so many concurrent calls are not a quadratic scan
      for (let j = i - 1; j >= 0 && i - j <= TREE_SCAN; j--) {
        if (before(group[j]!, c)) {
          edges.add(group[j]!.id, c.id, "tree", CONFIDENCE.tree);
          break;
        }
      }
    }
  }
}

/**
 * The producer of each value id: the last call (in `nodes` order) whose output has that id. Most calls' value id is
 * their span id, which `nodeOf` already finds; only the other ids get a map (a map of every call's id was a few per
 * cent of building a large graph).
 */
function valueProducers(nodes: readonly CallNode[], nodeOf: IdLookup<CallNode>): (ref: string) => CallNode | undefined {
  let others: Map<string, CallNode> | undefined;
  for (const n of nodes) {
    const id = n.call.valueId;
    if (!id) continue;
    if (id !== n.id) (others ??= new Map()).set(id, n);
    // a later call whose own span id is `id` wins over an earlier call that named its value so
    else if (others?.has(id)) others.delete(id);
  }
  return (ref) => {
    const other = others?.get(ref);
    if (other) return other;
    const own = nodeOf.get(ref);
    return own && own.call.valueId === ref ? own : undefined;
  };
}

/**
 * Calls with the same parent and trace, in start order, of two calls or more: only those can be linked by call-tree
 * order. Top-level calls of different traces (each call of an agent traced without a root span is a trace of its own)
 * are not one group: scanning all of them for an earlier sibling of the same trace was quadratic in the number of
 * traces. A node's children are its group when they share its trace (the usual case), with no map or copy per parent;
 * groups come in the order their parents are first seen among `nodes`.
 */
function siblingsByTrace(nodes: readonly CallNode[]): Array<readonly CallNode[]> {
  const groups: Array<readonly CallNode[]> = [];
  let top = true;
  for (const n of nodes) {
    if (n.parent) {
      if (n.parent.children[0] === n) splitByTrace(n.parent.children, groups);
    } else if (top) {
      top = false;
      splitByTrace(
        nodes.filter((x) => !x.parent),
        groups,
      );
    }
  }
  return groups;
}

/** Adds `calls` to `groups` split by trace (traces in first-seen order), leaving out single calls. */
function splitByTrace(calls: readonly CallNode[], groups: Array<readonly CallNode[]>): void {
  if (calls.length < 2) return;
  const trace = calls[0]!.call.traceId;
  let i = 1;
  while (i < calls.length && calls[i]!.call.traceId === trace) i++;
  if (i === calls.length) {
    groups.push(calls);
    return;
  }
  const byTrace = new Map<string, CallNode | CallNode[]>();
  for (const c of calls) {
    const list = byTrace.get(c.call.traceId);
    if (list === undefined) byTrace.set(c.call.traceId, c);
    else if (Array.isArray(list)) list.push(c);
    else byTrace.set(c.call.traceId, [list, c]);
  }
  for (const list of byTrace.values()) if (Array.isArray(list)) groups.push(list);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lastEnded(nodes: readonly CallNode[]): CallNode {
  let best = nodes[0]!;
  for (const n of nodes) if (n.call.endTime >= best.call.endTime) best = n;
  return best;
}

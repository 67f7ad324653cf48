/**
 * @module trace/infer-edges
 * Data-flow edges between traced calls, from the most to the least certain evidence: explicit value references →
 * tool_call ids → message ids → content (exact, then a substring of ≥ 32 characters, producer ended before the
 * consumer started) → call-tree order. Parent/child spans only say who called whom; these say whose output fed whom.
 */
import type { EdgeKind, ModuleCall, RecordedMessage } from "./module-call.js";
import type { EdgeSet } from "./edge-set.js";
import { ContentIndex, matchableText, MIN_SUBSTRING, normalizeText } from "./content-index.js";
import { CLOCK_SKEW_MS } from "./clock.js";

/** A traced call that becomes a graph node. */
export interface CallNode {
  readonly id: string;
  readonly call: ModuleCall;
  readonly kind: "module" | "llm" | "tool";
  /** Nearest enclosing call that is also a node. */
  parent: CallNode | undefined;
  readonly children: CallNode[];
  /** Normalized output text. */
  readonly output: string;
  /** Normalized text the call read: system prompt and input. */
  readonly input: string;
  /** Normalized input alone (without the system prompt), for exact matching. */
  readonly inputOnly: string;
}

/** A re-imported edge (an OTLP span link written by toOtlpJson) from `from` span to the span carrying the link. */
export interface LinkedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly confidence: number;
}

/**
 * How certain each kind of evidence is. `nearest`: the consumer's text is the output of several unrelated earlier
 * calls, and the edge goes to the nearest of those identical producers (the one that ended last before the consumer
 * started) — linking all of them would give n² edges for n calls that return the same text.
 */
export const CONFIDENCE = { explicit: 1, tool_call: 1, message_id: 0.95, exact: 0.9, substring: 0.7, nearest: 0.6, returns: 0.9, tree: 0.3, lastChild: 0.5 } as const;

/** How many identical producers are looked at, nearest first, to find one unrelated to the consumer. */
const NEAREST_SCAN = 64;

/** How many earlier siblings are looked at for the one that fed a call by call-tree order (see step 6). */
const TREE_SCAN = 256;

const NO_MESSAGES: readonly RecordedMessage[] = [];
const messagesOf = (c: ModuleCall) => (c.kind === "llm" ? c.messages : undefined) ?? NO_MESSAGES;
const outputMessagesOf = (c: ModuleCall) => (c.kind === "llm" ? c.outputMessages : undefined) ?? NO_MESSAGES;
const toolCallIdOf = (c: ModuleCall) => (c.kind === "tool" ? c.toolCallId : undefined);

/** True when `a` encloses `b` (strictly). */
export function encloses(a: CallNode, b: CallNode): boolean {
  for (let p = b.parent; p; p = p.parent) if (p === a) return true;
  return false;
}

const related = (a: CallNode, b: CallNode) => a === b || encloses(a, b) || encloses(b, a);
const before = (p: CallNode, c: CallNode) => p.call.endTime <= c.call.startTime && p.call.traceId === c.call.traceId;
/**
 * Where an id already proves the order (a tool call id, a message id), the timing check only guards against ids reused
 * across runs, and allows the clock skew between root spans of different (later stitched) traces.
 */
const idBefore = (p: CallNode, c: CallNode) => p.call.endTime <= c.call.startTime + CLOCK_SKEW_MS && p.call.traceId === c.call.traceId;

/** Adds the data-flow edges between call nodes (not parameters, inputs or the output); `nodeOf` holds `nodes` by id. */
export function inferCallEdges(nodes: readonly CallNode[], nodeOf: ReadonlyMap<string, CallNode>, links: readonly LinkedEdge[], edges: EdgeSet): void {
  // objects as keys, and the value-id map only when a trace has references: at 100k spans each map costs milliseconds
  const consumersOf = new Map<CallNode, CallNode[]>();
  const strong = (from: CallNode, to: CallNode, kind: EdgeKind, confidence: number) => {
    if (related(from, to)) return;
    edges.add(from.id, to.id, kind, confidence);
    pushTo(consumersOf, from, to);
  };

  // 1. explicit: value references recorded by traceModule, and links re-imported from an annotated export
  if (nodes.some((n) => n.call.inputRefs.length > 0)) {
    const byValueId = new Map<string, CallNode>();
    for (const n of nodes) if (n.call.valueId) byValueId.set(n.call.valueId, n);
    for (const c of nodes) {
      for (const ref of c.call.inputRefs) {
        const p = byValueId.get(ref);
        if (p) strong(p, c, "explicit", CONFIDENCE.explicit);
      }
    }
  }
  for (const l of links) {
    const p = nodeOf.get(l.from);
    const c = nodeOf.get(l.to);
    if (p && c) strong(p, c, l.kind, l.confidence);
  }

  // 2. tool_call ids: the model that asked for a tool → the tool → the model that read its result
  const askedBy = new Map<string, CallNode>();
  const answeredBy = new Map<string, CallNode>();
  for (const n of nodes) {
    for (const m of outputMessagesOf(n.call)) for (const tc of m.toolCalls ?? []) askedBy.set(tc.id, n);
    const answers = toolCallIdOf(n.call);
    if (answers) answeredBy.set(answers, n);
  }
  for (const n of nodes) {
    const answers = toolCallIdOf(n.call);
    if (answers) {
      const asker = askedBy.get(answers);
      if (asker) strong(asker, n, "tool_call", CONFIDENCE.tool_call);
    }
    for (const m of messagesOf(n.call)) {
      const tool = m.toolCallId ? answeredBy.get(m.toolCallId) : undefined;
      if (tool && idBefore(tool, n)) strong(tool, n, "tool_call", CONFIDENCE.tool_call);
    }
  }

  // 3. message ids carried from one model's output into a later model's input (ids seen twice are ambiguous)
  const producedId = new Map<string, CallNode | null>();
  for (const n of nodes) {
    for (const m of outputMessagesOf(n.call)) {
      if (m.id) producedId.set(m.id, producedId.has(m.id) ? null : n);
    }
  }
  for (const c of nodes) {
    for (const m of messagesOf(c.call)) {
      if (m.role === "tool" || !m.id) continue;
      const p = producedId.get(m.id);
      if (p && idBefore(p, c)) strong(p, c, "message_id", CONFIDENCE.message_id);
    }
  }

  // 4. content: exact match of a whole input (or one message), else the whole output inside the input. Producers of
  // the same text form one group, and a consumer reads from the nearest producer of a group, not from all of them.
  const groups = new Map<string, CallNode[]>();
  for (const p of nodes) if (p.output !== "") pushTo(groups, p.output, p);
  // the arguments of a tool call a model requested are text that model produced: a sub-agent called as a tool reads
  // them as its user message, and nothing else would link the supervisor to it
  const argTexts = new Set<string>();
  for (const p of nodes) {
    for (const text of toolArgumentTexts(p.call)) {
      if (text === p.output) continue;
      const group = groups.get(text);
      if (group?.includes(p)) continue;
      pushTo(groups, text, p);
      argTexts.add(text);
    }
  }
  for (const group of groups.values()) if (group.length > 1) group.sort(byEnd);
  const argGroups = new Set<readonly CallNode[]>([...argTexts].map((t) => groups.get(t)!));
  const index = new ContentIndex([...groups].map(([text, group]) => ({ key: group, text })));
  const candidates: Array<{ p: CallNode; c: CallNode; confidence: number; args?: boolean }> = [];
  const consider = (group: readonly CallNode[], c: CallNode, confidence: number) => {
    const hit = nearestProducer(group, c);
    const args = argGroups.has(group);
    if (hit && !edges.has(hit.p.id, c.id)) candidates.push({ p: hit.p, c, confidence: hit.several ? CONFIDENCE.nearest : confidence, args });
  };
  for (const c of nodes) {
    // an exact match on the whole input, the input without the system prompt, or one message
    let exactly: Set<CallNode[]> | undefined;
    const match = (text: string) => {
      const group = groups.get(text);
      if (group) (exactly ??= new Set()).add(group);
    };
    match(c.input);
    if (c.inputOnly !== c.input) match(c.inputOnly);
    const messages = messagesOf(c.call);
    if (messages.length > 1) for (const m of messages) match(normalizeText(m.content));
    if (exactly) for (const group of exactly) consider(group, c, CONFIDENCE.exact);
    for (const group of index.occurrencesIn(c.input)) if (!exactly?.has(group)) consider(group, c, CONFIDENCE.substring);
  }
  // per producer, every call enclosing one of its consumers, found once: testing each candidate against every other
  // consumer of the same producer was quadratic in the fan-out
  const enclosingAConsumer = new Map<CallNode, Set<CallNode>>();
  const markAncestors = (p: CallNode, consumer: CallNode) => {
    let set = enclosingAConsumer.get(p);
    if (!set) enclosingAConsumer.set(p, (set = new Set()));
    for (let a = consumer.parent; a && !set.has(a); a = a.parent) set.add(a);
  };
  for (const { p, c } of candidates) markAncestors(p, c);
  for (const [p, consumers] of consumersOf) for (const x of consumers) markAncestors(p, x);
  // consumers per candidate producer, asked only about producers nested in another call (object keys, no string per pair)
  let consumersByCandidate: Map<CallNode, Set<CallNode>> | undefined;
  const isCandidate = (p: CallNode, c: CallNode) => {
    if (!consumersByCandidate) {
      consumersByCandidate = new Map();
      for (const x of candidates) {
        const set = consumersByCandidate.get(x.p);
        if (set) set.add(x.c);
        else consumersByCandidate.set(x.p, new Set([x.c]));
      }
    }
    return consumersByCandidate.get(p)?.has(c) ?? false;
  };
  const certainSets = new Map<CallNode, Set<CallNode>>();
  for (const { p, c, confidence, args } of candidates) {
    // the same value reached a call nested inside c: the inner call is the one that read it
    if (enclosingAConsumer.get(p)?.has(c)) continue;
    // an enclosing call already has certain evidence of reading p: do not add a weaker second path
    const certain = consumersOf.get(p);
    // (tool-call arguments are the exception: the tool that certainly received them hands them to the call inside)
    if (!args && certain && enclosedByAny(c, certainSets.get(p) ?? setOf(certainSets, p, certain))) continue;
    // p's text is also the output of a call enclosing p (a module returning its LLM's answer): take the outer one
    let outer = false;
    for (let a = p.parent; a && !outer; a = a.parent) outer = isCandidate(a, c) || edges.has(a.id, c.id);
    if (outer) continue;
    edges.add(p.id, c.id, "content", confidence);
  }

  // 5. a call's output comes from its children: the child it returns verbatim, children quoted in it, else the last
  for (const n of nodes) {
    if (n.children.length === 0) continue;
    const same = n.children.filter((k) => k.output === n.output && n.output !== "");
    const quoted = n.children.filter((k) => k.output.length >= MIN_SUBSTRING && n.output.includes(k.output));
    if (same.length > 0) edges.add(same[same.length - 1]!.id, n.id, "content", CONFIDENCE.returns);
    else if (quoted.length > 0) for (const k of quoted) edges.add(k.id, n.id, "content", CONFIDENCE.substring);
    else edges.add(lastEnded(n.children).id, n.id, "tree", CONFIDENCE.lastChild);
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
 * Calls with the same parent and trace, in start order: only those can be linked by call-tree order. Top-level calls
 * of different traces (each call of an agent traced without a root span is a trace of its own) are not one group:
 * scanning all of them for an earlier sibling of the same trace was quadratic in the number of traces.
 */
function siblingsByTrace(nodes: readonly CallNode[]): Iterable<CallNode[]> {
  const groups = new Map<CallNode | undefined, Map<string, CallNode[]>>();
  for (const n of nodes) {
    let byTrace = groups.get(n.parent);
    if (!byTrace) groups.set(n.parent, (byTrace = new Map()));
    pushTo(byTrace, n.call.traceId, n);
  }
  return [...groups.values()].flatMap((byTrace) => [...byTrace.values()]);
}

/** The normalized arguments of each tool call `c` requested, whole and each string value inside them. */
function toolArgumentTexts(c: ModuleCall): string[] {
  const out: string[] = [];
  for (const m of outputMessagesOf(c)) {
    for (const tc of m.toolCalls ?? []) {
      const whole = matchableText(tc.arguments);
      if (whole !== "") out.push(whole);
      let value: unknown;
      try {
        value = JSON.parse(tc.arguments);
      } catch {
        continue;
      }
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const v of Object.values(value)) if (typeof v === "string" && normalizeText(v) !== "" && normalizeText(v) !== whole) out.push(normalizeText(v));
      }
    }
  }
  return out;
}

function setOf(cache: Map<CallNode, Set<CallNode>>, key: CallNode, nodes: readonly CallNode[]): Set<CallNode> {
  const set = new Set(nodes);
  cache.set(key, set);
  return set;
}

function enclosedByAny(c: CallNode, set: ReadonlySet<CallNode>): boolean {
  for (let a = c.parent; a; a = a.parent) if (set.has(a)) return true;
  return false;
}

/** End order; on a tie the enclosing call last (it is the one that returned the text). */
function byEnd(a: CallNode, b: CallNode): number {
  return a.call.endTime - b.call.endTime || (encloses(a, b) ? 1 : encloses(b, a) ? -1 : 0);
}

/**
 * The producer of `group` (identical outputs, in end order) that `c` most plausibly read: the last to end before `c`
 * started, in its trace, neither enclosing nor inside `c`. `several` when another such producer, unrelated to the
 * chosen one, exists (a module and the LLM whose answer it returned are one producer, not two).
 */
function nearestProducer(group: readonly CallNode[], c: CallNode): { p: CallNode; several: boolean } | undefined {
  let lo = 0;
  let hi = group.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (group[mid]!.call.endTime <= c.call.startTime) lo = mid + 1;
    else hi = mid;
  }
  let chosen: CallNode | undefined;
  for (let i = lo - 1, seen = 0; i >= 0 && seen < NEAREST_SCAN; i--, seen++) {
    const p = group[i]!;
    if (p.call.traceId !== c.call.traceId || related(p, c)) continue;
    if (!chosen) chosen = p;
    else if (!related(chosen, p)) return { p: chosen, several: true };
  }
  return chosen && { p: chosen, several: false };
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

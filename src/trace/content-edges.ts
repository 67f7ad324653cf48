/**
 * @module trace/content-edges
 * Step 4 of edge inference: content. An exact match of a whole input (or one message), else a whole output inside
 * the input. Producers of the same text form one group, and a consumer reads from the nearest producer of a group,
 * not from all of them.
 *
 * This runs once per span over every text of the trace, so groups are numbers into flat arrays (no array per
 * producer, no object per candidate), and a text is looked up in the map of group texts only when a one-bit
 * fingerprint (length and three characters) says some group text could equal it: most inputs match nothing exactly.
 */
import type { EdgeSet } from "./edge-set.js";
import { CONFIDENCE, encloses, messagesOf, outputMessagesOf, related, type CallNode } from "./call-node.js";
import { ContentIndex, matchableText, normalizeText } from "./content-index.js";
import { NodePairs } from "./node-pairs.js";
import { TextFingerprints } from "./text-fingerprints.js";

/** How many identical producers are looked at, nearest first, to find one unrelated to the consumer. */
const NEAREST_SCAN = 64;

/** The producers of each distinct text (outputs, and tool-call arguments a model wrote), numbered in first-seen order. */
interface ProducerGroups {
  readonly indexOf: Map<string, number>;
  readonly texts: string[];
  /** One producer, or several in end order. */
  readonly members: Array<CallNode | CallNode[]>;
  /** Groups holding a tool call's arguments (a tool that certainly received them may hand them to the call inside). */
  readonly args: Set<number> | undefined;
}

/** Adds the content edges into `nodes`; `consumersOf` holds the edges of certain evidence (steps 1–3) per producer. */
export function contentEdges(nodes: readonly CallNode[], edges: EdgeSet, consumersOf: ReadonlyMap<CallNode, readonly CallNode[]>): void {
  const groups = producerGroups(nodes);
  const { indexOf, texts, members, args } = groups;
  if (texts.length === 0) return;
  const index = ContentIndex.ofTexts(texts);
  const fingerprints = new TextFingerprints(texts);
  let shortest = Infinity;
  for (const t of texts) if (t.length < shortest) shortest = t.length;

  // candidates as parallel arrays, in the order found
  const from: CallNode[] = [];
  const to: CallNode[] = [];
  const confidences: number[] = [];
  const fromArgs: boolean[] = [];
  const consider = (g: number, c: CallNode, confidence: number) => {
    const m = members[g]!;
    let p: CallNode | undefined;
    let several = false;
    if (Array.isArray(m)) {
      const hit = nearestProducer(m, c);
      p = hit?.p;
      several = hit?.several ?? false;
    } else if (m.call.endTime <= c.call.startTime && m.call.traceId === c.call.traceId && !related(m, c)) p = m;
    if (p && !edges.has(p.id, c.id)) {
      from.push(p);
      to.push(c);
      confidences.push(several ? CONFIDENCE.nearest : confidence);
      fromArgs.push(args?.has(g) ?? false);
    }
  };
  // which groups the current consumer matched exactly: `exact` in match order, `mark` (consumer number + 1) per group
  const exact: number[] = [];
  const marked: number[] = new Array<number>(texts.length).fill(0);
  let mark = 0;
  const inside: number[] = [];
  const match = (text: string) => {
    if (!fingerprints.mayHave(text)) return;
    const g = indexOf.get(text);
    if (g !== undefined && marked[g] !== mark) {
      marked[g] = mark;
      exact.push(g);
    }
  };
  for (const c of nodes) {
    // an exact match on the whole input, the input without the system prompt, or one message
    mark++;
    exact.length = 0;
    match(c.input);
    if (c.inputOnly !== c.input) match(c.inputOnly);
    const messages = messagesOf(c.call);
    if (messages.length > 1) {
      for (const m of messages) {
        // normalizing never lengthens a text: a message shorter than every group text cannot equal one
        if (m.content.length < shortest) continue;
        // the message that is the whole (plain, not JSON) input normalizes to inputOnly (matchableText of the input,
        // as buildGraph makes it), matched just above
        if (m.content === c.call.input && plainStart(m.content)) continue;
        match(normalizeText(m.content));
      }
    }
    for (const g of exact) consider(g, c, CONFIDENCE.exact);
    inside.length = 0;
    for (const g of index.occurrencesIn(c.input, inside)) if (marked[g] !== mark) consider(g, c, CONFIDENCE.substring);
  }
  if (from.length > 0) keepInnermost(from, to, confidences, fromArgs, edges, consumersOf);
}

function producerGroups(nodes: readonly CallNode[]): ProducerGroups {
  const indexOf = new Map<string, number>();
  const texts: string[] = [];
  const members: Array<CallNode | CallNode[]> = [];
  const add = (text: string, p: CallNode): number => {
    const g = indexOf.get(text);
    if (g === undefined) {
      indexOf.set(text, texts.length);
      texts.push(text);
      members.push(p);
      return texts.length - 1;
    }
    const m = members[g]!;
    if (Array.isArray(m)) m.push(p);
    else members[g] = [m, p];
    return g;
  };
  for (const p of nodes) if (p.output !== "") add(p.output, p);
  // the arguments of a tool call a model requested are text that model produced: a sub-agent called as a tool reads
  // them as its user message, and nothing else would link the supervisor to it
  let args: Set<number> | undefined;
  for (const p of nodes) {
    if (p.call.kind !== "llm" || !p.call.outputMessages) continue;
    for (const text of toolArgumentTexts(p.call.outputMessages)) {
      if (text === p.output) continue;
      // p's own earlier argument (p adds its texts one after another, so it would be the group's last member)
      const g = indexOf.get(text);
      if (g !== undefined && lastOf(members[g]!) === p) continue;
      (args ??= new Set()).add(add(text, p));
    }
  }
  // (two producers, the usual group, are ordered as Array.prototype.sort would, without its work array)
  for (const m of members) {
    if (!Array.isArray(m)) continue;
    if (m.length > 2) m.sort(byEnd);
    else if (byEnd(m[1]!, m[0]!) < 0) m.reverse();
  }
  return { indexOf, texts, members, args };
}

/** True when `text` starts with a printable ASCII character other than `[` or `{`: matchableText reads it as plain text. */
function plainStart(text: string): boolean {
  const c = text.charCodeAt(0);
  return c > 32 && c < 127 && c !== 91 && c !== 123;
}

const lastOf = (m: CallNode | CallNode[]): CallNode => (Array.isArray(m) ? m[m.length - 1]! : m);

/**
 * Drops the candidates a better path explains, adding the rest: per producer, every call enclosing one of its
 * consumers is found once (testing each candidate against every other consumer of the same producer was quadratic in
 * the fan-out), and only for consumers nested in another call.
 */
function keepInnermost(from: CallNode[], to: CallNode[], confidences: number[], fromArgs: boolean[], edges: EdgeSet, consumersOf: ReadonlyMap<CallNode, readonly CallNode[]>): void {
  const enclosingAConsumer = new NodePairs();
  const markAncestors = (p: CallNode, consumer: CallNode) => {
    for (let a = consumer.parent; a && enclosingAConsumer.add(p, a); a = a.parent);
  };
  for (let i = 0; i < from.length; i++) markAncestors(from[i]!, to[i]!);
  for (const [p, consumers] of consumersOf) for (const x of consumers) markAncestors(p, x);
  // consumers per candidate producer, asked only about producers nested in another call (object keys, no string per pair)
  let candidatePairs: NodePairs | undefined;
  const isCandidate = (p: CallNode, c: CallNode) => {
    if (!candidatePairs) {
      candidatePairs = new NodePairs();
      for (let i = 0; i < from.length; i++) candidatePairs.add(from[i]!, to[i]!);
    }
    return candidatePairs.has(p, c);
  };
  // per producer, the calls with certain evidence of reading it, made for producers asked about
  const certainPairs = new NodePairs();
  for (let i = 0; i < from.length; i++) {
    const p = from[i]!;
    const c = to[i]!;
    // the same value reached a call nested inside c: the inner call is the one that read it
    if (!enclosingAConsumer.empty && enclosingAConsumer.has(p, c)) continue;
    // an enclosing call already has certain evidence of reading p: do not add a weaker second path
    // (tool-call arguments are the exception: the tool that certainly received them hands them to the call inside)
    if (!fromArgs[i] && c.parent) {
      const certain = consumersOf.get(p);
      if (certain) {
        if (!certainPairs.hasAny(p)) for (const x of certain) certainPairs.add(p, x);
        if (enclosedByAny(c, p, certainPairs)) continue;
      }
    }
    // p's text is also the output of a call enclosing p (a module returning its LLM's answer): take the outer one
    let outer = false;
    for (let a = p.parent; a && !outer; a = a.parent) outer = isCandidate(a, c) || edges.has(a.id, c.id);
    if (outer) continue;
    edges.add(p.id, c.id, "content", confidences[i]!);
  }
}

/** The normalized arguments of each tool call in `messages`, whole and each string value inside them. */
function toolArgumentTexts(messages: NonNullable<ReturnType<typeof outputMessagesOf>>): string[] {
  const out: string[] = [];
  for (const m of messages) {
    if (!m.toolCalls) continue;
    for (const tc of m.toolCalls) {
      const whole = matchableText(tc.arguments);
      if (whole !== "") out.push(whole);
      let value: unknown;
      try {
        value = JSON.parse(tc.arguments);
      } catch {
        continue;
      }
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const v of Object.values(value)) {
          if (typeof v !== "string") continue;
          const text = normalizeText(v);
          if (text !== "" && text !== whole) out.push(text);
        }
      }
    }
  }
  return out;
}

/** Whether a call enclosing `c` is paired with `p`. */
function enclosedByAny(c: CallNode, p: CallNode, pairs: NodePairs): boolean {
  for (let a = c.parent; a; a = a.parent) if (pairs.has(p, a)) return true;
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

/**
 * @module trace/history-edges
 * Feedback edges and context edges in a conversation. An agent loop's model call reads the whole message history, so
 * the graph links every step to all earlier ones; sending feedback along all of those edges makes backward quadratic
 * in the number of steps (every step critiques every earlier one again). A call whose messages extend the messages
 * of an earlier call of the same conversation (its previous step) read that shared history through the previous
 * step: what both read is context for the later call, and feedback on it travels along the chain — the later call
 * gives feedback to the previous step (and to what is new since it), the previous step to what it read, and so on.
 */
import type { GraphEdge, LlmModuleCall, RecordedMessage } from "./module-call.js";
import type { CallNode } from "./infer-edges.js";
import { replyText } from "./genai-messages.js";
import { renderElidedHistory } from "../prompts/history-elided.js";

/** How a model call continues an earlier one: the previous step and how many non-system messages both read. */
export interface ConversationStep {
  readonly previous: CallNode;
  /** Leading non-system messages of the call that are the previous step's whole (non-system) input. */
  readonly shared: number;
}

const NO_MESSAGES: readonly RecordedMessage[] = [];
const conversationOf = (n: CallNode): readonly RecordedMessage[] =>
  n.call.kind === "llm" && n.call.messages ? n.call.messages.filter((m) => m.role !== "system") : NO_MESSAGES;

function conversationLength(n: CallNode): number {
  if (n.call.kind !== "llm" || !n.call.messages) return 0;
  let count = 0;
  for (const m of n.call.messages) if (m.role !== "system") count++;
  return count;
}

/**
 * For each model call whose non-system messages start with all the non-system messages of an earlier model call (same
 * trace, ended before it started), that earlier call — the longest such prefix, then the one that ended last. Linear
 * in the messages' length: each call's messages are hashed once, and prefixes are looked up by hash and then compared.
 */
export function conversationSteps(nodes: readonly CallNode[]): Map<CallNode, ConversationStep> {
  const steps = new Map<CallNode, ConversationStep>();
  // a later step reads at least two messages besides the system prompt: without one, no call continues another
  if (!nodes.some((n) => conversationLength(n) >= 2)) return steps;
  const conversations = new Map<CallNode, { messages: readonly RecordedMessage[]; prefix: Int32Array }>();
  const byWhole = new Map<number, CallNode[]>();
  for (const n of nodes) {
    const messages = conversationOf(n);
    if (messages.length === 0) continue;
    const prefix = new Int32Array(messages.length + 1);
    for (let i = 0; i < messages.length; i++) prefix[i + 1] = (Math.imul(prefix[i]!, 0x01000193) ^ messageHash(messages[i]!)) | 0;
    conversations.set(n, { messages, prefix });
    const whole = prefix[messages.length]!;
    const list = byWhole.get(whole);
    if (list) list.push(n);
    else byWhole.set(whole, [n]);
  }
  for (const [c, { messages, prefix }] of conversations) {
    if (messages.length < 2) continue;
    for (let k = messages.length - 1; k >= 1; k--) {
      let best: CallNode | undefined;
      for (const p of byWhole.get(prefix[k]!) ?? []) {
        if (p === c || p.call.traceId !== c.call.traceId || p.call.endTime > c.call.startTime) continue;
        const theirs = conversations.get(p)!.messages;
        if (theirs.length !== k || !samePrefix(theirs, messages, k)) continue;
        if (!best || p.call.endTime > best.call.endTime) best = p;
      }
      if (best) {
        steps.set(c, { previous: best, shared: k });
        break;
      }
    }
  }
  return steps;
}

/**
 * The steps whose previous step's output reached the call through an edge of `edges`: only along those does feedback
 * travel as a chain. Where the link is missing, the history edges keep carrying feedback.
 */
export function linkedSteps(steps: ReadonlyMap<CallNode, ConversationStep>, edges: readonly GraphEdge[]): Map<CallNode, ConversationStep> {
  const linked = new Map<CallNode, ConversationStep>();
  if (steps.size === 0) return linked;
  // the previous step of each call, then one pass over the edges: no key string per edge
  const previousOf = new Map<string, string>();
  for (const [c, step] of steps) previousOf.set(c.id, step.previous.id);
  const reached = new Set<string>();
  for (const e of edges) if (previousOf.get(e.to) === e.from) reached.add(e.to);
  for (const [c, step] of steps) if (reached.has(c.id)) linked.set(c, step);
  return linked;
}

/**
 * `edges` with `carriesFeedback` set: false on an edge into a call (of `steps`, see {@link linkedSteps}) from something
 * its previous step also read — not a parameter, since each call uses its prompt itself; true on every other edge.
 */
export function markContextEdges(edges: readonly GraphEdge[], steps: ReadonlyMap<CallNode, ConversationStep>): GraphEdge[] {
  if (steps.size === 0) return edges.map((e) => marked(e, true));
  const into = new Map<string, Set<string>>();
  for (const e of edges) {
    const set = into.get(e.to);
    if (set) set.add(e.from);
    else into.set(e.to, new Set([e.from]));
  }
  const previousOf = new Map<string, string>();
  for (const [c, { previous }] of steps) previousOf.set(c.id, previous.id);
  return edges.map((e) => {
    const previous = previousOf.get(e.to);
    const context = previous !== undefined && e.from !== previous && !e.from.startsWith("param:") && (into.get(previous)?.has(e.from) ?? false);
    return marked(e, !context);
  });
}

/**
 * `e` with `carriesFeedback` set. Written out rather than spread: an object spread per edge was the largest single
 * cost of building a small graph (9% of a 4-span buildGraph).
 */
function marked(e: GraphEdge, carriesFeedback: boolean): GraphEdge {
  return e.carriesFeedback === carriesFeedback ? e : { from: e.from, to: e.to, kind: e.kind, confidence: e.confidence, carriesFeedback };
}

/**
 * How a conversation's history edges are treated: `"context"` (default) — what the previous step already read is
 * context for the later steps, and feedback goes along the chain; `"feedback"` — every history edge carries feedback
 * (each later step criticises every earlier one again: quadratic in the number of steps).
 */
export type HistoryEdges = "context" | "feedback";

/** Every {@link HistoryEdges} value, for validating options given at run time. */
export const HISTORY_EDGES: readonly HistoryEdges[] = ["context", "feedback"];

/**
 * The input of a model call as its backward call is shown it: the task (the leading user messages), a line standing
 * for the history its previous step also read, then what is new since that step. The whole input when nothing is
 * left out.
 */
export function elidedInput(call: LlmModuleCall, step: ConversationStep): string {
  const messages = (call.messages ?? NO_MESSAGES).filter((m) => m.role !== "system");
  let head = 0;
  while (head < step.shared && messages[head]!.role === "user") head++;
  const omitted = step.shared - head;
  if (omitted === 0) return call.input;
  const block = (m: RecordedMessage) => `${m.role}: ${replyText([m])}`;
  return [...messages.slice(0, head).map(block), renderElidedHistory(omitted, step.previous.call.name), ...messages.slice(step.shared).map(block)].join("\n\n");
}

function samePrefix(a: readonly RecordedMessage[], b: readonly RecordedMessage[], k: number): boolean {
  for (let i = 0; i < k; i++) if (!sameMessage(a[i]!, b[i]!)) return false;
  return true;
}

function sameMessage(a: RecordedMessage, b: RecordedMessage): boolean {
  if (a === b) return true;
  if (a.role !== b.role || a.content !== b.content || a.toolCallId !== b.toolCallId) return false;
  const x = a.toolCalls ?? [];
  const y = b.toolCalls ?? [];
  return x.length === y.length && x.every((t, i) => t.id === y[i]!.id && t.name === y[i]!.name && t.arguments === y[i]!.arguments);
}

/** FNV-1a over what {@link sameMessage} compares. */
function messageHash(m: RecordedMessage): number {
  let h = 0x811c9dc5 | 0;
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  };
  feed(m.role);
  feed(m.content);
  feed(m.toolCallId ?? "");
  for (const t of m.toolCalls ?? []) {
    feed(t.id);
    feed(t.name);
    feed(t.arguments);
  }
  return h | 0;
}

/**
 * @module trace/call-node
 * The traced calls edge inference works on, how sure each kind of evidence is, and the relations between calls that
 * every inference step asks about (re-exported by trace/infer-edges, where other modules import them from).
 */
import type { ModuleCall, RecordedMessage } from "./module-call.js";
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

/**
 * How certain each kind of evidence is. `nearest`: the consumer's text is the output of several unrelated earlier
 * calls, and the edge goes to the nearest of those identical producers (the one that ended last before the consumer
 * started) — linking all of them would give n² edges for n calls that return the same text.
 */
export const CONFIDENCE = { explicit: 1, tool_call: 1, message_id: 0.95, exact: 0.9, substring: 0.7, nearest: 0.6, returns: 0.9, tree: 0.3, lastChild: 0.5 } as const;

const NO_MESSAGES: readonly RecordedMessage[] = [];
export const messagesOf = (c: ModuleCall): readonly RecordedMessage[] => (c.kind === "llm" ? c.messages : undefined) ?? NO_MESSAGES;
export const outputMessagesOf = (c: ModuleCall): readonly RecordedMessage[] => (c.kind === "llm" ? c.outputMessages : undefined) ?? NO_MESSAGES;

/** True when `a` encloses `b` (strictly). */
export function encloses(a: CallNode, b: CallNode): boolean {
  for (let p = b.parent; p; p = p.parent) if (p === a) return true;
  return false;
}

export const related = (a: CallNode, b: CallNode): boolean => a === b || encloses(a, b) || encloses(b, a);
export const before = (p: CallNode, c: CallNode): boolean => p.call.endTime <= c.call.startTime && p.call.traceId === c.call.traceId;
/**
 * Where an id already proves the order (a tool call id, a message id), the timing check only guards against ids reused
 * across runs, and allows the clock skew between root spans of different (later stitched) traces.
 */
export const idBefore = (p: CallNode, c: CallNode): boolean => p.call.endTime <= c.call.startTime + CLOCK_SKEW_MS && p.call.traceId === c.call.traceId;

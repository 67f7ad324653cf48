/**
 * @module trace/wrapper-modules
 * A module that only wraps one model call (a LangGraph node around `model.invoke`, returning `{ messages: [reply] }`)
 * adds nothing of its own: its output is the reply in an envelope. Left as a node with its own edges, it opens a path
 * beside the model calls' (researcher → writer next to researcher.model → writer.model), and every prompt upstream
 * gets the same feedback twice. So it is treated like a module that returns its call's answer verbatim: the data it
 * received is moved onto the call, edges out of it that the call already has are dropped, and it passes feedback on.
 */
import { normalizeText } from "./content-index.js";
import type { CallNode } from "./infer-edges.js";
import type { EdgeSet } from "./edge-set.js";

/** The shortest reply a wrapper's output must quote to count as wrapping it ("ok" inside any JSON proves nothing). */
const MIN_REPLY = 8;

/**
 * Finds the wrapper modules among `nodes`, adds each to `identity` (module id → its call), moves edges into it onto
 * its call and drops edges out of it that duplicate the call's (directly, or to the call a wrapper target wraps).
 */
export function foldWrapperModules(nodes: readonly CallNode[], edges: EdgeSet, identity: Map<string, CallNode>): void {
  const wrapped = new Map<string, CallNode>();
  for (const n of nodes) {
    if (n.kind !== "module" || identity.has(n.id) || n.children.length !== 1) continue;
    const child = n.children[0]!;
    if (child.kind !== "llm" || child.children.length > 0 || !edges.has(child.id, n.id)) continue;
    const reply = normalizeText(child.call.output);
    if (reply.length >= MIN_REPLY && normalizeText(n.call.output).includes(reply)) wrapped.set(n.id, child);
  }
  if (wrapped.size === 0) return;
  const all = edges.all();
  for (const e of all) {
    const child = wrapped.get(e.to);
    if (!child || e.from === child.id || e.from.startsWith("param:")) continue;
    edges.delete(e.from, e.to);
    if (!edges.has(e.from, child.id)) edges.add(e.from, child.id, e.kind, e.confidence);
  }
  for (const e of edges.all()) {
    const child = wrapped.get(e.from);
    if (!child) continue;
    const target = wrapped.get(e.to)?.id ?? e.to;
    if (edges.has(child.id, e.to) || edges.has(child.id, target)) edges.delete(e.from, e.to);
  }
  for (const [id, child] of wrapped) identity.set(id, child);
}

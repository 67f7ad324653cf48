/**
 * @module optim/optimize/counterfactual-replay
 * What a stored run's model calls would have said under candidate prompts: each model call a changed prompt reached
 * (a `param:` edge in the run's graph) is asked again, with the candidate's text in place of the recorded one in its
 * system prompt and its recorded messages as the conversation. Nothing else of the run is re-run: tools and later
 * steps keep their recorded outputs, so this compares the changed steps themselves.
 */
import type { ChatMessage, Engine } from "../../engine/types.js";
import type { LlmModuleCall, TraceGraph } from "../../trace/module-call.js";
import type { ParameterValues } from "./types.js";

/** One step asked again: its recorded output and the candidate's. */
export interface ReplayedStep {
  readonly name: string;
  readonly spanId: string;
  readonly before: string;
  readonly after: string;
}

/** The result of replaying one run under candidate values. */
export interface Replay {
  /** Steps whose output the candidate changed. */
  readonly changed: readonly ReplayedStep[];
  /** Prompts that changed but reached no recorded model call that can be asked again (warned once by the caller). */
  readonly unreplayable: readonly string[];
}

/** Re-asks the model calls of `graph` that read a prompt whose candidate text differs from the recorded one. */
export async function replayChanged(graph: TraceGraph, values: ParameterValues, ask: (key: string, request: Parameters<Engine["generate"]>[0]) => Promise<string>): Promise<Replay> {
  const edits = new Map<LlmModuleCall, Array<{ from: string; to: string }>>();
  const unreplayable: string[] = [];
  for (const [name, text] of Object.entries(values)) {
    const node = graph.nodes.find((n) => n.id === `param:${name}`);
    if (!node || node.value === text) continue;
    let reached = false;
    for (const e of graph.edges) {
      if (e.from !== node.id) continue;
      const target = graph.nodes.find((n) => n.id === e.to);
      const call = target?.kind === "llm" ? graph.calls.find((c) => c.spanId === target.spanId) : undefined;
      if (call?.kind !== "llm") continue;
      reached = true;
      const list = edits.get(call);
      if (list) list.push({ from: node.value, to: text });
      else edits.set(call, [{ from: node.value, to: text }]);
    }
    if (!reached) unreplayable.push(name);
  }
  const changed = await Promise.all(
    [...edits].map(async ([call, list]) => {
      const request = requestOf(call, list);
      const after = await ask(`${call.spanId}\u0000${request.system ?? ""}`, request);
      return after.trim() === call.output.trim() ? undefined : { name: call.name, spanId: call.spanId, before: call.output, after };
    }),
  );
  return { changed: changed.filter((s): s is ReplayedStep => s !== undefined), unreplayable };
}

/** The recorded call as an engine request, its system prompt edited. */
function requestOf(call: LlmModuleCall, edits: ReadonlyArray<{ from: string; to: string }>): { system: string; prompt: string; history?: ChatMessage[] } {
  let system = call.system ?? "";
  for (const { from, to } of edits) system = from !== "" && system.includes(from) ? system.split(from).join(to) : to;
  const turns = (call.messages ?? []).filter((m) => m.role !== "system");
  if (turns.length === 0) return { system, prompt: call.input };
  const history: ChatMessage[] = turns.slice(0, -1).map((m) => ({
    role: m.role === "assistant" || m.role === "ai" ? "assistant" : "user",
    content: m.role === "tool" ? `Tool result: ${m.content}` : m.content,
  }));
  return { system, prompt: turns[turns.length - 1]!.content, ...(history.length > 0 ? { history } : {}) };
}

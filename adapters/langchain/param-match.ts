/**
 * @module adapters/langchain/param-match
 * Binding a model call to the parameters it used without a middleware: a LangGraph node that builds its own
 * `new SystemMessage(prompt.value)` has read the parameter inside the run (so the capture knows it); the call whose
 * system message is that value used it.
 */
import type { Run } from "@langchain/core/tracers/base";
import { peekValue, type Variable } from "../../src/trace/adapter-kit.js";
import { contentText, isMessage } from "./messages.js";

/** The parameters among `known` whose current value is the text of one of the chat run's system messages. */
export function systemMessageParams(run: Run, known: ReadonlyMap<string, Variable>): Variable[] {
  if (known.size === 0) return [];
  const messages = (run.inputs as { messages?: unknown[][] } | undefined)?.messages?.[0];
  if (!Array.isArray(messages)) return [];
  const systems = new Set<string>();
  for (const m of messages) if (isMessage(m) && typeOf(m) === "system") systems.add(contentText(m.content));
  if (systems.size === 0) return [];
  const out: Variable[] = [];
  // peekValue: comparing is not using — reading `.value` here would record every known prompt as read by this call
  for (const p of known.values()) {
    const text = peekValue(p);
    if (text !== "" && systems.has(text)) out.push(p);
  }
  return out;
}

function typeOf(m: Record<string, unknown>): unknown {
  return typeof m.getType === "function" ? (m.getType as () => unknown)() : (m._getType as () => unknown)();
}

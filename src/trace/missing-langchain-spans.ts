/**
 * @module trace/missing-langchain-spans
 * Notices a LangChain agent whose calls went unrecorded. When the app loads a second copy of @langchain/core (a
 * linked install, a bundled dependency), instrumentLangChain() registers its hook on one copy while the agent runs on
 * the other: the run then has only its root span and the graph silently has no calls and no parameters. The only
 * visible sign is a LangChain object in the output, so that is what is looked for — duck-typed, LangChain is not
 * imported here.
 */
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { types } from "node:util";

/** How many fields (and elements of array fields) are looked at: enough for an agent state, bounded for huge outputs. */
const MAX_FIELDS = 64;

/** The warning given, with the likely cause and the fixes. */
export const MISSING_LANGCHAIN_SPANS =
  "the run returned LangChain objects but no LangChain call was recorded — most likely the app loads a second copy of " +
  "@langchain/core, and instrumentLangChain() registered its hook on a different copy than the one the agent uses. " +
  "Pass the handler explicitly: agent.invoke(input, { callbacks: [tracegradCallbacks()] }), or dedupe @langchain/core " +
  "(npm dedupe; `npm ls @langchain/core` must show one version).";

/**
 * The warning for a run whose output (or a field of it, or an element of such a field — e.g. a LangGraph state's
 * `messages`) is a LangChain object although no span of the run came from an instrumentation; undefined otherwise.
 * `own` holds the spans tracegrad's own wrappers started. Never runs the agent's code: Proxies are skipped and
 * getters are not called.
 *
 * @example
 * const warning = missingLangChainWarning(run.output, spans, capture.ownSpans);
 */
export function missingLangChainWarning(output: unknown, spans: readonly ReadableSpan[], own: WeakSet<object>): string | undefined {
  if (spans.some((s) => !own.has(s))) return undefined;
  return holdsLangChainObject(output) ? MISSING_LANGCHAIN_SPANS : undefined;
}

function holdsLangChainObject(value: unknown): boolean {
  if (isLangChainObject(value)) return true;
  for (const field of fieldsOf(value)) {
    if (isLangChainObject(field)) return true;
    if (Array.isArray(field) && fieldsOf(field).some(isLangChainObject)) return true;
  }
  return false;
}

/** A LangChain Serializable (a message, a document, a runnable): it carries its namespace and constructor kwargs. */
function isLangChainObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null || types.isProxy(value)) return false;
  return Array.isArray(ownData(value, "lc_namespace")) || typeof ownData(value, "lc_serializable") === "boolean" || isObject(ownData(value, "lc_kwargs"));
}

/** Own data fields of a plain object or array (data properties only: a getter is the agent's code). */
function fieldsOf(value: unknown): unknown[] {
  if (typeof value !== "object" || value === null || types.isProxy(value)) return [];
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return [];
  const out: unknown[] = [];
  for (const key of Object.keys(value).slice(0, MAX_FIELDS)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d && "value" in d) out.push(d.value);
  }
  return out;
}

/** A data property found on the object or its prototype chain (LangChain declares lc_namespace on the prototype), without calling getters. */
function ownData(value: object, key: string): unknown {
  for (let o: object | null = value, depth = 0; o !== null && depth < 8; o = Object.getPrototypeOf(o), depth++) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return "value" in d ? d.value : undefined;
  }
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

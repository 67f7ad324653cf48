/**
 * @module adapters/langchain/instrument
 * Capture without touching the agent's code: LangChain's configure hook adds our handler to every run started in the
 * async scope where {@link instrumentLangChain} was called.
 */
import { getContextVariable, registerConfigureHook, setContextVariable } from "@langchain/core/context";
import { isTracegradTracer, TracegradTracer, type TracegradTracerOptions } from "./tracer.js";

/** Options of {@link instrumentLangChain}. */
export type InstrumentLangChainOptions = TracegradTracerOptions;

/** The LangChain context variable holding the handler. */
const HANDLER_VAR = "tracegrad";
/** Set once the configure hook is registered in a scope; the hook list itself is private to @langchain/core. */
const HOOK_VAR = "tracegrad:hook";

/**
 * Makes every LangChain run in this async scope record tracegrad spans — `agent.invoke()`, a bare `model.invoke()`,
 * LCEL chains — with no `callbacks` passed. Spans are only collected inside trace() (unless `tracer` is given), so
 * the cost outside a trace is LangChain's own run bookkeeping.
 *
 * Scope: LangChain keeps hooks and the handler in its AsyncLocalStorage via `enterWith`, so this applies from the call
 * on, to the rest of the current async scope and everything it starts. Call it at program start (before the agent
 * runs), or inside the async function you trace. Note that an async function runs synchronously in its caller's
 * scope until its first `await`: called there, the handler stays installed in the caller after the function returns.
 * That is harmless (spans are only made inside trace()); to confine it, call it after an `await`. It is per copy of
 * @langchain/core: if your app bundles another copy, pass {@link tracegradCallbacks} explicitly instead. trace()
 * notices the symptom — the run returned LangChain objects but recorded no LangChain call — and warns (`onWarning`,
 * `graph.warnings`), since the hook on the other copy records nothing and raises nothing.
 *
 * Idempotent: calling it again in the same scope returns the installed handler (unless new options are given, which
 * install a new handler in its place). Undo it with {@link uninstrumentLangChain}.
 *
 * @example
 * instrumentLangChain();
 * const { output, graph } = await trace(() => agent.invoke({ messages: [{ role: "user", content: "Hi" }] }));
 */
export function instrumentLangChain(options: InstrumentLangChainOptions = {}): TracegradTracer {
  const installed: unknown = getContextVariable(HANDLER_VAR);
  if (isTracegradTracer(installed) && options.onError === undefined && options.tracer === undefined) return installed;
  if (getContextVariable(HOOK_VAR) !== true) {
    registerConfigureHook({ contextVar: HANDLER_VAR, inheritable: true });
    setContextVariable(HOOK_VAR, true);
  }
  const handler = new TracegradTracer(options);
  setContextVariable(HANDLER_VAR, handler);
  return handler;
}

/**
 * Stops {@link instrumentLangChain}'s capture for the rest of this async scope (the hook stays registered and finds
 * no handler).
 *
 * @example
 * instrumentLangChain();
 * await agent.invoke(input); // captured inside trace()
 * uninstrumentLangChain();
 */
export function uninstrumentLangChain(): void {
  setContextVariable(HANDLER_VAR, undefined);
}

/**
 * @module adapters/langchain/callbacks
 * Per-call capture: a handler to pass in a runnable's `callbacks`.
 */
import { TracegradTracer, type TracegradTracerOptions } from "./tracer.js";

/** Options of {@link tracegradCallbacks}. */
export type TracegradCallbacksOptions = TracegradTracerOptions;

/**
 * A callback handler that records the runs of one call (and everything it calls) as tracegrad spans. Spans are only
 * collected inside trace() unless you pass your own `tracer`. Use it when {@link instrumentLangChain} cannot reach the
 * code (for example when the app bundles its own copy of @langchain/core).
 *
 * @example
 * const { output, graph } = await trace(() => chain.invoke({ question }, { callbacks: [tracegradCallbacks()] }));
 */
export function tracegradCallbacks(options: TracegradCallbacksOptions = {}): TracegradTracer {
  return new TracegradTracer(options);
}

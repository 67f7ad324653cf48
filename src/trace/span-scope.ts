/**
 * @module trace/span-scope
 * The innermost span tracegrad itself started (a module, an LLM call through tracedEngine, or the run), kept in the
 * OTel context beside the active span. The active span may be a third-party one nested inside ours; a `param()` read
 * must still be recorded on the tracegrad call it happened in, so that call is looked up here, not via the active span.
 */
import { createContextKey, type Context, type Span } from "@opentelemetry/api";
import type { FaultSink } from "./fault-sink.js";

/** One tracegrad span in the context, with the parameter ids already recorded on it. */
export interface SpanScope {
  readonly span: Span;
  /** Where the span's faults go: the run's capture for every span trace() and its wrappers start. */
  readonly sink: FaultSink;
  /** Ids in the span's `tracegrad.param.ids`, in order (appended to as reads are recorded). */
  readonly paramIds: string[];
}

const SCOPE = createContextKey("tracegrad.span-scope");

/** `ctx` with `scope` as its innermost tracegrad span. */
export function withSpanScope(ctx: Context, scope: SpanScope): Context {
  return ctx.setValue(SCOPE, scope);
}

/** The innermost tracegrad span in `ctx`, if any. */
export function activeSpanScope(ctx: Context): SpanScope | undefined {
  return ctx.getValue(SCOPE) as SpanScope | undefined;
}

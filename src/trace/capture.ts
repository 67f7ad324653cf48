/**
 * @module trace/capture
 * Where captured spans go. A capture is an object placed in the OTel context by trace(); a span processor sees which
 * capture was active when each span started and hands the ended span to it. So concurrent trace() calls never mix
 * their spans, spans nest under the user's own active spans, and third-party instrumentations are captured too when
 * the user passes their own tracer to trace() and adds {@link tracegradSpanProcessor} to its provider.
 */
import { context, createContextKey, type Context, type Tracer } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { Variable } from "../core/variable.js";
import { ValueRegistry } from "./value-registry.js";

/** Receives internal faults of the instrumentation. Tracing never throws into the traced code. */
export type ErrorHook = (error: unknown, where: string) => void;

/** What the traced run should replay instead of computing: outputs keyed by module (or model) name and call index. */
export interface ReplayPlan {
  /**
   * For a call of `name` number `index` (0-based, per name): `{ output }` to return that value without running the
   * call, or undefined to run it for real.
   */
  lookup(name: string, index: number): ReplayedCall | undefined;
}

/** What a replay plan returns for a call it replaces. */
export interface ReplayedCall {
  readonly output: unknown;
  /**
   * Calls the original made inside this one, counted per name. They will not happen now, so their call indexes are
   * skipped: a later call of the same name must keep the index it had, or the plan would hand it someone else's output.
   */
  readonly nested?: Readonly<Record<string, number>>;
}

/** The state of one trace() run. */
export interface Capture {
  /** Ended spans, in end order. */
  readonly spans: ReadableSpan[];
  /** Parameters used in the run, by id (so the graph can hand back the user's own Variables). */
  readonly params: Map<string, Variable>;
  /** Next call index per module name. */
  readonly callCounts: Map<string, number>;
  readonly replay: ReplayPlan | undefined;
  readonly onError: ErrorHook;
  /** Which traced call produced which value (for `tracegrad.input.refs`). */
  readonly values: ValueRegistry;
  /** The live values traced calls returned, by span id (so a replay can hand back objects, not just their text). */
  readonly outputs: Map<string, unknown>;
  /** The tracer tracegrad's own spans use in this run: a private one, or the one the user passed to trace(). */
  readonly tracer: Tracer;
  /**
   * Spans started by trace(), traceModule and tracedEngine themselves; any other captured span came from an
   * instrumentation (LangChain's handler, a third-party one). Tells a run whose LangChain calls went unrecorded apart.
   */
  readonly ownSpans: WeakSet<object>;
}

const CAPTURE = createContextKey("tracegrad.capture");

/**
 * Creates an empty capture whose spans are made by `tracer` (trace() passes a private tracer or the user's own).
 *
 * @example
 * const capture = createCapture({ tracer: createPrivateTracer(), onError: console.warn });
 */
export function createCapture(options: { tracer: Tracer; replay?: ReplayPlan; onError?: ErrorHook }): Capture {
  return {
    spans: [],
    params: new Map(),
    callCounts: new Map(),
    replay: options.replay,
    onError: options.onError ?? (() => {}),
    values: new ValueRegistry(),
    outputs: new Map(),
    tracer: options.tracer,
    ownSpans: new WeakSet(),
  };
}

/** The capture active in the current async context, if any. */
export function activeCapture(ctx: Context = context.active()): Capture | undefined {
  return ctx.getValue(CAPTURE) as Capture | undefined;
}

/**
 * Runs `fn` with `capture` active (nested under whatever span is active now). Needs a working context manager
 * (see ensureContextManager, which trace() calls).
 */
export function withCapture<T>(capture: Capture, fn: () => T): T {
  return context.with(context.active().setValue(CAPTURE, capture), fn);
}

/** Advances call indexes past the calls a replayed call would have made inside itself. */
export function skipNestedCalls(capture: Capture, nested: Readonly<Record<string, number>> | undefined): void {
  for (const [name, count] of Object.entries(nested ?? {})) capture.callCounts.set(name, (capture.callCounts.get(name) ?? 0) + count);
}

/** Takes the next call index of `name` in `capture`. */
export function nextCallIndex(capture: Capture, name: string): number {
  const i = capture.callCounts.get(name) ?? 0;
  capture.callCounts.set(name, i + 1);
  return i;
}

class CaptureRouter implements SpanProcessor {
  readonly #owners = new WeakMap<object, Capture>();

  onStart(span: Span, parentContext: Context): void {
    try {
      const capture = activeCapture(parentContext);
      if (capture) this.#owners.set(span, capture);
    } catch {
      // a processor must never throw into the span's creator
    }
  }

  onEnd(span: ReadableSpan): void {
    const capture = this.#owners.get(span);
    if (!capture) return;
    try {
      capture.spans.push(span);
    } catch (error) {
      capture.onError(error, "span processor");
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A span processor for your own TracerProvider: with `trace(fn, { tracer })` taken from that provider, every span
 * started inside the run — yours, tracegrad's and third-party instrumentations' — is also captured for the graph.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [myExporterProcessor, tracegradSpanProcessor()] });
 * const run = await trace(() => agent(question), { tracer: provider.getTracer("my-app") });
 */
export function tracegradSpanProcessor(): SpanProcessor {
  return new CaptureRouter();
}

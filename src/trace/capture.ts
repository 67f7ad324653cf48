/**
 * @module trace/capture
 * Where captured spans go. A capture is an object placed in the OTel context by trace(); a span processor sees which
 * capture was active when each span started and hands the ended span to it. So concurrent trace() calls never mix
 * their spans, spans nest under the user's own active spans, and third-party instrumentations are captured too when
 * the user adds {@link tracegradSpanProcessor} to their provider (tee mode).
 */
import { context, createContextKey, ROOT_CONTEXT, trace as otelTrace, type Context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AlwaysOnSampler, TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";
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
  /** The tracer tracegrad's own spans use in this run: the private one, or the global one in tee mode. */
  readonly tracer: Tracer | undefined;
}

const CAPTURE = createContextKey("tracegrad.capture");

/** Creates an empty capture. */
export function createCapture(options: { replay?: ReplayPlan; onError?: ErrorHook; tracer?: Tracer } = {}): Capture {
  return {
    spans: [],
    params: new Map(),
    callCounts: new Map(),
    replay: options.replay,
    onError: options.onError ?? (() => {}),
    values: new ValueRegistry(),
    outputs: new Map(),
    tracer: options.tracer,
  };
}

/** The tracer for tracegrad's own spans in `capture` (the private one unless the run chose another, e.g. tee mode). */
export function tracerOf(capture: Capture): Tracer {
  return capture.tracer ?? privateTracerFor();
}

/** The capture active in the current async context, if any. */
export function activeCapture(ctx: Context = context.active()): Capture | undefined {
  return ctx.getValue(CAPTURE) as Capture | undefined;
}

/** Runs `fn` with `capture` active (nested under whatever span is active now). */
export function withCapture<T>(capture: Capture, fn: () => T): T {
  ensureContextManager();
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
 * A span processor for your own TracerProvider (tee mode): every span started inside trace() — yours, tracegrad's and
 * third-party instrumentations' — is also captured for the graph.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [myExporterProcessor, tracegradSpanProcessor()] });
 */
export function tracegradSpanProcessor(): SpanProcessor {
  return new CaptureRouter();
}

let privateTracer: Tracer | undefined;

/**
 * tracegrad's own tracer: a private TracerProvider (never registered globally) that records every span (our spans are
 * not subject to the user's sampling) and routes them to the active capture.
 */
function privateTracerFor(): Tracer {
  if (!privateTracer) {
    ensureContextManager();
    const provider = new TracerProvider({
      sampler: new AlwaysOnSampler(),
      spanProcessors: [new CaptureRouter()],
      spanLimits: { attributeCountLimit: 1024, linkCountLimit: 1024 },
    });
    privateTracer = provider.getTracer("tracegrad", "0.1.0");
  }
  return privateTracer;
}

/** The tracer from the global API, for tee mode (spans then go through the user's provider and processors). */
export function globalTracer(): Tracer {
  return otelTrace.getTracer("tracegrad", "0.1.0");
}

const PROBE = createContextKey("tracegrad.probe");

/** Installs an AsyncLocalStorage context manager only when none is working (the user's setup always wins). */
function ensureContextManager(): void {
  const works = context.with(ROOT_CONTEXT.setValue(PROBE, 1), () => context.active().getValue(PROBE) === 1);
  if (!works) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

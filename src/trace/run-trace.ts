/**
 * @module trace/run-trace
 * trace(): runs an agent once under a `tracegrad.run` root span with a fresh capture, then rebuilds the run's graph.
 * Concurrent runs each get their own capture (spans are routed by the context they started in), and the root nests
 * under whatever span the caller has active, so tracegrad's spans sit inside the user's own traces.
 */
import { SpanKind, type Span } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { Variable } from "../core/variable.js";
import { TraceCaptureError } from "../errors.js";
import { OI, RUN_SPAN_NAME, TG } from "./attributes.js";
import { buildGraph } from "./build-graph.js";
import { createCapture, globalTracer, tracerOf, withCapture, type Capture, type ErrorHook, type ReplayPlan } from "./capture.js";
import type { TraceGraph } from "./module-call.js";
import { safeText } from "./safe-text.js";
import { endSpan, guard, reportFault, writeError, writeOutput } from "./span-writer.js";
import { preciseNow } from "./clock.js";

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Receives tracegrad's internal faults (never thrown into the agent). */
  readonly onError?: ErrorHook;
  /** Outputs to replay instead of computing them (see traceModule). */
  readonly replay?: ReplayPlan;
  /**
   * Tee mode: create spans with the global tracer, so they also go through your provider's processors and exporters.
   * Your provider must include `tracegradSpanProcessor()`; then third-party spans started inside the run are captured too.
   */
  readonly tee?: boolean;
  /** Receives graph-building warnings as they are found (they are also on `graph.warnings`). */
  readonly onWarning?: (warning: string) => void;
  /**
   * Called when the agent throws, with the spans captured so far, just before trace() rethrows the agent's error
   * unchanged (the error object itself is never modified).
   */
  readonly onAgentError?: (error: unknown, spans: readonly ReadableSpan[]) => void;
}

/** One traced run. */
export interface TraceRun<T> {
  /** What the agent returned — the very same value an untraced call returns. */
  readonly output: T;
  /** Every span captured in the run, in end order (the root `tracegrad.run` span last). */
  readonly spans: readonly ReadableSpan[];
  /** The run's computation graph. */
  readonly graph: TraceGraph;
  /** The parameters the run used, by id (the user's own Variables). */
  readonly params: ReadonlyMap<string, Variable>;
  /** The live values traced calls returned, by span id (what a replay should hand back). */
  readonly values: ReadonlyMap<string, unknown>;
  /** Trace id of the run's spans. */
  readonly traceId: string;
  /** Runs the same agent again with these options overriding the original ones (e.g. a replay plan). */
  rerun(overrides?: TraceOptions): Promise<TraceRun<T>>;
}

/**
 * Runs `fn` once, traced, and returns its output with the captured spans and the rebuilt graph.
 * If `fn` throws (or rejects), the same error is rethrown after `onAgentError` has seen the spans.
 *
 * @example
 * const run = await trace(() => agent(question));
 * console.log(run.output, run.graph.nodes.length, run.spans.length);
 */
export async function trace<T>(fn: () => T | PromiseLike<T>, options: TraceOptions = {}): Promise<TraceRun<Awaited<T>>> {
  const capture = createCapture({ replay: options.replay, onError: options.onError, tracer: options.tee ? globalTracer() : undefined });
  let rootSpan: Span | undefined;
  let output: Awaited<T>;
  try {
    output = await withCapture(capture, () => runRoot(capture, fn, options, (s) => (rootSpan = s)));
  } catch (error) {
    guard(capture, "onAgentError hook", () => options.onAgentError?.(error, [...capture.spans]));
    throw error;
  }
  const spans = [...capture.spans];
  const graph = guard(capture, "build graph", () => buildGraph(spans, graphOptions(capture, options))) ?? fallbackGraph(output, capture);
  const traceId = guard(capture, "root span", () => rootSpan?.spanContext().traceId) ?? "";
  return {
    output,
    spans,
    graph,
    params: capture.params,
    values: capture.outputs,
    traceId,
    rerun: (overrides = {}) => trace(fn, { ...options, ...overrides }),
  };
}

function runRoot<T>(capture: Capture, fn: () => T | PromiseLike<T>, options: TraceOptions, onRoot: (span: Span) => void): Promise<Awaited<T>> {
  let entered = false;
  try {
    return tracerOf(capture).startActiveSpan(RUN_SPAN_NAME, { startTime: preciseNow(), kind: SpanKind.INTERNAL, attributes: { [TG.kind]: "run", [OI.spanKind]: "CHAIN" } }, async (span): Promise<Awaited<T>> => {
      entered = true;
      onRoot(span);
      if (options.tee && !guard(capture, "tee mode", () => span.isRecording(), true)) {
        reportFault(
          capture,
          new TraceCaptureError(`trace({ tee: true }): the global tracer did not record the run — register a TracerProvider whose spanProcessors include tracegradSpanProcessor(), or drop tee.`),
          "tee mode",
        );
      }
      let out: Awaited<T>;
      try {
        out = await fn();
      } catch (error) {
        writeError(span, error, capture);
        endSpan(span, capture);
        throw error;
      }
      guard(capture, "run output", () => {
        writeOutput(span, out, capture, "run output");
        capture.outputs.set(span.spanContext().spanId, out);
      });
      endSpan(span, capture);
      return out;
    });
  } catch (error) {
    if (entered) throw error;
    reportFault(capture, error, "run span start");
    return Promise.resolve().then(fn) as Promise<Awaited<T>>;
  }
}

function graphOptions(capture: Capture, options: TraceOptions): { params: ReadonlyMap<string, Variable>; onWarning?: (w: string) => void } {
  const onWarning = options.onWarning;
  if (!onWarning) return { params: capture.params };
  return { params: capture.params, onWarning: (w) => guard(capture, "onWarning hook", () => onWarning(w)) };
}

/** A graph with only the output, for when building the real one failed (the fault went to onError). */
function fallbackGraph(output: unknown, capture: Capture): TraceGraph {
  const out = new Variable(safeText(output).text, { role: "final output of the agent", requiresGrad: true, id: "output" });
  return {
    nodes: [{ id: "output", kind: "output", name: "output", value: out.value }],
    edges: [],
    output: out,
    parameters: [...capture.params.values()],
    variables: new Map([["output", out]]),
    calls: [],
    warnings: ["the graph could not be built (see onError); it holds only the output"],
  };
}

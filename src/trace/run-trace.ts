/**
 * @module trace/run-trace
 * trace(): runs an agent once under a `tracegrad.run` root span with a fresh capture, then rebuilds the run's graph.
 * Concurrent runs each get their own capture (spans are routed by the context they started in), and the root nests
 * under whatever span the caller has active, so tracegrad's spans sit inside the user's own traces.
 */
import { SpanKind, type Span, type Tracer } from "@opentelemetry/api";
import { Variable } from "../core/variable.js";
import { InvalidArgumentError, TraceCaptureError } from "../errors.js";
import { DEFAULT_OUTPUT_ROLE } from "../prompts/default-roles.js";
import { OI, RUN_SPAN_NAME, TG } from "./attributes.js";
import { buildGraph, type BuildGraphOptions } from "./build-graph.js";
import { createCapture, withCapture, type Capture, type ErrorHook, type ReplayPlan } from "./capture.js";
import { ensureContextManager } from "./context-manager.js";
import { guard, reportFault } from "./fault-sink.js";
import type { TraceGraph } from "./module-call.js";
import { createPrivateTracer } from "./private-tracer.js";
import { recordSpan } from "./record-span.js";
import { safeText, type SafeText } from "./safe-text.js";
import type { SpanLike } from "./span-like.js";
import { writeOutput } from "./span-writer.js";

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Receives tracegrad's internal faults (never thrown into the agent). */
  readonly onError?: ErrorHook;
  /** Outputs to replay instead of computing them (see traceModule). */
  readonly replay?: ReplayPlan;
  /**
   * The tracer for tracegrad's spans. Default: a private one, never registered globally, that records every span of
   * the run and nothing else. Pass a tracer of your own provider (e.g. `trace.getTracer("my-app")` once a global
   * provider is registered) and tracegrad's spans also go through your processors and exporters; that provider must
   * include `tracegradSpanProcessor()`, which then captures third-party spans started inside the run too.
   */
  readonly tracer?: Tracer;
  /** Receives graph-building warnings as they are found (they are also on `graph.warnings`). */
  readonly onWarning?: (warning: string) => void;
  /**
   * Called when the agent throws, with the spans captured so far, just before trace() rethrows the agent's error
   * unchanged (the error object itself is never modified).
   */
  readonly onAgentError?: (error: unknown, spans: readonly SpanLike[]) => void;
}

/** One traced run. */
export interface TraceRun<T> {
  /** What the agent returned — the very same value an untraced call returns. */
  readonly output: T;
  /** Every span captured in the run, in end order (the root `tracegrad.run` span last). */
  readonly spans: readonly SpanLike[];
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
 * Context: spans are routed by the OTel context they start in. When no working context manager is registered,
 * the first trace() installs an AsyncLocalStorage one globally (your own setup, e.g. a NodeSDK, always wins).
 *
 * @example
 * const run = await trace(() => agent(question));
 * console.log(run.output, run.graph.nodes.length, run.spans.length);
 */
export async function trace<T>(fn: () => T | PromiseLike<T>, options: TraceOptions = {}): Promise<TraceRun<Awaited<T>>> {
  rejectRetiredOptions(options);
  const capture = createCapture({ replay: options.replay, onError: options.onError, tracer: options.tracer ?? createPrivateTracer() });
  guard(capture, "context manager", ensureContextManager);
  let root: Span | undefined;
  let written: SafeText | undefined;
  let output: Awaited<T>;
  try {
    output = await withCapture(capture, () =>
      recordSpan({
        tracer: capture.tracer,
        name: RUN_SPAN_NAME,
        kind: SpanKind.INTERNAL,
        attributes: { [TG.kind]: "run", [OI.spanKind]: "CHAIN" },
        sink: capture,
        where: "run",
        // always a native promise, so the root span ends when the agent's result (or thenable) settles
        fn: async () => await fn(),
        onStart: (span) => (root = span),
        onValue: (span, value) => {
          written = writeOutput(span, value, capture, "run output");
          capture.outputs.set(span.spanContext().spanId, value);
        },
      }),
    );
  } catch (error) {
    checkCaptured(capture, options);
    guard(capture, "onAgentError hook", () => options.onAgentError?.(error, [...capture.spans]));
    throw error;
  }
  checkCaptured(capture, options);
  const spans: readonly SpanLike[] = [...capture.spans];
  const live = guard(capture, "run output", () => liveText(output, written));
  const graph = guard(capture, "build graph", () => buildGraph(spans, graphOptions(capture, options, live))) ?? fallbackGraph(live ?? safeText(output).text, capture);
  const traceId = guard(capture, "root span", () => root?.spanContext().traceId) ?? "";
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

/** With the user's tracer, a provider without tracegradSpanProcessor() hands us nothing: say how to fix it. */
function checkCaptured(capture: Capture, options: TraceOptions): void {
  if (options.tracer === undefined || capture.spans.length > 0) return;
  reportFault(
    capture,
    new TraceCaptureError(
      `trace({ tracer }): the tracer's provider recorded none of the run's spans — add tracegradSpanProcessor() to the spanProcessors of the TracerProvider the tracer comes from, or omit tracer to use tracegrad's private one.`,
    ),
    "tracer",
  );
}

/**
 * The full text of the live output when the span holds less (an attribute is capped, the loss must judge the real
 * value); undefined when the recorded text is already all of it.
 */
function liveText(output: unknown, written: SafeText | undefined): string | undefined {
  if (written === undefined || !written.truncated) return undefined;
  return typeof output === "string" ? output : safeText(output, { maxChars: Number.POSITIVE_INFINITY }).text;
}

function graphOptions(capture: Capture, options: TraceOptions, output: string | undefined): BuildGraphOptions {
  const onWarning = options.onWarning;
  return {
    params: capture.params,
    ...(output !== undefined ? { output } : {}),
    ...(onWarning ? { onWarning: (w: string) => guard(capture, "onWarning hook", () => onWarning(w)) } : {}),
  };
}

/** A graph with only the output, for when building the real one failed (the fault went to onError). */
function fallbackGraph(outputText: string, capture: Capture): TraceGraph {
  const out = new Variable(outputText, { role: DEFAULT_OUTPUT_ROLE, requiresGrad: true, id: "output" });
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

/** `tee: true` was replaced by `tracer`; silently ignoring it would send the spans somewhere the caller did not ask for. */
function rejectRetiredOptions(options: TraceOptions): void {
  if (options !== null && typeof options === "object" && "tee" in options) {
    throw new InvalidArgumentError(
      'trace(fn, { tee }) was replaced by trace(fn, { tracer }): add tracegradSpanProcessor() to your TracerProvider and pass { tracer: provider.getTracer("my-app") }.',
      { subject: "tee" },
    );
  }
}

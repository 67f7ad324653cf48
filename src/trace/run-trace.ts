/**
 * @module trace/run-trace
 * trace(): runs an agent once under a `tracegrad.run` root span with a fresh capture, then rebuilds the run's graph.
 * Concurrent runs each get their own capture (spans are routed by the context they started in), and the root nests
 * under whatever span the caller has active, so tracegrad's spans sit inside the user's own traces.
 */
import { randomUUID } from "node:crypto";
import { SpanKind, type Span, type Tracer } from "@opentelemetry/api";
import { Variable } from "../core/variable.js";
import { InvalidArgumentError, TraceCaptureError } from "../errors.js";
import { DEFAULT_OUTPUT_ROLE } from "../prompts/default-roles.js";
import { OI, RUN_SPAN_NAME, TG } from "./attributes.js";
import { buildGraph, type BuildGraphOptions } from "./build-graph.js";
import { createCapture, withCapture, type Capture, type ErrorHook, type ReplayPlan } from "./capture.js";
import { ensureContextManager } from "./context-manager.js";
import { guard, reportFault } from "./fault-sink.js";
import { missingLangChainWarning } from "./missing-langchain-spans.js";
import type { TraceGraph } from "./module-call.js";
import { createPrivateTracer } from "./private-tracer.js";
import { recordSpan } from "./record-span.js";
import { safeText, type SafeText } from "./safe-text.js";
import { selectOutput } from "./select-output.js";
import type { SpanLike } from "./span-like.js";
import { writeOutput } from "./span-writer.js";

/**
 * What the traced function is called with: who this run is. A checkpointed agent uses `runId` as its thread id, so
 * every run — a `rerun()` too — starts from a fresh thread instead of appending to the previous run's conversation.
 */
export interface RunContext {
  /** Unique per run, a `rerun()` included (a random UUID). */
  readonly runId: string;
  /** 0 for the first run; counts up across `rerun()`s of the same original run (a rerun of a rerun is 2). */
  readonly attempt: number;
}

/** Options of {@link trace}; `T` is what the agent returns. */
export interface TraceOptions<T = unknown> {
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
  /**
   * Picks the run's output text from what the agent returned, e.g. `(state) => state.messages.at(-1).content` for a
   * LangGraph agent: it becomes `graph.output.value`, which a loss judges. `run.output` stays the untouched return
   * value. A selector that throws or returns a non-string is reported to `onError` and the default output is used.
   */
  output?(result: T): string;
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
  /** The id the traced function got in its {@link RunContext}: unique per run. */
  readonly runId: string;
  /** 0 for the first run, then 1, 2 … for each `rerun()` down the chain. */
  readonly attempt: number;
  /**
   * Runs the same agent again with these options overriding the original ones (e.g. a replay plan), with a new
   * `runId` and `attempt + 1`.
   */
  rerun(overrides?: TraceOptions<T>): Promise<TraceRun<T>>;
}

/**
 * Runs `fn` once, traced, and returns its output with the captured spans and the rebuilt graph.
 * If `fn` throws (or rejects), the same error is rethrown after `onAgentError` has seen the spans.
 *
 * Context: spans are routed by the OTel context they start in. When no working context manager is registered,
 * the first trace() installs an AsyncLocalStorage one globally (your own setup, e.g. a NodeSDK, always wins).
 *
 * `fn` gets a {@link RunContext}: give a checkpointed agent `ctx.runId` as its thread id so that a `rerun()` does not
 * continue the first run's conversation.
 *
 * @example
 * const run = await trace(() => agent(question));
 * console.log(run.output, run.graph.nodes.length, run.spans.length);
 *
 * @example
 * // a LangGraph agent with a checkpointer: a fresh thread per run, and its last message as the output
 * const run = await trace((ctx) => agent.invoke({ messages: [question] }, { configurable: { thread_id: ctx.runId } }), {
 *   output: (state) => String(state.messages.at(-1)?.content),
 * });
 */
export function trace<T>(fn: (ctx: RunContext) => T | PromiseLike<T>, options: TraceOptions<Awaited<T>> = {}): Promise<TraceRun<Awaited<T>>> {
  return runTrace(fn, options, 0);
}

async function runTrace<T>(fn: (ctx: RunContext) => T | PromiseLike<T>, options: TraceOptions<Awaited<T>>, attempt: number): Promise<TraceRun<Awaited<T>>> {
  rejectRetiredOptions(options);
  const ctx: RunContext = Object.freeze({ runId: randomUUID(), attempt });
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
        fn: async () => await fn(ctx),
        onStart: (span) => {
          root = span;
          capture.ownSpans.add(span);
        },
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
  const select = options.output === undefined ? undefined : (result: Awaited<T>) => options.output!(result);
  const live = selectOutput(output, select, capture) ?? guard(capture, "run output", () => liveText(output, written));
  const built = guard(capture, "build graph", () => buildGraph(spans, graphOptions(capture, options, live))) ?? fallbackGraph(live ?? safeText(output).text, capture);
  const graph = withRunWarnings(built, output, capture, options);
  const traceId = guard(capture, "root span", () => root?.spanContext().traceId) ?? "";
  return {
    output,
    spans,
    graph,
    params: capture.params,
    values: capture.outputs,
    traceId,
    runId: ctx.runId,
    attempt,
    rerun: (overrides = {}) => runTrace(fn, { ...options, ...overrides }, attempt + 1),
  };
}

/** The graph with the run-level warnings (found from the run's output, which the graph builder never sees) added. */
function withRunWarnings(graph: TraceGraph, output: unknown, capture: Capture, options: TraceOptions<never>): TraceGraph {
  const warning = guard(capture, "LangChain check", () => missingLangChainWarning(output, capture.spans, capture.ownSpans));
  if (warning === undefined) return graph;
  const onWarning = options.onWarning;
  if (onWarning) guard(capture, "onWarning hook", () => onWarning(warning));
  return { ...graph, warnings: [...graph.warnings, warning] };
}

/** With the user's tracer, a provider without tracegradSpanProcessor() hands us nothing: say how to fix it. */
function checkCaptured(capture: Capture, options: TraceOptions<never>): void {
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

function graphOptions(capture: Capture, options: TraceOptions<never>, output: string | undefined): BuildGraphOptions {
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

/**
 * Option mistakes found before the agent runs. `tee: true` was replaced by `tracer`; silently ignoring it would send
 * the spans somewhere the caller did not ask for.
 */
function rejectRetiredOptions(options: TraceOptions<never>): void {
  if (options !== null && typeof options === "object" && "tee" in options) {
    throw new InvalidArgumentError(
      'trace(fn, { tee }) was replaced by trace(fn, { tracer }): add tracegradSpanProcessor() to your TracerProvider and pass { tracer: provider.getTracer("my-app") }.',
      { subject: "tee" },
    );
  }
  if (options?.output !== undefined && typeof options.output !== "function") {
    throw new InvalidArgumentError(
      `trace(fn, { output }) takes a function of the agent's result returning the output text, e.g. { output: (state) => String(state.messages.at(-1)?.content) } (got a ${typeof options.output}).`,
      { subject: "output" },
    );
  }
}

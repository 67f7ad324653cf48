/**
 * @module trace/record-span
 * The one span lifecycle behind traceModule, tracedEngine and trace()'s root span, so "tracing never breaks the
 * host" is written once: a span that fails to start leaves the call untraced, the call's own errors are rethrown as
 * the very same object, a native Promise result is handed back itself (and the span ends when it settles), and
 * nothing done to look at a result may run the agent's code or throw into it.
 */
import { context, trace as otelTrace, type Attributes, type Context, type Span, type SpanKind, type Tracer } from "@opentelemetry/api";
import { types } from "node:util";
import { preciseNow } from "./clock.js";
import { guard, reportFault, type FaultSink } from "./fault-sink.js";
import { TG } from "./attributes.js";
import { withSpanScope, type SpanScope } from "./span-scope.js";
import { endSpan, writeError } from "./span-writer.js";

// Captured at load: the agent may redefine `then` on the very promise it returns (or on Promise.prototype later);
// the intrinsic attaches our handlers without calling any of that.
const promiseThen = Promise.prototype.then;

/** What {@link recordSpan} needs to trace one call. */
export interface RecordSpanOptions<T> {
  readonly tracer: Tracer;
  /** Span name. */
  readonly name: string;
  readonly kind?: SpanKind;
  /** Start attributes (given at start, so samplers see them). */
  readonly attributes?: Attributes;
  /** Where faults of the tracing go (never to the caller). */
  readonly sink: FaultSink;
  /** The call in fault reports, e.g. `module "planner"` (faults are reported as `${where} span start` etc.). */
  readonly where: string;
  /** The traced call. It runs with the new span active, exactly once — untraced when the span cannot start. */
  readonly fn: () => T;
  /**
   * Sees the span once it started, before `fn` runs (its faults are reported), with its scope: the parameter ids
   * recorded on it so far, which `param()` reads during the call append to.
   */
  readonly onStart?: (span: Span, scope: SpanScope) => void;
  /** Records what the call produced: its return value, or the value its native Promise fulfilled with. */
  readonly onValue?: (span: Span, value: unknown) => void;
  /** Told when the call returned a native Promise. */
  readonly onPromise?: () => void;
}

/**
 * Runs `options.fn` inside a new active span and returns exactly what it returns (the same object, the same
 * Promise) or throws exactly what it throws; the span records the outcome and ends when the call is done.
 *
 * Only native Promises are followed (detected with `util.types.isPromise`, which runs no user code, and followed with
 * the intrinsic `then`); anything else — thenables, Proxies — is a plain value: calling a thenable's `then` a second
 * time could run its work twice.
 *
 * @example
 * return recordSpan({ tracer: capture.tracer, name: "planner", sink: capture, where: 'module "planner"',
 *   fn: () => plan(question), onValue: (span, value) => writeOutput(span, value, capture) });
 */
export function recordSpan<T>(options: RecordSpanOptions<T>): T {
  const { sink, where } = options;
  let span: Span;
  let scope: SpanScope;
  let active: Context;
  try {
    span = options.tracer.startSpan(options.name, { startTime: preciseNow(), kind: options.kind, attributes: options.attributes });
  } catch (error) {
    reportFault(sink, error, `${where} span start`);
    return options.fn();
  }
  try {
    // the span also becomes the innermost tracegrad span, where param() reads inside the call are recorded
    scope = { span, sink, paramIds: initialParamIds(options.attributes) };
    active = withSpanScope(otelTrace.setSpan(context.active(), span), scope);
  } catch (error) {
    reportFault(sink, error, `${where} span start`);
    endSpan(span, sink);
    return options.fn();
  }
  if (options.onStart) {
    const onStart = options.onStart;
    guard(sink, `${where} start`, () => onStart(span, scope));
  }
  let entered = false;
  let result: T;
  try {
    result = context.with(active, () => {
      entered = true;
      return options.fn();
    });
  } catch (error) {
    if (!entered) {
      // the context manager failed before the call ran: run it untraced
      reportFault(sink, error, `${where} span start`);
      endSpan(span, sink);
      return options.fn();
    }
    writeError(span, error, sink);
    endSpan(span, sink);
    throw error;
  }
  if (types.isPromise(result)) follow(options, span, result);
  else finish(options, span, result);
  return result;
}

/** Ends the span when `promise` settles; the caller keeps the promise itself. */
function follow(options: RecordSpanOptions<unknown>, span: Span, promise: Promise<unknown>): void {
  const { sink, where } = options;
  if (options.onPromise) guard(sink, `${where} output`, options.onPromise);
  try {
    // Registered before the caller can await, so the span ends before the caller resumes. The derived promise
    // always fulfills (both handlers catch their own faults), so no unhandled rejection is added.
    promiseThen.call(
      promise,
      (value) => finish(options, span, value),
      (error) => {
        writeError(span, error, sink);
        endSpan(span, sink);
      },
    );
  } catch (error) {
    // e.g. a `constructor` getter on the promise that throws: the intrinsic then reads it
    reportFault(sink, error, `${where} output`);
    endSpan(span, sink);
  }
}

function finish(options: RecordSpanOptions<unknown>, span: Span, value: unknown): void {
  if (options.onValue) {
    const onValue = options.onValue;
    guard(options.sink, `${options.where} output`, () => onValue(span, value));
  }
  endSpan(span, options.sink);
}

/** The parameter ids the span starts with (so a read of an explicitly listed parameter is not recorded twice). */
function initialParamIds(attributes: Attributes | undefined): string[] {
  const ids = attributes?.[TG.paramIds];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

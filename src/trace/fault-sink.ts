/**
 * @module trace/fault-sink
 * Where tracegrad's own faults go. Tracing never throws into the agent: every fault of the instrumentation — a
 * throwing processor, an unserializable value, a truncated text — is handed to a {@link FaultSink} instead, and a
 * sink that throws is silenced too.
 */
import { TraceCaptureError } from "../errors.js";
import type { ErrorHook } from "./capture.js";
import { MAX_ATTRIBUTE_CHARS, safeText, type SafeText } from "./safe-text.js";

/** Where internal faults go: a capture (anything with `onError`), a bare hook, or nowhere. */
export type FaultSink = { readonly onError: ErrorHook } | ErrorHook | undefined;

/** Hands `error` to the sink; a throwing hook is swallowed too (it must not reach the agent either). */
export function reportFault(sink: FaultSink, error: unknown, where: string): void {
  try {
    if (typeof sink === "function") sink(error, where);
    else sink?.onError(error, where);
  } catch {
    // the user's hook failed; nothing sensible is left to tell
  }
}

/**
 * A hook reporting to `own` and also to the capture's hook (once, when they are the same): what adapters that take
 * their own `onError` hand to the writers, so both the user's hook and the trace() run hear of a fault.
 */
export function faultSinkOf(own: ErrorHook | undefined, capture: { readonly onError: ErrorHook } | undefined): ErrorHook {
  if (!capture || capture.onError === own) return (error, where) => reportFault(own, error, where);
  return (error, where) => {
    reportFault(own, error, where);
    reportFault(capture, error, where);
  };
}

/**
 * Runs `fn`; if it throws, reports the fault to `sink` and returns `fallback`.
 *
 * @example
 * const text = guard(capture, `module "planner" input`, () => renderInput(args), "");
 */
export function guard<T>(sink: FaultSink, where: string, fn: () => T): T | undefined;
export function guard<T>(sink: FaultSink, where: string, fn: () => T, fallback: T): T;
export function guard<T>(sink: FaultSink, where: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (error) {
    reportFault(sink, error, where);
    return fallback;
  }
}

/** {@link safeText}, reporting serializer faults, circular references and truncation to `sink` as TraceCaptureErrors. */
export function reportedText(value: unknown, sink: FaultSink, where: string): SafeText {
  const st = safeText(value);
  reportTextFaults(st, sink, where);
  return st;
}

/** True when {@link reportTextFaults} has something to report (checked first, so a clean text builds no `where`). */
export function hasTextFaults(st: SafeText): boolean {
  return st.fault !== undefined || st.circular || st.truncated;
}

/** Reports what {@link reportedText} reports about an already made {@link SafeText} (nothing, for a clean one). */
export function reportTextFaults(st: SafeText, sink: FaultSink, where: string): void {
  if (st.fault !== undefined) {
    const detail = describeFault(st.fault);
    reportFault(sink, new TraceCaptureError(`${where}: the value could not be serialized (${detail}); recorded as "${st.text}".`, { cause: st.fault }), where);
  }
  if (st.circular) reportFault(sink, new TraceCaptureError(`${where}: the value has a circular reference; recorded with "[Circular]" in its place.`), where);
  if (st.truncated) {
    reportFault(sink, new TraceCaptureError(`${where}: ${st.length} chars exceed the ${MAX_ATTRIBUTE_CHARS}-char attribute cap; the attribute is truncated, the hash covers the full text.`), where);
  }
}

/** The fault's message, without running more of the agent's code than needed (its getters may throw as well). */
function describeFault(fault: unknown): string {
  try {
    return fault instanceof Error ? fault.message : String(fault);
  } catch {
    return "an unreadable error";
  }
}

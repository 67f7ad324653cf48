/**
 * @module trace/param-reads
 * Records that the running agent read a `param()`'s text: the parameter joins the run's parameters and the innermost
 * tracegrad call it was read in gets its `tracegrad.param.ids` / `tracegrad.param.<id>.*` attributes, exactly as if
 * it had been listed in `traceModule(…, { params })`. So the graph gets an edge from the prompt to the call that used
 * it without the user declaring it twice.
 */
import { context, createContextKey } from "@opentelemetry/api";
import type { Variable } from "../core/variable.js";
import { TG } from "./attributes.js";
import { activeCapture } from "./capture.js";
import { reportFault } from "./fault-sink.js";
import { paramAttributes, paramIdOf } from "./param-attributes.js";
import { activeSpanScope } from "./span-scope.js";

const NOT_A_USE = createContextKey("tracegrad.param-reads.off");

/**
 * Runs `fn` with `param()` reads not recorded: for code that compares prompts rather than uses them, such as a test
 * double's reply function (a stand-in model that checks `req.system === prompt.value` must not make every call it
 * answers look like a user of that prompt). The result of `fn` is returned as is.
 *
 * @example
 * const engine = new FakeEngine((req) => withoutParamReads(() => (req.system === notesPrompt.value ? "notes" : "answer")));
 */
export function withoutParamReads<T>(fn: () => T): T {
  return context.with(context.active().setValue(NOT_A_USE, true), fn);
}

/**
 * Records a read of `p` in the active trace() run, if any. Outside trace() it only looks up the context. Never
 * throws: a fault goes to the run's `onError`.
 *
 * @example
 * // what param()'s `value` getter does on every read
 * recordParamRead(plannerPrompt);
 */
export function recordParamRead(p: Variable): void {
  let capture;
  try {
    const ctx = context.active();
    capture = activeCapture(ctx);
    if (!capture || ctx.getValue(NOT_A_USE) === true) return;
    const id = paramIdOf(p);
    // explicit beats inferred: a parameter listed under this id (or read earlier) keeps its place
    if (!capture.params.has(id)) capture.params.set(id, p);
    const scope = activeSpanScope(ctx);
    // a span of another run (a trace() nested in this one has its own capture) or one already ended is left alone
    if (!scope || scope.sink !== capture || scope.paramIds.includes(id) || !scope.span.isRecording()) return;
    scope.paramIds.push(id);
    scope.span.setAttributes({ ...paramAttributes([p]), [TG.paramIds]: [...scope.paramIds] });
  } catch (error) {
    reportFault(capture, error, `param "${p.id ?? "?"}" read`);
  }
}

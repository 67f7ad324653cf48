/**
 * @module trace/context-manager
 * trace() routes spans by the OTel context they start in, so it needs a working context manager. The user's own
 * setup (a NodeSDK, a registered provider) always wins: an AsyncLocalStorage manager is installed globally only when
 * a probe shows that none propagates context — the one global effect of tracegrad, and only on first use.
 */
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

const PROBE = createContextKey("tracegrad.probe");

/**
 * Installs an AsyncLocalStorage context manager as the global one when no working manager is installed; otherwise
 * does nothing. trace() calls it; call it yourself before `withCapture` when you build captures by hand.
 *
 * @example
 * ensureContextManager();
 * await withCapture(createCapture({ tracer: createPrivateTracer() }), () => agent(question));
 */
export function ensureContextManager(): void {
  const works = context.with(ROOT_CONTEXT.setValue(PROBE, 1), () => context.active().getValue(PROBE) === 1);
  if (!works) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

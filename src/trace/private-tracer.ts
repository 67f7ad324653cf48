/**
 * @module trace/private-tracer
 * tracegrad's default tracer: a TracerProvider of its own, never registered globally, made for one trace() run.
 * It records every span (tracegrad's spans are not subject to the user's sampling) and routes them to the active
 * capture. Making one costs about 4 µs, so no provider is kept between runs.
 */
import type { Tracer } from "@opentelemetry/api";
import { AlwaysOnSampler, TracerProvider } from "@opentelemetry/sdk-trace";
import { VERSION } from "../version.js";
import { tracegradSpanProcessor } from "./capture.js";

/**
 * A fresh private tracer (what trace() uses unless given `{ tracer }`).
 *
 * @example
 * const capture = createCapture({ tracer: createPrivateTracer() });
 */
export function createPrivateTracer(): Tracer {
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [tracegradSpanProcessor()],
    // a run's spans carry many parameter and message attributes; the SDK's default of 128 would drop some
    spanLimits: { attributeCountLimit: 1024, linkCountLimit: 1024 },
  });
  return provider.getTracer("tracegrad", VERSION);
}

// Own file: it registers a global tracer provider, which can happen once per process (vitest isolates files).
import { describe, expect, it } from "vitest";
import { trace as otelTrace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { tracegradSpanProcessor } from "../../src/trace/capture.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { TraceCaptureError } from "../../src/errors.js";

const lookup = traceModule("lookup", async (q: string) => {
  // a third-party instrumentation's span, from the global API
  return otelTrace.getTracer("third-party-http").startActiveSpan("GET /search", async (span) => {
    span.setAttribute("http.request.method", "GET");
    span.end();
    return `results for ${q}`;
  });
});

describe("tee mode", () => {
  it("reports (never throws) when no provider records the run", async () => {
    const errors: unknown[] = [];
    const run = await trace(() => lookup("x"), { tee: true, onError: (e) => errors.push(e) });
    expect(run.output).toBe("results for x");
    expect(run.spans).toHaveLength(0);
    expect(errors.some((e) => e instanceof TraceCaptureError && /tracegradSpanProcessor/.test(e.message))).toBe(true);
  });

  it("captures our spans and third-party spans through the user's provider", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), tracegradSpanProcessor()] });
    expect(otelTrace.setGlobalTracerProvider(provider)).toBe(true);

    const outside = otelTrace.getTracer("third-party-http").startSpan("unrelated");
    outside.end();
    const run = await trace(() => lookup("otel"), { tee: true });
    expect(run.output).toBe("results for otel");
    expect(run.spans.map((s) => s.name).sort()).toEqual(["GET /search", "lookup", "tracegrad.run"]);
    const http = run.spans.find((s) => s.name === "GET /search")!;
    const mod = run.spans.find((s) => s.name === "lookup")!;
    expect(http.parentSpanContext?.spanId).toBe(mod.spanContext().spanId);
    // the user's exporter saw everything too, including spans outside any run
    expect(exporter.getFinishedSpans().map((s) => s.name).sort()).toEqual(["GET /search", "lookup", "tracegrad.run", "unrelated"]);
    // the third-party span is read as an opaque call with a warning naming it
    expect(run.graph.warnings.some((w) => w.includes('"GET /search"') && w.includes("no known GenAI attributes"))).toBe(true);
  });
});

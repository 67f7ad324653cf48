// A user's own tracer: tracegrad's spans go through the user's provider (and its exporters), and with
// tracegradSpanProcessor() in that provider third-party spans inside the run are captured too.
import { afterEach, describe, expect, it } from "vitest";
import { trace as otelTrace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { tracegradSpanProcessor } from "../../src/trace/capture.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { InvalidArgumentError, TraceCaptureError } from "../../src/errors.js";

const lookup = traceModule("lookup", async (q: string) => {
  // a third-party instrumentation's span, from the global API
  return otelTrace.getTracer("third-party-http").startActiveSpan("GET /search", async (span) => {
    span.setAttribute("http.request.method", "GET");
    span.end();
    return `results for ${q}`;
  });
});

afterEach(() => {
  // the global provider is process state: never leak it into the next test
  otelTrace.disable();
});

describe("trace(fn, { tracer })", () => {
  it("refuses the retired { tee: true } instead of silently ignoring it", async () => {
    let ran = false;
    const options = { tee: true } as unknown as Parameters<typeof trace>[1];
    await expect(trace(() => { ran = true; }, options)).rejects.toThrow(InvalidArgumentError);
    expect(ran).toBe(false);
  });

  it("reports (never throws) when the tracer's provider records nothing", async () => {
    const errors: unknown[] = [];
    const run = await trace(() => lookup("x"), { tracer: otelTrace.getTracer("my-app"), onError: (e) => errors.push(e) });
    expect(run.output).toBe("results for x");
    expect(run.spans).toHaveLength(0);
    const fault = errors.find((e) => e instanceof TraceCaptureError);
    expect(fault).toBeInstanceOf(TraceCaptureError);
    expect((fault as Error).message).toContain("tracegradSpanProcessor()");
  });

  it("reports when the provider records but lacks tracegradSpanProcessor()", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const errors: unknown[] = [];
    const run = await trace(() => lookup("y"), { tracer: provider.getTracer("my-app"), onError: (e) => errors.push(e) });
    expect(run.output).toBe("results for y");
    expect(exporter.getFinishedSpans().map((s) => s.name)).toContain("tracegrad.run");
    expect(errors.some((e) => e instanceof TraceCaptureError)).toBe(true);
  });

  it("captures our spans and third-party spans through the user's provider", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), tracegradSpanProcessor()] });
    expect(otelTrace.setGlobalTracerProvider(provider)).toBe(true);

    const outside = otelTrace.getTracer("third-party-http").startSpan("unrelated");
    outside.end();
    const errors: unknown[] = [];
    const run = await trace(() => lookup("otel"), { tracer: otelTrace.getTracer("my-app"), onError: (e) => errors.push(e) });
    expect(errors).toEqual([]);
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

  it("by default uses a private provider: the global one never sees tracegrad's spans", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), tracegradSpanProcessor()] });
    expect(otelTrace.setGlobalTracerProvider(provider)).toBe(true);
    const run = await trace(() => lookup("private"));
    expect(run.spans.map((s) => s.name)).toContain("lookup");
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["GET /search"]);
    expect(run.spans.find((s) => s.name === "tracegrad.run")?.instrumentationScope?.version).toBe("0.1.0");
  });
});

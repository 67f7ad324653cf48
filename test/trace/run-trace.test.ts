import { describe, expect, it } from "vitest";
import { trace as otelTrace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { TraceCaptureError } from "../../src/errors.js";
import { TG } from "../../src/trace/attributes.js";
import { param } from "../../src/trace/param.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const step = traceModule("step", async (x: string, delay: number) => {
  await sleep(delay);
  return `${x}!`;
});
const agent = async (x: string, delays: number[]) => {
  let v = x;
  for (const d of delays) v = await step(v, d);
  return v;
};

describe("trace()", () => {
  it("keeps concurrent runs apart", async () => {
    const [a, b] = await Promise.all([trace(() => agent("a", [5, 1, 5])), trace(() => agent("b", [1, 5, 1, 1]))]);
    expect(a.output).toBe("a!!!");
    expect(b.output).toBe("b!!!!");
    expect(a.spans.filter((s) => s.name === "step")).toHaveLength(3);
    expect(b.spans.filter((s) => s.name === "step")).toHaveLength(4);
    expect(a.spans.every((s) => String(s.attributes["input.value"] ?? "a").includes("a"))).toBe(true);
    expect(b.spans.every((s) => String(s.attributes["input.value"] ?? "b").includes("b"))).toBe(true);
    expect(a.traceId).not.toBe(b.traceId);
    expect(new Set(a.spans.map((s) => s.spanContext().traceId))).toEqual(new Set([a.traceId]));
    // call indices are per run
    expect(b.spans.filter((s) => s.name === "step").map((s) => s.attributes[TG.callIndex]).sort()).toEqual([0, 1, 2, 3]);
  });

  it("nests under the user's active span from their own provider, without registering ours", async () => {
    const before = otelTrace.getTracerProvider();
    const exporter = new InMemorySpanExporter();
    const userProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const userTracer = userProvider.getTracer("my-app");
    const run = await userTracer.startActiveSpan("handle request", async (span) => {
      const r = await trace(() => agent("q", [0]));
      span.end();
      return r;
    });
    const user = exporter.getFinishedSpans();
    expect(user.map((s) => s.name)).toEqual(["handle request"]); // our spans do not leak into the user's exporter
    const root = run.spans.find((s) => s.name === "tracegrad.run")!;
    expect(root.parentSpanContext?.spanId).toBe(user[0]!.spanContext().spanId);
    expect(run.traceId).toBe(user[0]!.spanContext().traceId);
    expect(otelTrace.getTracerProvider()).toBe(before);
  });

  it("writes the run's output on the root span", async () => {
    const run = await trace(() => agent("z", [0, 0]));
    const root = run.spans[run.spans.length - 1]!;
    expect(root.name).toBe("tracegrad.run");
    expect(root.attributes).toMatchObject({ [TG.kind]: "run", "output.value": "z!!", [TG.valueId]: root.spanContext().spanId });
  });

  it("reruns the same agent with overridden options", async () => {
    const first = await trace(() => agent("r", [0, 0]));
    const again = await first.rerun({ replay: { lookup: (name, i) => (name === "step" && i === 0 ? { output: "R!" } : undefined) } });
    expect(again.output).toBe("R!!");
    expect(again.traceId).not.toBe(first.traceId);
  });

  it("hands the graph builder the run's spans and parameters (graph built by buildGraph)", async () => {
    const prompt = param("writer.system", "Write tersely.", { role: "system prompt of the writer" });
    const outline = traceModule("outline", async (topic: string) => `outline of ${topic}`);
    const write = traceModule("write", async (o: string) => `${prompt.value} text from ${o}`, { params: [prompt] });
    const run = await trace(async () => write(await outline("otel")));
    // (the run's root may tie with its first child at millisecond precision; its position is buildGraph's choice)
    const names = run.graph.calls.map((c) => c.name);
    expect(names.filter((n) => n !== "tracegrad.run")).toEqual(["outline", "write"]);
    expect(names).toContain("tracegrad.run");
    const outlineId = run.spans.find((s) => s.name === "outline")!.spanContext().spanId;
    const writeId = run.spans.find((s) => s.name === "write")!.spanContext().spanId;
    expect(run.graph.edges).toContainEqual(expect.objectContaining({ from: outlineId, to: writeId, kind: "explicit" }));
    expect(run.graph.parameters).toContain(prompt);
    expect(run.graph.output.value).toBe("Write tersely. text from outline of otel");
  });

  it("gives the graph the live output in full, though the span's attribute is capped", async () => {
    const long = traceModule("long", () => "x".repeat(1_200_000));
    const errors: unknown[] = [];
    const run = await trace(() => long(), { onError: (e) => errors.push(e) });
    expect(run.output.length).toBe(1_200_000);
    expect(run.graph.output.value.length).toBe(1_200_000);
    // the span holds the truncated text, and the truncation was reported
    expect(String(run.spans.find((s) => s.name === "tracegrad.run")?.attributes["output.value"]).length).toBeLessThan(1_200_000);
    expect(errors.some((e) => e instanceof TraceCaptureError)).toBe(true);
  });
});

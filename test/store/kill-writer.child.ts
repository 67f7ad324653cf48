// Child process for the SIGKILL test: exports traces through otlpFileExporter as fast as it can, each with a large
// attribute so a write takes long enough to be cut, and prints "ack <spanId>…" once an export reported success.
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { otlpFileExporter } from "../../src/index.js";

const [path, bytesArg] = process.argv.slice(2);
const big = "x".repeat(Number(bytesArg ?? 2_000_000));
const memory = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
const tracer = provider.getTracer("kill-writer");
const exporter = otlpFileExporter({ path: path!, maxBytes: 1e12 });

for (let i = 0; ; i++) {
  memory.reset();
  tracer.startActiveSpan(`run ${i}`, (root) => {
    tracer.startSpan(`step ${i}`, { attributes: { "output.value": big, "tracegrad.seq": i } }).end();
    root.end();
  });
  const spans = memory.getFinishedSpans();
  const code = await new Promise<number>((resolve) => exporter.export([...spans], (r) => resolve(r.code)));
  if (code !== 0) throw new Error(`export ${i} failed`);
  process.stdout.write(`ack ${spans.map((s) => s.spanContext().spanId).join(" ")}\n`);
}

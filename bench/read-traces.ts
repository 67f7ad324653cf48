/**
 * Benchmark: readTraces / streamTraces on a ~200 MB OTLP JSON-lines file, in a child process whose heap is capped
 * (--max-old-space-size), to show memory follows the largest trace, not the file. Prints file size, traces, spans,
 * wall time and peak heap.
 *
 *   npx tsx bench/read-traces.ts            # default: 200 MB, heap cap 128 MB
 *   npx tsx bench/read-traces.ts 400 96     # 400 MB, heap cap 96 MB
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTraces, streamTraces } from "../src/index.js";

const SPANS_PER_TRACE = 6;
const TRACES_PER_LINE = 4; // batches interleave traces, as a BatchSpanProcessor does
const PAYLOAD = 1500;

if (process.argv[2] === "--read") await read(process.argv[3]!);
else await main(Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 128));

async function main(megabytes: number, heapCapMb: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tg-bench-read-"));
  try {
    const path = join(dir, "traces.jsonl");
    const t0 = performance.now();
    const written = generate(path, megabytes * 1024 * 1024);
    console.log(`generated ${(statSync(path).size / 1048576).toFixed(1)} MB, ${written.traces} traces, ${written.spans} spans in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, [`--max-old-space-size=${heapCapMb}`, "--expose-gc", "--import", "tsx", self, "--read", path], { stdio: "inherit" });
    if (child.status !== 0) throw new Error(`reader exited with ${child.status ?? child.signal} under a ${heapCapMb} MB heap cap`);
    console.log(`reader ran under --max-old-space-size=${heapCapMb}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes lines of OTLP JSON until `bytes`; each line holds a few spans of each of TRACES_PER_LINE open traces. */
function generate(path: string, bytes: number): { traces: number; spans: number } {
  const fd = openSync(path, "w");
  let size = 0;
  let traces = 0;
  let spans = 0;
  const filler = "lorem ipsum ".repeat(PAYLOAD / 12);
  try {
    for (let group = 0; size < bytes; group++) {
      const ids = Array.from({ length: TRACES_PER_LINE }, (_, k) => (group * TRACES_PER_LINE + k + 1).toString(16).padStart(32, "0"));
      traces += ids.length;
      // each trace's spans are spread over SPANS_PER_TRACE / 2 lines
      for (let part = 0; part < SPANS_PER_TRACE / 2; part++) {
        const lineSpans = ids.flatMap((traceId, k) =>
          [0, 1].map((j) => {
            const n = part * 2 + j;
            const spanId = (((group * TRACES_PER_LINE + k) * SPANS_PER_TRACE + n) + 1).toString(16).padStart(16, "0");
            return {
              traceId,
              spanId,
              name: n === 0 ? "tracegrad.run" : `module ${n}`,
              kind: 1,
              startTimeUnixNano: String(1_764_950_000_000_000_000n + BigInt(n) * 1_000_000n),
              endTimeUnixNano: String(1_764_950_000_000_000_000n + BigInt(n + 1) * 1_000_000n),
              attributes: [
                { key: "tracegrad.kind", value: { stringValue: n === 0 ? "run" : "module" } },
                { key: "output.value", value: { stringValue: `${traceId}:${n} ${filler}` } },
              ],
              status: { code: 0 },
              links: [],
              events: [],
            };
          }),
        );
        spans += lineSpans.length;
        const line = `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "bench" }, spans: lineSpans }] }] })}\n`;
        size += writeSync(fd, line);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { traces, spans };
}

async function read(path: string): Promise<void> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed));
  const timer = setInterval(sample, 5);
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  const size = statSync(path).size;

  let t0 = performance.now();
  const traces = await readTraces(path, { onWarning: (w) => console.warn(w) });
  const indexed = performance.now() - t0;
  let spans = 0;
  for (const t of traces) {
    spans += t.spans.length;
    sample();
  }
  const readAll = performance.now() - t0;
  console.log(`readTraces:   file ${mb(size)}, ${traces.length} traces, ${spans} spans; index ${(indexed / 1000).toFixed(2)} s, index + load every trace ${(readAll / 1000).toFixed(2)} s; peak heap ${mb(peak)}`);

  (globalThis as { gc?: () => void }).gc?.();
  peak = 0;
  t0 = performance.now();
  let streamed = 0;
  let streamedSpans = 0;
  for await (const t of streamTraces(path)) {
    streamed++;
    streamedSpans += t.spans.length;
    sample();
  }
  console.log(`streamTraces: file ${mb(size)}, ${streamed} traces, ${streamedSpans} spans; ${((performance.now() - t0) / 1000).toFixed(2)} s; peak heap ${mb(peak)}`);
  clearInterval(timer);
}

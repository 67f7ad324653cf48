// otlpFileExporter writes what readTraces reads: a run exported through the user's provider, read back from disk,
// builds the same graph as the run built in memory; rotation keeps every record, in order; faults never throw.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import {
  buildGraph,
  InvalidArgumentError,
  otlpFileExporter,
  param,
  readTraces,
  StoreAccessError,
  trace,
  traceModule,
  tracedEngine,
  tracegradSpanProcessor,
  type TraceGraph,
} from "../../src/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function agent() {
  const prompt = param("answer.system", "Answer in one word.", { role: "system prompt of the answerer" });
  const engine = tracedEngine({ model: "fake-1", generate: async (r) => ({ text: `the answer about ${r.prompt}`, usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 } }) });
  const research = traceModule("research", async (q: string) => `notes on ${q}, which are long enough to be matched as content`);
  const answer = traceModule("answer", async (notes: string) => (await engine.generate({ system: prompt.value, prompt: notes })).text, { params: [prompt] });
  return async (q: string) => answer(await research(q));
}

function providerWith(exporter: ReturnType<typeof otlpFileExporter>) {
  return new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter }), tracegradSpanProcessor()] });
}

const shape = (g: TraceGraph) => ({
  nodes: g.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name, value: n.value })),
  edges: g.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, confidence: e.confidence })).sort((a, b) => `${a.from}${a.to}${a.kind}`.localeCompare(`${b.from}${b.to}${b.kind}`)),
  params: g.parameters.map((p) => p.value),
});

describe("otlpFileExporter → readTraces", () => {
  it("round-trips runs: the graph built from the file equals the in-memory graph of the same run", async () => {
    const path = join(dir, "traces", "traces.jsonl");
    const exporter = otlpFileExporter({ path });
    const provider = providerWith(exporter);
    const run = agent();
    const runs = [];
    for (const q of ["otel", "files", "graphs"]) runs.push(await trace(() => run(q), { tracer: provider.getTracer("my-app") }));
    await provider.forceFlush();

    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.at(-1)).toBe(""); // every line ends in a newline
    for (const line of lines.slice(0, -1)) expect(Object.keys(JSON.parse(line))).toEqual(["resourceSpans"]);

    const warnings: string[] = [];
    const traces = await readTraces(join(dir, "traces"), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(traces.map((t) => t.traceId)).toEqual(runs.map((r) => r.traceId));
    for (const [i, t] of traces.entries()) {
      const r = runs[i]!;
      expect(t.spans.map((s) => s.spanContext().spanId).sort()).toEqual(r.spans.map((s) => s.spanContext().spanId).sort());
      const fromDisk = buildGraph(t.spans);
      expect(fromDisk.warnings).toEqual(r.graph.warnings);
      expect(shape(fromDisk)).toEqual(shape(r.graph));
      expect(fromDisk.edges.length).toBeGreaterThan(2);
      expect(fromDisk.parameters.map((p) => p.value)).toEqual(["Answer in one word."]);
      expect(fromDisk.output.value).toBe(`the answer about notes on ${["otel", "files", "graphs"][i]}, which are long enough to be matched as content`);
    }
    await provider.shutdown();
  });

  it("rotates at maxBytes into Collector-style names that read back in write order", async () => {
    const path = join(dir, "traces.jsonl");
    let clock = Date.parse("2026-12-05T17:15:00.000Z");
    const exporter = otlpFileExporter({ path, maxBytes: 6000, now: () => new Date(clock) });
    const provider = providerWith(exporter);
    const run = agent();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await trace(() => run(`q${i}`), { tracer: provider.getTracer("my-app") })).traceId);
      clock += i % 3 === 0 ? 0 : 1000; // some rotations share a millisecond
    }
    await provider.forceFlush();
    const names = readdirSync(dir).sort();
    expect(names.length).toBeGreaterThan(2);
    expect(names.at(-1)).toBe("traces.jsonl");
    for (const name of names.slice(0, -1)) expect(name).toMatch(/^traces-2026-12-05T17-\d\d-\d\d\.\d{3}\.jsonl$/);
    for (const name of names) expect(readFileSync(join(dir, name)).length).toBeLessThanOrEqual(6000);
    const traces = await readTraces(dir, { onWarning: (w) => expect.fail(w) });
    expect(traces.map((t) => t.traceId)).toEqual(ids);
    for (const t of traces) expect(buildGraph(t.spans).output.value).toMatch(/^the answer about notes on q\d+/);
    await provider.shutdown();
  });

  it("writes a line larger than maxBytes whole, into a file of its own", async () => {
    const path = join(dir, "t.jsonl");
    const provider = providerWith(otlpFileExporter({ path, maxBytes: 10 }));
    await trace(() => agent()("big"), { tracer: provider.getTracer("my-app") });
    await trace(() => agent()("big2"), { tracer: provider.getTracer("my-app") });
    await provider.forceFlush();
    // SimpleSpanProcessor exports each span on its own: every file holds exactly one line
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    expect((await readTraces(dir)).length).toBe(2);
    await provider.shutdown();
  });

  it("closes off a torn last line left by a killed writer before appending, and reports it", async () => {
    const path = join(dir, "t.jsonl");
    writeFileSync(path, '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c"');
    const faults: unknown[] = [];
    const provider = providerWith(otlpFileExporter({ path, onError: (e) => faults.push(e) }));
    const run = await trace(() => agent()("after"), { tracer: provider.getTracer("my-app") });
    await provider.forceFlush();
    expect(String(faults[0])).toContain("ended mid-line");
    const warnings: string[] = [];
    const traces = await readTraces(path, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([`${path}:1: not JSON (${warnings[0]!.slice(`${path}:1: not JSON (`.length, -"); line skipped.".length)}); line skipped.`]);
    expect(traces.map((t) => t.traceId)).toEqual([run.traceId]);
    await provider.shutdown();
  });

  it("never throws into the host: an unwritable path fails the export and reports the fault", async () => {
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "x");
    const faults: unknown[] = [];
    const exporter = otlpFileExporter({ path: join(blocker, "traces.jsonl"), onError: (e) => faults.push(e) });
    const results: { code: number; error?: Error }[] = [];
    await new Promise<void>((resolve) => exporter.export([] as ReadableSpan[], (r) => (results.push(r), resolve())));
    expect(results[0]!.code).toBe(1);
    expect(StoreAccessError.isInstance(results[0]!.error)).toBe(true);
    expect(StoreAccessError.isInstance(faults[0])).toBe(true);
    expect(String(faults[0])).toContain("not-a-dir");
    // and the agent's run is untouched
    const provider = providerWith(exporter);
    const run = await trace(() => agent()("still works"), { tracer: provider.getTracer("my-app") });
    expect(run.output).toContain("still works");
    await provider.shutdown();
    const after: { code: number }[] = [];
    exporter.export([] as ReadableSpan[], (r) => after.push(r));
    expect(after).toEqual([{ code: 1, error: expect.anything() }]);
  });

  it("refuses bad options with a typed error", () => {
    expect(() => otlpFileExporter({ path: "" })).toThrow(InvalidArgumentError);
    expect(() => otlpFileExporter({ path: join(dir, "t.jsonl"), maxBytes: 0 })).toThrow(/maxBytes/);
  });
});

describe("readTraces input", () => {
  it("throws StoreAccessError for a missing path", async () => {
    await expect(readTraces(join(dir, "missing"))).rejects.toSatisfy((e) => StoreAccessError.isInstance(e) && String(e).includes("ENOENT"));
  });

  it("warns (never silently returns nothing) for an empty directory", async () => {
    mkdirSync(join(dir, "empty"));
    const warnings: string[] = [];
    expect(await readTraces(join(dir, "empty"), { onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings[0]).toContain("empty directory");
  });

  it("throws StoreAccessError for a path through a file", async () => {
    const file = join(dir, "plain");
    writeFileSync(file, "x");
    await expect(readTraces(join(file, "traces.jsonl"))).rejects.toSatisfy((e) => StoreAccessError.isInstance(e) && String(e).includes("ENOTDIR"));
  });
});

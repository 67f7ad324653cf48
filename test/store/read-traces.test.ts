// readTraces of plain (pretty-printed) OTLP JSON files, of a directory mixing them with JSON lines, of Jaeger/Tempo
// payloads, and of damaged input: each problem is a warning naming file:line, and the rest is read.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildGraph, fromOtlpJson, readTraces, streamTraces } from "../../src/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-read-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const idsOf = (spans: readonly { spanContext(): { spanId: string } }[]) => spans.map((s) => s.spanContext().spanId);

describe("readTraces", () => {
  it("reads a plain pretty-printed OTLP JSON file as the same spans buildGraph reads from its text", async () => {
    const text = readFileSync(fixture("genai-current.otlp.json"), "utf8");
    const expected = fromOtlpJson(text);
    const traces = await readTraces(fixture("genai-current.otlp.json"), { onWarning: (w) => expect.fail(w) });
    expect(traces.map((t) => t.traceId)).toEqual([...new Set(expected.map((s) => s.spanContext().traceId))]);
    expect(traces.flatMap((t) => idsOf(t.spans))).toEqual(idsOf(expected));
    expect(buildGraph(traces[0]!.spans).nodes).toEqual(buildGraph(text).nodes);
  });

  it("reads a directory of plain files, JSON lines, Jaeger and Tempo payloads in name order", async () => {
    copyFileSync(fixture("openinference.otlp.json"), join(dir, "a-openinference.json"));
    const vercel = JSON.parse(readFileSync(fixture("vercel-ai.otlp.json"), "utf8")) as { resourceSpans: unknown[] };
    writeFileSync(join(dir, "b-jaeger.json"), JSON.stringify({ result: vercel }));
    const legacy = JSON.parse(readFileSync(fixture("genai-legacy.otlp.json"), "utf8")) as { resourceSpans: unknown[] };
    writeFileSync(join(dir, "c-tempo.jsonl"), `${JSON.stringify({ batches: legacy.resourceSpans })}\n`);
    writeFileSync(join(dir, ".hidden"), "ignored");
    const traces = await readTraces(dir, { onWarning: (w) => expect.fail(w) });
    const expected = [fixture("openinference.otlp.json"), fixture("vercel-ai.otlp.json"), fixture("genai-legacy.otlp.json")].flatMap((f) => fromOtlpJson(readFileSync(f, "utf8")));
    expect(traces.flatMap((t) => idsOf(t.spans))).toEqual(idsOf(expected));
    const streamed: string[] = [];
    for await (const t of streamTraces(dir)) streamed.push(...idsOf(t.spans));
    expect(streamed).toEqual(idsOf(expected));
  });

  it("joins a trace split over lines and files, and warns about malformed, non-OTLP and non-JSON input", async () => {
    const spans = JSON.parse(readFileSync(fixture("unknown-dialect.otlp.json"), "utf8")) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    const all = spans.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(all.length).toBeGreaterThan(1);
    const doc = (list: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: "x" }, spans: list }] }] });
    writeFileSync(join(dir, "1.jsonl"), `${doc(all.slice(0, 1))}\nnot json\n{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"no ids"}]}]}]}\n\n`);
    writeFileSync(join(dir, "2.jsonl"), `${doc(all.slice(1))}\n`);
    writeFileSync(join(dir, "3.zst"), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 1, 2]));
    const warnings: string[] = [];
    const traces = await readTraces(dir, { onWarning: (w) => warnings.push(w) });
    expect(traces).toHaveLength(1);
    expect(idsOf(traces[0]!.spans)).toEqual(idsOf(fromOtlpJson(readFileSync(fixture("unknown-dialect.otlp.json"), "utf8"))));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/1\.jsonl:2: not JSON/);
    expect(warnings[1]).toMatch(/1\.jsonl:3: .*traceId is missing/);
    expect(warnings[2]).toMatch(/3\.zst: not OTLP JSON text .*format: json without compression/);
  });
});

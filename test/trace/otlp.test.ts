import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { TraceFormatError } from "../../src/errors.js";
import { TG } from "../../src/trace/attributes.js";
import { fromOtlpJson, toOtlpJson, type OtlpJson } from "../../src/trace/otlp.js";
import { trace } from "../../src/trace/run-trace.js";
import { parentIdOf, type SpanLike } from "../../src/trace/span-like.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { tracedEngine } from "../../src/trace/traced-engine.js";
import { param } from "../../src/trace/param.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

async function sampleRun() {
  const prompt = param("answer.system", "Answer in one word.", { role: "system prompt of the answerer" });
  const engine = tracedEngine({ model: "fake-1", generate: async (r) => ({ text: `echo ${r.prompt}`, usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 } }) });
  const research = traceModule("research", async (q: string) => `notes on ${q}`);
  const answer = traceModule("answer", async (notes: string) => (await engine.generate({ system: prompt.value, prompt: notes })).text, { params: [prompt] });
  const failing = traceModule("failing", () => {
    throw new Error("tool broke");
  });
  return trace(async () => {
    try {
      failing();
    } catch {
      // the agent handles its tool's error
    }
    return answer(await research("otel"));
  });
}

const snapshot = (s: SpanLike) => ({
  name: s.name,
  kind: s.kind,
  ids: { traceId: s.spanContext().traceId, spanId: s.spanContext().spanId },
  parent: parentIdOf(s),
  start: s.startTime,
  end: s.endTime,
  attributes: s.attributes,
  status: s.status,
  links: (s.links ?? []).map((l) => ({ context: { traceId: l.context.traceId, spanId: l.context.spanId }, attributes: l.attributes ?? {} })),
  events: (s.events ?? []).map((e) => ({ name: e.name, time: e.time, attributes: e.attributes ?? {} })),
});

describe("OTLP JSON", () => {
  it("round-trips our own spans: ids, parents, times, attributes, status, events", async () => {
    const run = await sampleRun();
    const json = toOtlpJson(run.spans);
    const back = fromOtlpJson(JSON.stringify(json));
    expect(back.map(snapshot)).toEqual(run.spans.map(snapshot));
    expect(json.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: "tracegrad", version: "0.1.0" });
    const span = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(typeof span.startTimeUnixNano).toBe("string");
    expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
  });

  it("writes graph edges back as links on the consumer span, and they survive the round trip", async () => {
    const run = await sampleRun();
    const json = toOtlpJson(run.spans, { graph: run.graph });
    const back = fromOtlpJson(json);
    const spanEdges = run.graph.edges.filter((e) => run.spans.some((s) => s.spanContext().spanId === e.from) && run.spans.some((s) => s.spanContext().spanId === e.to));
    expect(spanEdges.length).toBeGreaterThan(0);
    for (const e of spanEdges) {
      const consumer = back.find((s) => s.spanContext().spanId === e.to)!;
      expect(consumer.links).toContainEqual({
        context: { traceId: run.traceId, spanId: e.from },
        attributes: { [TG.edgeKind]: e.kind, [TG.edgeConfidence]: e.confidence },
      });
    }
    // exporting again does not duplicate the links
    const twice = toOtlpJson(back, { graph: run.graph });
    expect(fromOtlpJson(twice).flatMap((s) => s.links ?? []).length).toBe(back.flatMap((s) => s.links ?? []).length);
  });

  it("accepts base64 ids, numeric times, string enums and JSON lines", () => {
    const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
    const doc = {
      resourceSpans: [{
        scopeSpans: [{
          scope: { name: "py" },
          spans: [{
            traceId: b64("5b8efff798038103d269b633813fc60c"),
            spanId: b64("eee19b7ec3c1b174"),
            parentSpanId: b64("eee19b7ec3c1b173"),
            name: "x",
            kind: "SPAN_KIND_CLIENT",
            startTimeUnixNano: 1767225600000000000,
            endTimeUnixNano: "1767225600000000500",
            attributes: [{ key: "n", value: { intValue: 3 } }, { key: "list", value: { arrayValue: { values: [{ stringValue: "a" }, { stringValue: "b" }] } } }],
            status: { code: "STATUS_CODE_ERROR", message: "boom" },
          }],
        }],
      }],
    };
    const [span] = fromOtlpJson(`${JSON.stringify(doc)}\n${JSON.stringify(doc)}\n`);
    expect(span!.spanContext()).toEqual({ traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174" });
    expect(parentIdOf(span!)).toBe("eee19b7ec3c1b173");
    expect(span!.kind).toBe(2);
    expect(span!.endTime).toEqual([1767225600, 500]);
    expect(span!.attributes).toEqual({ n: 3, list: ["a", "b"] });
    expect(span!.status).toEqual({ code: 2, message: "boom" });
    expect(fromOtlpJson(`${JSON.stringify(doc)}\n\n${JSON.stringify(doc)}`)).toHaveLength(2);
  });

  it("reads every dialect fixture", () => {
    for (const f of ["genai-current", "genai-legacy", "openinference", "vercel-ai", "langsmith-otel", "unknown-dialect"]) {
      expect(fromOtlpJson(fixture(`${f}.otlp.json`)).length, f).toBeGreaterThan(1);
    }
  });

  it("names the path of malformed input in a TraceFormatError", () => {
    const good = JSON.parse(fixture("genai-current.otlp.json")) as OtlpJson;
    const mutate = (edit: (doc: any) => void) => {
      const doc = structuredClone(good) as any;
      doc.resourceSpans[0].scopeSpans.push({ scope: { name: "b" }, spans: structuredClone(doc.resourceSpans[0].scopeSpans[0].spans) });
      edit(doc);
      return doc;
    };
    const expectError = (input: unknown, message: RegExp) => {
      let error: unknown;
      try {
        fromOtlpJson(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TraceFormatError);
      expect((error as Error).message).toMatch(message);
    };
    expectError(mutate((d) => delete d.resourceSpans[0].scopeSpans[1].spans[3].spanId), /resourceSpans\[0\]\.scopeSpans\[1\]\.spans\[3\]\.spanId is missing/);
    expectError(mutate((d) => (d.resourceSpans[0].scopeSpans[1].spans[2].traceId = "xyz")), /resourceSpans\[0\]\.scopeSpans\[1\]\.spans\[2\]\.traceId is not a 16-byte id/);
    expectError(mutate((d) => (d.resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano = "soon")), /spans\[1\]\.startTimeUnixNano must be epoch nanoseconds/);
    expectError(mutate((d) => (d.resourceSpans[0].scopeSpans[0].spans[0].attributes[2] = { value: { stringValue: "x" } })), /spans\[0\]\.attributes\[2\]\.key is missing/);
    expectError({ spans: [] }, /document resourceSpans is missing|resourceSpans is missing/);
    expectError(42, /document must be an object/);
    expectError('{"resourceSpans": []}\nnot json', /line 2 is not JSON/);
  });
});

// Feedback round trip: recordFeedback appends validated records durably, readFeedback reads them back (upserts by id,
// torn and malformed lines warned about), and gen_ai.evaluation.result events on stored spans are read as feedback.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { trace as otelTrace } from "@opentelemetry/api";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import {
  EVALUATION_EVENT,
  FeedbackFormatError,
  feedbackFromSpans,
  otlpFileExporter,
  readFeedback,
  readTraces,
  recordFeedback,
  StoreAccessError,
  trace,
  traceModule,
  tracegradSpanProcessor,
} from "../../src/index.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const fixed = () => new Date("2026-12-05T17:00:00.000Z");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-feedback-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("recordFeedback / readFeedback", () => {
  it("round-trips records, filling in id, source and time", async () => {
    const path = join(dir, "nested", "feedback.jsonl");
    const a = await recordFeedback({ traceId: TRACE, spanId: SPAN, name: "user_thumbs", score: 0, explanation: "The plan skipped the lookup." }, { path, now: fixed });
    const b = await recordFeedback({ traceId: TRACE, name: "judge", label: "fail", correction: "Paris", source: "llm" }, { path, now: fixed });
    expect(a).toEqual({ id: a.id, traceId: TRACE, spanId: SPAN, name: "user_thumbs", score: 0, explanation: "The plan skipped the lookup.", source: "api", time: "2026-12-05T17:00:00.000Z" });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.id).not.toBe(a.id);
    expect(b.source).toBe("llm");
    expect(await readFeedback(path, { onWarning: (w) => expect.fail(w) })).toEqual([a, b]);
  });

  it("treats a repeated id as an upsert: the later record wins, in the first one's place", async () => {
    const path = join(dir, "feedback.jsonl");
    await recordFeedback({ id: "f1", traceId: TRACE, name: "q", score: 0.1 }, { path, now: fixed });
    await recordFeedback({ id: "f2", traceId: TRACE, name: "q", score: 0.5 }, { path, now: fixed });
    await recordFeedback({ id: "f1", traceId: TRACE, name: "q", score: 0.9, time: "2026-12-05T18:00:00Z" }, { path, now: fixed });
    const read = await readFeedback(path);
    expect(read.map((r) => [r.id, r.score, r.time])).toEqual([["f1", 0.9, "2026-12-05T18:00:00Z"], ["f2", 0.5, "2026-12-05T17:00:00.000Z"]]);
  });

  it("refuses invalid feedback with a FeedbackFormatError naming the field, and writes nothing", async () => {
    const path = join(dir, "feedback.jsonl");
    const bad = [
      [{ traceId: TRACE, name: "q" }, /at least one of score, label, explanation or correction/],
      [{ traceId: TRACE, name: "q", score: "high" }, /score: .*expected number/],
      [{ traceId: "", name: "q", score: 1 }, /traceId/],
      [{ traceId: TRACE, name: "q", score: 1, rating: 5 }, /rating/],
      [{ traceId: TRACE, name: "q", score: Number.NaN }, /score/],
    ] as const;
    for (const [input, message] of bad) {
      const error = await recordFeedback(input as never, { path }).catch((e: unknown) => e);
      expect(FeedbackFormatError.isInstance(error), String(error)).toBe(true);
      expect(String(error)).toMatch(message);
    }
    await expect(readFeedback(path)).rejects.toSatisfy((e) => StoreAccessError.isInstance(e));
  });

  it("skips torn and malformed lines with warnings naming file:line", async () => {
    const path = join(dir, "feedback.jsonl");
    const good = await recordFeedback({ traceId: TRACE, name: "q", score: 1 }, { path, now: fixed });
    appendFileSync(path, "not json\n");
    appendFileSync(path, `${JSON.stringify({ id: "x", traceId: TRACE, name: "q", score: "1", source: "api", time: fixed().toISOString() })}\n`);
    appendFileSync(path, '{"id":"torn","traceId":"4bf9');
    const warnings: string[] = [];
    expect(await readFeedback(path, { onWarning: (w) => warnings.push(w) })).toEqual([good]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(new RegExp(`^${escape(path)}:2: not JSON`));
    expect(warnings[1]).toMatch(new RegExp(`^${escape(path)}:3: not a feedback record \\(score: `));
    expect(warnings[2]).toBe(`${path}:4: torn last line (no newline at the end: a writer was killed while writing it); skipped.`);
    // the next append starts on its own line: the torn fragment does not swallow it
    const after = await recordFeedback({ traceId: TRACE, name: "q", label: "ok" }, { path, now: fixed });
    expect((await readFeedback(path, { onWarning: () => undefined })).map((r) => r.id)).toEqual([good.id, after.id]);
  });
});

describe("gen_ai.evaluation.result events", () => {
  afterEach(() => otelTrace.disable());

  it("are read as feedback from stored traces, with readFeedback(path, { traces }) and readFeedback({ traces })", async () => {
    const tracesPath = join(dir, "traces.jsonl");
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: otlpFileExporter({ path: tracesPath }) }), tracegradSpanProcessor()] });
    const answer = traceModule("answer", async (q: string) => {
      const span = otelTrace.getActiveSpan()!;
      span.setAttribute(EVALUATION_EVENT.responseId, "resp-1");
      return `answer to ${q}`;
    });
    const judge = traceModule("judge", async (a: string) => {
      const span = otelTrace.getActiveSpan()!;
      // an evaluator span scoring another span by response id, and itself
      span.addEvent(EVALUATION_EVENT.name, {
        [EVALUATION_EVENT.evaluationName]: "Relevance",
        [EVALUATION_EVENT.scoreValue]: 0.25,
        [EVALUATION_EVENT.scoreLabel]: "fail",
        [EVALUATION_EVENT.explanation]: "Skipped the lookup.",
        [EVALUATION_EVENT.responseId]: "resp-1",
      });
      span.addEvent(EVALUATION_EVENT.name, { [EVALUATION_EVENT.evaluationName]: "Format", [EVALUATION_EVENT.scoreLabel]: "pass" });
      span.addEvent(EVALUATION_EVENT.name, { [EVALUATION_EVENT.evaluationName]: "Toxicity", [EVALUATION_EVENT.errorType]: "timeout" });
      span.addEvent(EVALUATION_EVENT.name, { [EVALUATION_EVENT.scoreValue]: 1 });
      span.addEvent("unrelated", { x: 1 });
      return a.length;
    });
    const run = await trace(async () => judge(await answer("capital")), { tracer: provider.getTracer("app") });
    await provider.forceFlush();
    const answerSpan = run.spans.find((s) => s.name === "answer")!.spanContext().spanId;
    const judgeSpan = run.spans.find((s) => s.name === "judge")!.spanContext().spanId;

    const feedbackPath = join(dir, "feedback.jsonl");
    const human = await recordFeedback({ traceId: run.traceId, name: "user_thumbs", score: 0 }, { path: feedbackPath });
    const traces = await readTraces(tracesPath);
    const warnings: string[] = [];
    const all = await readFeedback(feedbackPath, { traces, onWarning: (w) => warnings.push(w) });
    expect(all.map((r) => ({ ...r, time: "t" }))).toEqual([
      { ...human, time: "t" },
      { id: `${run.traceId}:${judgeSpan}:0`, traceId: run.traceId, spanId: answerSpan, name: "Relevance", score: 0.25, label: "fail", explanation: "Skipped the lookup.", source: "otel", time: "t" },
      { id: `${run.traceId}:${judgeSpan}:1`, traceId: run.traceId, spanId: judgeSpan, name: "Format", label: "pass", source: "otel", time: "t" },
    ]);
    expect(Date.parse(all[1]!.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("error.type timeout");
    expect(warnings[1]).toContain(`event 3 (gen_ai.evaluation.result): has no gen_ai.evaluation.name`);
    expect(await readFeedback({ traces }, { onWarning: () => undefined })).toEqual(all.slice(1));
    expect(feedbackFromSpans(traces, () => undefined)).toEqual(all.slice(1));
    await provider.shutdown();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

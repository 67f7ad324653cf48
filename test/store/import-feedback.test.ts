// Importers for Langfuse scores, LangSmith feedback and Phoenix span annotations, on sample exports written from the
// vendors' documented shapes (test/fixtures/feedback): each field lands where the mapping table says; bad rows are
// typed errors naming the row and field; rows that are not about a trace are skipped with a warning.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FeedbackFormatError, importFeedback, InvalidArgumentError, readFeedback, recordFeedback, StoreAccessError, type StoredTrace } from "../../src/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/feedback/${name}`, import.meta.url));
const T1 = "4bf92f3577b34da6a3ce929d0e0e4736";
const T2 = "5c0a3e7e2f8b4d1c9a6b3f2e1d0c9b8a";
const S1 = "00f067aa0ba902b7";
const S2 = "1a2b3c4d5e6f7a8b";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-import-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, rows: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof rows === "string" ? rows : JSON.stringify(rows));
  return path;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error, "expected a rejection").toBeInstanceOf(Error);
  return error as Error;
}

describe("importFeedback from Langfuse", () => {
  it("maps NUMERIC, BOOLEAN, CATEGORICAL and CORRECTION scores; warns about and skips a session score", async () => {
    const warnings: string[] = [];
    const records = await importFeedback(fixture("langfuse-scores.json"), { from: "langfuse", onWarning: (w) => warnings.push(w) });
    expect(records).toEqual([
      { id: "sc-num-1", traceId: T1, spanId: S1, name: "helpfulness", score: 0.25, explanation: "The plan skipped the lookup.", source: "langfuse:EVAL", time: "2026-11-30T10:15:00.000Z" },
      { id: "sc-bool-1", traceId: T1, name: "user_thumbs", score: 0, label: "false", source: "langfuse:API", time: "2026-11-30T10:16:00.000Z" },
      { id: "sc-cat-1", traceId: T2, name: "tone", score: 2, label: "formal", source: "langfuse:ANNOTATION", time: "2026-11-30T10:00:00.000Z" },
      { id: "sc-corr-1", traceId: T2, spanId: S2, name: "output_correction", explanation: "Answer needed the lookup.", correction: "Lookup first, then answer: Paris.", source: "langfuse:ANNOTATION", time: "2026-11-30T10:05:00.000Z" },
    ]);
    expect(warnings).toEqual([expect.stringContaining('row 5: score "session_satisfaction" is on session session-42, not on a trace; skipped.')]);
  });

  it("names the row and field of an invalid score", async () => {
    const rows = [{ id: "a", traceId: T1, name: "q", value: 1, dataType: "NUMERIC", timestamp: "2026-11-30T10:00:00Z" }, { id: "b", traceId: T1, name: "q", value: "high", dataType: "NUMERIC", timestamp: "2026-11-30T10:00:00Z" }];
    const e1 = await rejection(importFeedback(write("bad.json", rows), { from: "langfuse" }));
    expect(FeedbackFormatError.isInstance(e1)).toBe(true);
    expect(e1.message).toMatch(/bad\.json row 2: field "value": .*expected number/);
    const e2 = await rejection(importFeedback(write("nodate.json", [{ id: "c", traceId: T1, name: "q", value: 1 }]), { from: "langfuse" }));
    expect(e2.message).toContain('row 1: field "timestamp": missing or not a date');
    const e3 = await rejection(importFeedback(write("kind.json", [{ id: "d", traceId: T1, name: "q", value: 1, dataType: "STARS", timestamp: "2026-11-30T10:00:00Z" }]), { from: "langfuse" }));
    expect(e3.message).toContain('row 1: field "dataType"');
  });
});

describe("importFeedback from LangSmith", () => {
  it("maps feedback on the root run and on OTel-bridged runs, corrections and sources", async () => {
    const records = await importFeedback(fixture("langsmith-feedback.jsonl"), { from: "langsmith" });
    expect(records).toEqual([
      { id: "9f1c2d3e-0000-4000-8000-000000000001", traceId: T1, name: "correctness", score: 0, explanation: "Wrong capital.", correction: "Paris", source: "langsmith:api", time: "2026-11-30T10:20:00.123Z" },
      { id: "9f1c2d3e-0000-4000-8000-000000000002", traceId: T1, spanId: S1, name: "relevance", score: 1, explanation: "Judge: the lookup step is irrelevant.", source: "langsmith:model", time: "2026-11-30T10:21:00.000Z" },
      { id: "9f1c2d3e-0000-4000-8000-000000000003", traceId: T2, spanId: S2, name: "user_thumbs", score: 1, label: "thumbs_up", source: "langsmith:app", time: "2026-11-30T10:23:00.000Z" },
    ]);
  });

  it("names the row and field of invalid feedback, including a missing trace_id", async () => {
    const row = { id: "x", run_id: "4bf92f35-77b3-4da6-a3ce-929d0e0e4736", trace_id: "4bf92f35-77b3-4da6-a3ce-929d0e0e4736", key: "k", score: 1, created_at: "2026-11-30T10:00:00Z" };
    const lines = [row, { ...row, trace_id: undefined }].map((r) => JSON.stringify(r)).join("\n");
    const e1 = await rejection(importFeedback(write("ls.jsonl", lines), { from: "langsmith" }));
    expect(FeedbackFormatError.isInstance(e1)).toBe(true);
    expect(e1.message).toMatch(/ls\.jsonl row 2: field "trace_id"/);
    const e2 = await rejection(importFeedback(write("ls2.jsonl", JSON.stringify({ ...row, key: "k", score: null, value: null, comment: null })), { from: "langsmith" }));
    expect(e2.message).toContain("row 1: maps to no valid feedback");
    const e3 = await rejection(importFeedback(write("ls3.jsonl", `${JSON.stringify(row)}\n{oops\n`), { from: "langsmith" }));
    expect(e3.message).toContain("row 2 is not JSON");
  });
});

describe("importFeedback from Phoenix", () => {
  const traces: StoredTrace[] = [
    { traceId: T1, spans: [{ name: "a", spanContext: () => ({ traceId: T1, spanId: S1 }), startTime: [0, 0], endTime: [0, 0], attributes: {} }] },
    { traceId: T2, spans: [{ name: "b", spanContext: () => ({ traceId: T2, spanId: S2 }), startTime: [0, 0], endTime: [0, 0], attributes: {} }] },
  ];

  it("finds each annotated span's trace in the traces given", async () => {
    const records = await importFeedback(fixture("phoenix-span-annotations.json"), { from: "phoenix", traces });
    expect(records).toEqual([
      { id: "U3BhbkFubm90YXRpb246MQ==", traceId: T1, spanId: S1, name: "hallucination", score: 1, label: "hallucinated", explanation: "The capital named is not in the retrieved notes.", source: "phoenix:LLM", time: "2026-11-30T10:31:00.000Z" },
      { id: "U3BhbkFubm90YXRpb246Mg==", traceId: T2, spanId: S2, name: "correctness", label: "correct", source: "phoenix:HUMAN", time: "2026-11-30T10:32:00.000Z" },
    ]);
  });

  it("reads dataframe exports with flattened columns and their own trace ids", async () => {
    const records = await importFeedback(fixture("phoenix-annotations-dataframe.json"), { from: "phoenix", now: () => new Date("2026-12-05T00:00:00Z") });
    expect(records).toEqual([
      { id: `phoenix:${S1}:qa_correctness:`, traceId: T1, spanId: S1, name: "qa_correctness", score: 0, label: "incorrect", explanation: "Expected Paris.", source: "phoenix:CODE", time: "2026-12-05T00:00:00.000Z" },
    ]);
  });

  it("refuses an annotation whose trace cannot be found, naming the row and saying what to pass", async () => {
    const e1 = await rejection(importFeedback(fixture("phoenix-span-annotations.json"), { from: "phoenix" }));
    expect(FeedbackFormatError.isInstance(e1)).toBe(true);
    expect(e1.message).toContain('row 1: field "trace_id": missing — pass { traces }');
    const e2 = await rejection(importFeedback(fixture("phoenix-span-annotations.json"), { from: "phoenix", traces: traces.slice(0, 1) }));
    expect(e2.message).toContain(`row 2: field "trace_id": missing — span ${S2} is in none of the 1 traces given`);
  });
});

describe("importFeedback input", () => {
  it("refuses an unknown source, an unreadable file and a JSON object without rows", async () => {
    await expect(importFeedback(fixture("langfuse-scores.json"), { from: "braintrust" as never })).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e));
    await expect(importFeedback(join(dir, "missing.json"), { from: "langfuse" })).rejects.toSatisfy((e) => StoreAccessError.isInstance(e));
    const e = await rejection(importFeedback(write("obj.json", JSON.stringify({ scores: [] }, null, 2)), { from: "langfuse" }));
    expect(e.message).toContain('without a "data" array');
    // on one line, the same object is a JSON-lines file of one row, and its missing fields are named
    const e2 = await rejection(importFeedback(write("line.jsonl", { scores: [] }), { from: "langfuse" }));
    expect(e2.message).toContain('line.jsonl row 1: field "id"');
  });

  it("imported records can be recorded and read back unchanged", async () => {
    const path = join(dir, "feedback.jsonl");
    const imported = [
      ...(await importFeedback(fixture("langfuse-scores.json"), { from: "langfuse", onWarning: () => undefined })),
      ...(await importFeedback(fixture("langsmith-feedback.jsonl"), { from: "langsmith" })),
    ];
    for (const r of imported) await recordFeedback(r, { path });
    expect(await readFeedback(path)).toEqual(imported);
  });
});

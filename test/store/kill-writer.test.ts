// A writer killed with SIGKILL at any point leaves every acknowledged record readable and at most one torn last
// line, which readTraces reports and skips; a torn line is also reported at each possible cut of a finished file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTraces, streamTraces } from "../../src/index.js";
import { prng } from "../support/prng.js";

const child = fileURLToPath(new URL("./kill-writer.child.ts", import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-kill-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it acknowledged `acks` exports, waits `delayMs` more, kills it; returns the acked span ids. */
function runAndKill(path: string, acks: number, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, path, "3000000"], { stdio: ["ignore", "pipe", "pipe"] });
    const acked: string[] = [];
    let buffered = "";
    let count = 0;
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith("ack ")) continue;
        acked.push(...line.slice(4).split(" "));
        if (++count === acks) setTimeout(() => proc.kill("SIGKILL"), delayMs);
      }
    });
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe("SIGKILL during otlpFileExporter writes", () => {
  it("leaves every acknowledged record readable, at several kill points", { timeout: 120_000 }, async () => {
    let torn = 0;
    for (const [acks, delayMs] of [[1, 0], [2, 3], [3, 7], [4, 1], [5, 12], [6, 5]] as const) {
      const path = join(dir, `kill-${acks}.jsonl`);
      const acked = await runAndKill(path, acks, delayMs);
      expect(acked.length).toBeGreaterThanOrEqual(acks * 2);
      const warnings: string[] = [];
      const traces = await readTraces(path, { onWarning: (w) => warnings.push(w) });
      const found = new Set(traces.flatMap((t) => t.spans.map((s) => s.spanContext().spanId)));
      for (const id of acked) expect(found.has(id), `acknowledged span ${id} is readable`).toBe(true);
      const text = readFileSync(path, "utf8");
      const lines = text.split("\n");
      if (text.endsWith("\n")) {
        expect(warnings).toEqual([]);
      } else {
        torn++;
        expect(warnings).toEqual([`${path}:${lines.length}: torn last line (no newline at the end: a writer was killed while writing it); skipped.`]);
      }
      // every line but a torn last one is a whole document
      for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
    }
    console.log(`kill test: ${torn} of 6 kills cut a line mid-write`);
  });

  it("reports a torn last line at any cut of a finished file and keeps every earlier record", async () => {
    const path = join(dir, "whole.jsonl");
    const acked = await runAndKill(path, 4, 0);
    const whole = readFileSync(path);
    const full = (await readTraces(path, { onWarning: () => undefined })).flatMap((t) => t.spans.map((s) => s.spanContext().spanId));
    expect(full.slice(0, acked.length)).toEqual(acked);
    const lineEnds: number[] = [];
    for (let i = whole.indexOf(10); i !== -1; i = whole.indexOf(10, i + 1)) lineEnds.push(i + 1);
    const random = prng(11);
    for (let k = 0; k < 8; k++) {
      const cutLine = Math.floor(random() * (lineEnds.length - 1)) + 1; // cut inside line cutLine + 1 (1-based)
      const lineStart = lineEnds[cutLine - 1]!;
      const cutAt = lineStart + 1 + Math.floor(random() * (lineEnds[cutLine]! - lineStart - 2));
      writeFileSync(path, whole);
      truncateSync(path, cutAt);
      const warnings: string[] = [];
      const seen: string[] = [];
      for await (const t of streamTraces(path, { onWarning: (w) => warnings.push(w) })) seen.push(...t.spans.map((s) => s.spanContext().spanId));
      expect(warnings).toEqual([`${path}:${cutLine + 1}: torn last line (no newline at the end: a writer was killed while writing it); skipped.`]);
      // each export is one line holding one trace's two spans, in ack order
      expect(seen).toEqual(full.slice(0, cutLine * 2));
    }
  });
});

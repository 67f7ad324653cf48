import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildGraph, param, toOtlpJson, trace, tracedEngine, traceModule } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";
import { runCli } from "./run-cli.js";

/** Two real traced runs of a two-module agent (a scripted stand-in model), written as one OTLP JSON file. */
async function tracedFile() {
  const prompt = param("answer.system", "Answer from the notes.", { role: "system prompt of the answerer" });
  const llm = tracedEngine(new FakeEngine((r) => `Answer: ${r.prompt.slice(0, 40)}`, { model: "stand-in" }));
  const research = traceModule("research", async (q: string) => `Notes on ${q}: water boils at lower temperatures at altitude.`);
  const answer = traceModule("answer", async (notes: string) => (await llm.generate({ system: prompt.value, prompt: notes })).text, { params: [prompt] });
  const runs = [await trace(async () => answer(await research("boiling"))), await trace(async () => answer(await research("freezing")))];
  const dir = mkdtempSync(join(tmpdir(), "tracegrad-cli-graph-"));
  const file = join(dir, "runs.otlp.json");
  writeFileSync(file, JSON.stringify(toOtlpJson(runs.flatMap((r) => r.spans))));
  return { runs, file, dir };
}

describe("tracegrad graph", () => {
  it("prints each trace's graph as a tree, picks one with --trace as JSON, and fails with one line and the right exit code", async () => {
    const { runs, file, dir } = await tracedFile();
    const second = runs[1]!.spans[0]!.spanContext().traceId;
    const [text, json, missing, verbose, usage] = await Promise.all([
      runCli(["graph", file]),
      runCli(["graph", file, "--trace", second, "--json"]),
      runCli(["graph", join(dir, "nope.json")]),
      runCli(["graph", join(dir, "nope.json"), "--verbose"]),
      runCli(["graph", file, "--bogus"]),
    ]);

    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    for (const run of runs) expect(text.stdout).toContain(`trace ${run.spans[0]!.spanContext().traceId}: `);
    // the tree: the LLM call nested under its module, with the edges that feed each node
    const lines = text.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("  module answer  "));
    expect(lines.slice(at + 1, at + 6)).toEqual([
      "    <- llm chat stand-in  [content 0.9]",
      `    llm chat stand-in  "Answer: Notes on boiling: water boils at lower t"`,
      "      <- module research  [explicit 1]",
      "      <- param answer.system  [explicit 1]",
      "      <- input  [content 0.3]",
    ]);
    expect(lines).toContain("  param answer.system  \"Answer from the notes.\"");

    expect(json.code).toBe(0);
    const graphs = JSON.parse(json.stdout) as { traceId: string; nodes: unknown[]; edges: unknown[]; warnings: string[] }[];
    expect(graphs.map((g) => g.traceId)).toEqual([second]);
    const expected = buildGraph(toOtlpJson(runs[1]!.spans));
    expect(graphs[0]!.nodes).toEqual(JSON.parse(JSON.stringify(expected.nodes)));
    expect(graphs[0]!.edges).toEqual(expected.edges);
    expect(graphs[0]!.edges.length).toBeGreaterThan(2);

    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    const errorLines = missing.stderr.trim().split("\n");
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^error: .*nope\.json.*could not be read/);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /); // the stack, only with --verbose

    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option '--bogus'");
  }, 120_000);
});

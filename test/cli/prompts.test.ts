import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { promptRegistry, recordFeedback, toOtlpJson, trace, traceModule } from "../../src/index.js";
import { runCli } from "./run-cli.js";

const PLAN_V1 = "You choose the modules.\nKeep plans short.";
const PLAN_V2 = "You choose the modules.\nKeep plans short. Always search first.";

async function registryDir() {
  const dir = mkdtempSync(join(tmpdir(), "tracegrad-cli-prompts-"));
  const registry = promptRegistry({ dir: join(dir, "prompts") });
  await registry.publish("planner.system", PLAN_V1, { labels: ["production"] });
  await registry.publish("planner.system", PLAN_V2, { labels: ["candidate"], parent: 1, source: { run: "runs/exp1", step: 2 } });
  await registry.publish("solver.system", "Answer the question.", { labels: ["production"] });
  return { dir, registry };
}

describe("tracegrad prompts", () => {
  it("lists, shows, diffs and labels versions in a registry directory; bad references fail with their exit codes", async () => {
    const { dir, registry } = await registryDir();
    const cwd = dir; // --dir defaults to "prompts" in the working directory
    const [list, show, showV2, diff, both, missing] = await Promise.all([
      runCli(["prompts", "list"], { cwd }),
      runCli(["prompts", "show", "planner.system"], { cwd }),
      runCli(["prompts", "show", "planner.system", "--version", "2", "--dir", join(dir, "prompts")]),
      runCli(["prompts", "diff", "planner.system", "production", "candidate"], { cwd }),
      runCli(["prompts", "show", "planner.system", "--version", "2", "--label", "production"], { cwd }),
      runCli(["prompts", "show", "planner.nope"], { cwd }),
    ]);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")).toEqual([
      "planner.system    2 versions  production=v1  candidate=v2  latest=v2",
      "solver.system     1 version   latest=v1  production=v1",
      "",
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^planner\.system v1 {2}\[production\] {2}created \S+\n\n/);
    expect(show.stdout.endsWith(`\n\n${PLAN_V1}\n`)).toBe(true);
    expect(showV2.stdout).toContain('planner.system v2  [candidate, latest]');
    expect(showV2.stdout).toContain('parent v1  source {"run":"runs/exp1","step":2}');
    expect(showV2.stdout.endsWith(`${PLAN_V2}\n`)).toBe(true);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("--- planner.system@v1\t(production)\n+++ planner.system@v2\t(candidate)\n");
    expect(diff.stdout).toContain("-Keep plans short.\n+Keep plans short. Always search first.\n");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("cannot be used with option");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*no prompt named "planner\.nope"/);

    const label = await runCli(["prompts", "label", "planner.system", "production", "2"], { cwd });
    expect(label.code).toBe(0);
    expect(label.stdout).toBe("planner.system: production → v2 (was v1)\n");
    expect((await registry.get("planner.system", { label: "production" })).version).toBe(2);
  }, 120_000);

  it("canary: reads stored traces and feedback, decides, and with --apply moves the label", async () => {
    const { dir, registry } = await registryDir();
    // runs of a traced agent reading the prompt through the registry; a share reads the candidate (by trace id)
    const planner = registry.param("planner.system", { role: "system prompt of the planner", fallback: "plan", canary: { label: "candidate", share: 0.5 } });
    const plan = traceModule("planner", async (q: string) => `${planner.value.length} ${q}`);
    const runs = [];
    for (let i = 0; i < 40; i++) runs.push(await trace(() => plan(`question ${i}`)));
    mkdirSync(join(dir, "traces"));
    writeFileSync(join(dir, "traces", "runs.json"), JSON.stringify(toOtlpJson(runs.flatMap((r) => r.spans))));
    // the candidate's runs are judged right, production's wrong
    let candidateRuns = 0;
    for (const r of runs) {
      const candidate = r.output.startsWith(String(PLAN_V2.length));
      candidateRuns += candidate ? 1 : 0;
      await recordFeedback({ traceId: r.spans[0]!.spanContext().traceId, name: "correct", score: candidate ? 1 : 0 }, { path: join(dir, "feedback.jsonl") });
    }
    expect(candidateRuns).toBeGreaterThan(4);
    expect(candidateRuns).toBeLessThan(36);

    const report = await runCli(["prompts", "canary", "planner.system", "--min-samples", "3"], { cwd: dir });
    expect(report.stderr).toBe("");
    expect(report.code).toBe(0);
    const lines = report.stdout.split("\n");

    expect(lines[0]).toBe("planner.system: promote");
    expect(lines.some((l) => l.startsWith(`  v2 candidate    n=${String(candidateRuns).padStart(4)}  mean 1.000  interval [`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`  v1 production   n=${String(40 - candidateRuns).padStart(4)}  mean 0.000`))).toBe(true);
    expect((await registry.get("planner.system", { label: "production" })).version).toBe(1); // no --apply: nothing moved

    const applied = await runCli(["prompts", "canary", "planner.system", "--min-samples", "3", "--apply"], { cwd: dir });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("applied: production v1 → v2\n");
    expect((await registry.get("planner.system", { label: "production" })).version).toBe(2);
  }, 120_000);
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradientReportSchema } from "../../src/index.js";
import { ROOT, runCli, startCli } from "./run-cli.js";

const from = (path: string) => JSON.stringify(join(ROOT, path));

/** A config module as a user writes one: the offline Chameleon world with the imperfect simulated optimizer. */
function configDir(steps: number, extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "tracegrad-cli-optimize-"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, "tracegrad.config.ts"),
    `import { createChameleon } from ${from("examples/chameleon/agent.ts")};
import { chameleonMetric, splitQuestions } from ${from("examples/chameleon/optimize-demo.ts")};
import { createImperfectChameleonModel } from ${from("examples/chameleon/sim/imperfect-model.ts")};
import { SimulatedChatModel } from ${from("examples/chameleon/simulated-chat-model.ts")};
import { traceChameleon } from ${from("examples/chameleon/traced.ts")};
import { chameleonWorld } from ${from("examples/chameleon/world.ts")};

const split = splitQuestions(7);
const { model } = createImperfectChameleonModel(chameleonWorld, { seed: 7, record: false });
const agent = createChameleon({ model: new SimulatedChatModel(model) });
const params = traceChameleon(agent);

export default {
  agent: (q: (typeof split.train)[number]) => agent.solve(q),
  trainset: split.train.slice(0, 8),
  valset: split.val.slice(0, 8),
  metric: chameleonMetric,
  metricName: "chameleon-exact-option",
  parameters: Object.values(params),
  engine: model,
  steps: ${steps},
  batchSize: 2,
  seed: 7,${extra}
};
`,
  );
  return dir;
}

describe("tracegrad optimize", () => {
  it("an invalid config is a usage error naming the field (exit 2), before anything runs", async () => {
    const dir = configDir(-1);
    const bad = await runCli(["optimize", "--config", "tracegrad.config.ts"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^error: config tracegrad\.config\.ts: steps must be at least 0 \(got -1\)\.$/);
    expect(existsSync(join(dir, ".tracegrad"))).toBe(false);
  }, 120_000);

  it("shows progress lines off a TTY; Ctrl-C stops after a decided step, writes the partial report and prints the resume command; running it again resumes and writes the report", async () => {
    const dir = configDir(8); // enough steps left that Ctrl-C lands before the end
    const first = startCli(["optimize"], { cwd: dir });
    // Ctrl-C as soon as the first step is decided
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/^step 1: /m.test(first.stdout())) {
          clearInterval(timer);
          first.child.kill("SIGINT");
          resolve();
        }
      }, 50);
      void first.done.then(() => (clearInterval(timer), reject(new Error(`ended before step 1:\n${first.stdout()}`))));
    });
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^step 0\/8 \| baseline \| 0 calls \| 0 tokens \| n\/a \| best n\/a \| ETA n\/a$/m);
    expect(stopped.stdout).toMatch(/^step 1\/8 \| decided \| \d+ calls \| [\d,]+ tokens \| n\/a \| best 0\.\d{3} \| ETA \d+s$/m);
    expect(stopped.stdout).toContain("Ctrl-C: stopping after the current step is decided");
    const at = /stopped after step (\d) \(decided and saved in \.tracegrad\/runs\/tracegrad\)\.\nresume with: tracegrad optimize --config tracegrad\.config\.ts\n$/.exec(stopped.stdout);
    expect(at).not.toBeNull();
    const decided = Number(at![1]);
    expect(decided).toBeGreaterThanOrEqual(1);
    expect(decided).toBeLessThan(8);
    // optimize() returned at the abort: the summary and the partial run's report are there
    expect(stopped.stdout).toMatch(new RegExp(`^validation score: 0\\.\\d{3} baseline -> 0\\.\\d{3} best \\(\\d of ${decided} steps? accepted; stopped: stopped by the signal before step ${decided + 1} \\(${decided} steps? decided\\); the same checkpointDir resumes\\)$`, "m"));
    const partial = gradientReportSchema.parse(JSON.parse(readFileSync(join(dir, ".tracegrad/runs/tracegrad/report.json"), "utf8")));
    expect(partial.run.steps).toHaveLength(decided);

    const resumed = await runCli(["optimize", "--config", "tracegrad.config.ts"], { cwd: dir });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming after ${decided} decided step${decided === 1 ? "" : "s"}\n`);
    // decided steps are not redone: only the remaining ones are reported here
    for (let s = 1; s <= 8; s++) expect(resumed.stdout.includes(`\nstep ${s}: `)).toBe(s > decided);
    expect(resumed.stdout).toMatch(/^validation score: 0\.\d{3} baseline -> 0\.\d{3} best \(\d of 8 steps accepted; stopped: steps\)$/m);

    const reportJson = JSON.parse(readFileSync(join(dir, ".tracegrad/runs/tracegrad/report.json"), "utf8"));
    const report = gradientReportSchema.parse(reportJson);
    expect(report.run.kind).toBe("optimize");
    expect(report.run.steps).toHaveLength(8);

    const html = await runCli(["report", ".tracegrad/runs/tracegrad", "-o", "report.html"], { cwd: dir });
    expect(html.code).toBe(0);
    expect(html.stdout).toBe(`wrote report.html (optimize report: ${report.nodes.length} nodes, 8 steps)\n`);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toMatch(/^<!doctype html>/i);
  }, 240_000);

  it("runs a config that optimizes from stored traces and feedback, and prints what it published", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracegrad-cli-traces-"));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    // production: an answerer reading a registry prompt, exported to JSON lines, a thumbs-down on each unitless answer
    const lib = await import("../../src/index.js");
    const { SimpleSpanProcessor, TracerProvider } = await import("@opentelemetry/sdk-trace");
    const registry = lib.promptRegistry({ dir: join(dir, "prompts") });
    await registry.publish("answer.system", "Answer the question.", { labels: ["production"] });
    const prompt = registry.param("answer.system", { role: "system prompt of the answerer", fallback: "Answer the question." });
    const llm = lib.tracedEngine({ generate: async (r) => ({ text: /unit/i.test(r.system ?? "") ? "465 km" : "465" }) });
    const answer = lib.traceModule("answer", async (q: string) => (await llm.generate({ system: prompt.value, prompt: q })).text);
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: lib.otlpFileExporter({ path: join(dir, "traces", "traces.jsonl") }) }), lib.tracegradSpanProcessor()] });
    for (const q of ["How far is Lyon?", "How far is Nice?", "How far is Lille?", "How far is Brest?"]) {
      const run = await lib.trace(() => answer(q), { tracer: provider.getTracer("prod") });
      await lib.recordFeedback({ traceId: run.traceId, name: "user_thumbs", score: 0, explanation: "A distance needs its unit." }, { path: join(dir, "feedback.jsonl") });
    }
    await provider.shutdown();
    writeFileSync(
      join(dir, "prod.config.ts"),
      `import { promptRegistry, readFeedback, readTraces } from ${from("src/index.ts")};
import { formatUpdate, pairwiseJudgeRule, SimulatedModel, textgradRule } from ${from("src/testing/index.ts")};

export default {
  traces: await readTraces("traces"),
  feedback: await readFeedback("feedback.jsonl"),
  registry: promptRegistry({ dir: "prompts" }),
  // stand-ins (not LLMs): tracegrad's engine with the judge, and the agent's model
  engine: new SimulatedModel([
    textgradRule("backward", () => "Ask for units."),
    textgradRule("optimizer", (r) => formatUpdate(r.variable + " Always give the unit.", r.tags)),
    pairwiseJudgeRule((r) => (/km/.test(r.steps[0].a) ? "A" : /km/.test(r.steps[0].b) ? "B" : "TIE")),
  ]),
  agentEngine: { generate: async (r) => ({ text: /unit/i.test(r.system ?? "") ? "465 km" : "465" }) },
  steps: 1,
  batchSize: 2,
};
`,
    );
    const out = await runCli(["optimize", "--config", "prod.config.ts"], { cwd: dir });
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^validation score: 0\.500 baseline -> 1\.000 best \(1 of 1 steps accepted; stopped: steps\)$/m);
    expect(out.stdout).toContain("published: answer.system v2 (candidate, from v1)\n");
    expect((await registry.get("answer.system", { label: "candidate" })).text).toBe("Answer the question. Always give the unit.");
  }, 120_000);
});

/**
 * Benchmark: what tracing costs. Prints figures; not a test.
 *
 *   npx tsx bench/tracing.ts
 *   npx tsx --expose-gc bench/tracing.ts     (graph timings then start from a collected heap)
 *   npx tsx bench/tracing.ts 3 4             (only sections 3 and 4)
 *   npx tsx bench/tracing.ts 3 4 --before=../old-checkout   (§3 and §4 also time that checkout's buildGraph)
 *   npm run build && npx tsx bench/tracing.ts 3 4 --built   (§3 and §4 time the compiled package in dist/, as users
 *                                                            run it; with --before, that checkout's dist/ too)
 *
 * 1. Per traced module call: the same agent run untraced and inside a capture, many iterations, same process.
 * 2. Per LangChain run (prompt | fake chat model), with and without the tracegrad callback handler, if the adapter
 *    is present.
 * 3. buildGraph of one small run (4 spans: the run, a module, its model call and a tool): the fixed cost per graph.
 *    Measured before §4, whose 100k-span graphs leave a large heap behind.
 * 4. Spans → graph for 1k / 10k / 100k real tracegrad spans (modules, LLM calls with GenAI messages, tools):
 *    readCalls alone, then the whole buildGraph, with µs per span and the growth ratios.
 *
 * Under tsx, §3 and §4 run TypeScript as tsx compiles it, with esbuild's keepNames: every function a build creates
 * (closures included) is also named through Object.defineProperty, which the published package (tsc output) does not
 * do; --built measures that package.
 *
 * Targets (issue #9): §2 tracegrad's part ≤ 20 µs per span; §3 ≤ 15 µs; §4 ≤ 20 µs per span at 100k spans, linear.
 * Figures before #9 (349e14d, same machine): §2 19–21 µs/span (24.8 with the earlier timing method); §3 55.7 µs;
 * §4 56 / 107 / 1,273 µs/span at 1k / 10k / 100k. With --before, §3 and §4 measure the previous code beside this one.
 */
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import type { SpanLike } from "../src/trace/span-like.js";
import type { ModuleCall } from "../src/trace/module-call.js";
import { existsSync } from "node:fs";
import { buildGraph as buildGraphTs } from "../src/trace/build-graph.js";
import { createCapture, withCapture } from "../src/trace/capture.js";
import { ensureContextManager } from "../src/trace/context-manager.js";
import { createPrivateTracer } from "../src/trace/private-tracer.js";
import { param } from "../src/trace/param.js";
import { readCalls as readCallsTs } from "../src/trace/read-calls.js";
import { trace } from "../src/trace/run-trace.js";
import { traceModule } from "../src/trace/trace-module.js";
import { tracedEngine } from "../src/trace/traced-engine.js";

const args = process.argv.slice(2);
/** `--built`: §3 and §4 time the compiled package (dist/, from `npm run build`) instead of the TypeScript sources. */
const built = args.includes("--built");
type BuildGraph = (input: readonly SpanLike[] | readonly ModuleCall[]) => unknown;
type ReadCalls = (spans: readonly SpanLike[]) => unknown;

/** buildGraph and readCalls of a checkout: its sources, or with --built its dist/ (an error says how to make it). */
async function graphCode(dir: string): Promise<{ buildGraph: BuildGraph; readCalls: ReadCalls }> {
  const file = (name: string) => resolve(dir, built ? `dist/src/trace/${name}.js` : `src/trace/${name}.ts`);
  if (!existsSync(file("build-graph"))) throw new Error(`${file("build-graph")} does not exist${built ? `: run \`npm run build\` in ${dir} first` : ""}`);
  const graph = (await import(pathToFileURL(file("build-graph")).href)) as { buildGraph: BuildGraph };
  const read = (await import(pathToFileURL(file("read-calls")).href)) as { readCalls: ReadCalls };
  return { buildGraph: graph.buildGraph, readCalls: read.readCalls };
}

const here = resolve(import.meta.dirname, "..");
const { buildGraph, readCalls } = built ? await graphCode(here) : { buildGraph: buildGraphTs as BuildGraph, readCalls: readCallsTs as ReadCalls };

// what trace() sets up per run, made once here: the bench measures the calls, not the setup
ensureContextManager();
const tracer = createPrivateTracer();

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

/** Mean of the middle 80% of `values`. */
function trimmedMean(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 10);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, v) => sum + v, 0) / kept.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** With `--expose-gc`, start each graph timing from a clean heap, so one size's garbage is not billed to the next. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

/** The fastest of `rounds` builds of `input` (ms), each from a collected heap. */
function bestBuild(build: BuildGraph, input: readonly SpanLike[] | readonly ModuleCall[], rounds: number): number {
  let ms = Infinity;
  for (let r = 0; r < rounds; r++) {
    collectGarbage();
    const t0 = performance.now();
    build(input);
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

/** Mean time per iteration of `fn` (ms), after warm-up; the best of `rounds` rounds, to dampen GC and JIT noise. */
async function timeIt(fn: () => unknown, iterations: number, rounds = 5, warmup = Math.min(iterations, 200)): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    best = Math.min(best, (performance.now() - t0) / iterations);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. traced module calls

const CALLS_PER_RUN = 20;
const prompt = param("bench.system", "You are a careful step.", { role: "system prompt of a bench step" });
const rawStep = (text: string, i: number) => `${text.slice(0, 40)} | step ${i}: ${prompt.value.length}`;
const rawAsync = async (text: string, i: number) => rawStep(text, i);
const syncStep = traceModule("syncStep", rawStep, { params: [prompt], role: "a step's note" });
const asyncStep = traceModule("asyncStep", rawAsync, { params: [prompt], role: "a step's note" });

function syncAgent(step: (t: string, i: number) => string): string {
  let text = "What is the capital of France? Think it through.";
  for (let i = 0; i < CALLS_PER_RUN; i++) text = step(text, i);
  return text;
}
async function asyncAgent(step: (t: string, i: number) => Promise<string>): Promise<string> {
  let text = "What is the capital of France? Think it through.";
  for (let i = 0; i < CALLS_PER_RUN; i++) text = await step(text, i);
  return text;
}

async function moduleOverhead(): Promise<void> {
  const runs = 2_000;
  const us = (ms: number) => (ms * 1e3) / CALLS_PER_RUN;
  const rows: [string, number, number, number][] = [];
  const cases: [string, () => unknown, () => unknown][] = [
    ["sync module", () => syncAgent(rawStep), () => syncAgent(syncStep)],
    ["async module", () => asyncAgent(rawAsync), () => asyncAgent(asyncStep)],
  ];
  for (const [label, raw, wrapped] of cases) {
    const plain = await timeIt(raw, runs);
    const outside = await timeIt(wrapped, runs);
    // captured exactly as inside trace(), without building a graph per run (measured separately below)
    const inside = await timeIt(() => withCapture(createCapture({ tracer }), wrapped), runs);
    rows.push([label, us(plain), us(outside), us(inside)]);
  }
  console.log(`\n1. traced module calls (${runs} runs × ${CALLS_PER_RUN} calls, best of 5; one span per call)`);
  console.log("                  plain µs/call   wrapped, untraced   traced µs/call   overhead µs/call (= µs/span)");
  for (const [label, plain, outside, inside] of rows) {
    console.log(`  ${label.padEnd(14)} ${fmt(plain, 2)}        ${fmt(outside, 2)} (+${(outside - plain).toFixed(2)})   ${fmt(inside, 2)}        ${fmt(inside - plain, 2)}`);
  }
  const whole = await timeIt(() => trace(() => asyncAgent(asyncStep)), 300, 3);
  console.log(`  whole trace() of the async agent, incl. root span and buildGraph: ${(whole * 1e3).toFixed(0)} µs/run (${CALLS_PER_RUN + 1} spans)`);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. LangChain runs

async function langChainOverhead(): Promise<void> {
  let adapter: { tracegradCallbacks: () => unknown } | undefined;
  try {
    adapter = (await import("../adapters/langchain/index.js")) as unknown as typeof adapter;
  } catch (error) {
    console.log(`\n2. LangChain runs: skipped — the adapter (adapters/langchain) could not be loaded (${(error as Error).message}).`);
    return;
  }
  const { ChatPromptTemplate } = await import("@langchain/core/prompts");
  const { FakeListChatModel } = await import("@langchain/core/utils/testing");
  const chain = ChatPromptTemplate.fromMessages([
    ["system", "You answer in one word."],
    ["human", "{question}"],
  ]).pipe(new FakeListChatModel({ responses: ["Paris"] }));
  const input = { question: "Capital of France?" };
  const runs = 500;
  const plain = await timeIt(() => chain.invoke(input), runs);
  // LangChain's own cost of having any awaited tracer attached, measured with one that records nothing
  const { BaseTracer } = await import("@langchain/core/tracers/base");
  class NoopTracer extends BaseTracer {
    name = "noop";
    constructor() {
      super({ _awaitHandler: true });
    }
    protected override persistRun(): Promise<void> {
      return Promise.resolve();
    }
  }
  const handler = () => ({ callbacks: [adapter!.tracegradCallbacks()] as never });
  let spans = 0;
  const tracedRun = async () => {
    const capture = createCapture({ tracer });
    await withCapture(capture, () => chain.invoke(input, handler()));
    spans = capture.spans.length;
  };
  // steady state: a long warm-up (LangChain's callback paths take thousands of runs to compile); then each traced run is
  // timed right after a run with the no-op tracer, and tracegrad's part is taken from those pairs' differences: their
  // 10%-trimmed mean, so a run preempted by another process does not decide the figure (timing the two variants in
  // separate stretches of 500 runs swung it between 16 and 59 µs/span on a loaded 2-core machine)
  const noopRun = () => chain.invoke(input, { callbacks: [new NoopTracer()] });
  for (let i = 0; i < 3_000; i++) {
    await noopRun();
    await tracedRun();
  }
  const pairs = 4_500;
  const noopMs: number[] = [];
  const tracedMs: number[] = [];
  const diffs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let t0 = performance.now();
    await noopRun();
    const a = performance.now() - t0;
    t0 = performance.now();
    await tracedRun();
    const b = performance.now() - t0;
    noopMs.push(a);
    tracedMs.push(b);
    diffs.push(b - a);
  }
  const noop = trimmedMean(noopMs);
  const traced = trimmedMean(tracedMs);
  const part = trimmedMean(diffs);
  console.log(`\n2. LangChain runs (prompt | FakeListChatModel; ${pairs} traced runs each timed right after a no-op-tracer run, after a 3,000-pair warm-up; 10%-trimmed means)`);
  const perSpan = (ms: number) => fmt((ms * 1e3) / Math.max(spans, 1), 1);
  console.log(`  untraced ${fmt(plain * 1e3, 0)} µs/run   traced ${fmt(traced * 1e3, 0)} µs/run   overhead ${fmt((traced - plain) * 1e3, 0)} µs/run = ${perSpan(traced - plain)} µs/span (${spans} spans/run)`);
  console.log(`  of which LangChain's own tracer machinery (a BaseTracer that records nothing): ${fmt((noop - plain) * 1e3, 0)} µs/run = ${perSpan(noop - plain)} µs/span`);
  console.log(`  tracegrad's part (spans, attributes, capture): ${fmt(part * 1e3, 0)} µs/run = ${perSpan(part)} µs/span (median pair: ${perSpan(median(diffs)).trim()} µs/span)`);
  // the adapter's code path did not change in #9: 349e14d's figure is its own, measured the same way
  console.log("  before #9 (349e14d, this method, same minutes on 2026-12-06): 19–21 µs/span (24.8 with the earlier two-stretch timing); target ≤ 20 µs/span");
}

// ---------------------------------------------------------------------------------------------------------------
// 4. spans → graph

/** Replies either open with a distinct token, or all open with the same boilerplate (as real model replies often do). */
let sharedOpening = false;
let replies = 0;
const engine = tracedEngine({
  model: "bench-model",
  generate: async (r) => {
    const opening = sharedOpening ? "Sure! Here is what I found for you:" : `#${++replies}`;
    return { text: `${opening} ${r.prompt.length} chars, ending ${r.prompt.slice(-60)}`, usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } };
  },
});
const plan = traceModule("plan", async (q: string) => (await engine.generate({ system: prompt.value, prompt: `Plan for ${q}` })).text, { params: [prompt] });
const lookup = traceModule("lookup", (p: string) => `facts(${p.length}) for ${p.slice(-30)}`, { kind: "tool" });
const answer = traceModule("answer", async (p: string, facts: string) => (await engine.generate({ prompt: `${p}\n${facts}` })).text);

/** Real spans from `episodes` agent episodes of 5 spans each (plan → llm, lookup, answer → llm), in one capture. */
async function recordSpans(episodes: number): Promise<ReadableSpan[]> {
  const capture = createCapture({ tracer });
  await withCapture(capture, async () => {
    for (let i = 0; i < episodes; i++) {
      const p = await plan(`question number ${i} about topic ${i * 7919}`);
      await answer(p, lookup(p));
    }
  });
  return capture.spans;
}

async function graphScaling(label: string, sizes: readonly number[]): Promise<void> {
  console.log(`  ${label}`);
  console.log(`        spans   readCalls µs/span   buildGraph total ms   buildGraph µs/span${before ? "   before: total ms   µs/span" : ""}`);
  const results: { read: number; build: number }[] = [];
  const warm = await recordSpans(200); // JIT warm-up, so the first size is not billed for compilation
  for (let i = 0; i < 5; i++) {
    buildGraph(warm);
    before?.buildGraph(warm);
  }
  for (const n of sizes) {
    const spans = await recordSpans(n / 5);
    const rounds = n >= 100_000 ? 2 : 3;
    let read = Infinity;
    let build = Infinity;
    let old = Infinity;
    for (let r = 0; r < rounds; r++) {
      collectGarbage();
      let t0 = performance.now();
      readCalls(spans);
      read = Math.min(read, performance.now() - t0);
      collectGarbage();
      t0 = performance.now();
      buildGraph(spans);
      build = Math.min(build, performance.now() - t0);
      // the previous code, same spans, same minute (once at 100k: before #9 it took minutes there)
      if (before && (r === 0 || n < 100_000)) {
        collectGarbage();
        t0 = performance.now();
        before.buildGraph(spans);
        old = Math.min(old, performance.now() - t0);
      }
    }
    results.push({ read, build });
    const then = before ? `   ${fmt(old, 0)}           ${fmt((old * 1e3) / n, 2)}` : "";
    console.log(`    ${String(n).padStart(9)}   ${fmt((read * 1e3) / n, 2)}            ${fmt(build, 0)}              ${fmt((build * 1e3) / n, 2)}${then}`);
  }
  const growth = (key: "read" | "build") => results.slice(1).map((r, i) => `${(r[key] / results[i]![key]).toFixed(1)}×`).join(" / ");
  console.log(`    growth per ×10 spans: readCalls ${growth("read")}, buildGraph ${growth("build")} (linear = 10×)`);
}

/**
 * Calls that each start a trace of their own inside one root's time range, as AI SDK telemetry records them when no
 * OTel context manager is registered; graph building stitches them back into the root's trace.
 */
function splitTraceCalls(n: number): ModuleCall[] {
  const call = (spanId: string, traceId: string, startTime: number, endTime: number, input: string, output: string) =>
    ({ spanId, traceId, name: spanId === "root" ? "ai.generateText" : "tool", kind: spanId === "root" ? "module" : "tool", dialect: "vercel", startTime, endTime, input, output, params: [], inputRefs: [], attributes: {} }) as unknown as ModuleCall;
  const calls = [call("root", "t-root", 0, n * 10 + 10, "question", "answer")];
  for (let i = 0; i < n; i++) calls.push(call(`s${i}`, `t${i}`, i * 10 + 1, i * 10 + 5, `input ${i}`, `output ${i}`));
  return calls;
}

async function splitTraces(sizes: readonly number[]): Promise<void> {
  console.log("  calls in traces of their own (no context manager), read as ModuleCall records");
  console.log(`        calls   buildGraph µs/call${before ? "   before µs/call" : ""}`);
  const warm = splitTraceCalls(200); // JIT warm-up of this path, for both builds
  for (let i = 0; i < 5; i++) {
    buildGraph(warm);
    before?.buildGraph(warm);
  }
  for (const n of sizes) {
    const calls = splitTraceCalls(n);
    const rounds = n >= 100_000 ? 1 : 3;
    const ms = bestBuild(buildGraph, calls, rounds);
    // quadratic before #9: 10 s at 20k calls, minutes at 100k
    const old = before && n <= 10_000 ? `         ${fmt((bestBuild(before.buildGraph, calls, rounds) * 1e3) / n, 1)}` : "";
    console.log(`    ${String(n).padStart(9)}   ${fmt((ms * 1e3) / n, 1)}${old}`);
  }
}

const planner = traceModule("planner", (q: string) => `["search", "answer"] for ${q}`, { kind: "planner", modules: ["search", "answer", "calculator"] });
const search = traceModule("search", (q: string) => `results for ${q}`, { kind: "tool" });
const respond = traceModule("answer", (q: string, r: string) => `answer to ${q} from ${r}`);

/**
 * A synchronous planner agent run without a root span: each top-level call (planner, search, answer) is a trace of its
 * own. Before 8c21cb4, call-tree order scanned all earlier top-level calls of every trace for each planner call.
 */
async function rootlessPlans(sizes: readonly number[]): Promise<void> {
  console.log("  planner episodes without a root span (each top-level call a trace of its own)");
  console.log(`        spans   buildGraph µs/span${before ? "   before µs/span" : ""}`);
  for (const n of sizes) {
    const capture = createCapture({ tracer });
    await withCapture(capture, () => {
      for (let i = 0; i < n / 3; i++) {
        const q = `question ${i}`;
        planner(q);
        respond(q, search(q));
      }
    });
    const spans = capture.spans;
    buildGraph(spans); // warm-up
    const ms = bestBuild(buildGraph, spans, 2);
    const old = before && n <= 10_000 ? `         ${fmt((bestBuild(before.buildGraph, spans, 1) * 1e3) / spans.length, 1)}` : "";
    console.log(`    ${String(spans.length).padStart(9)}   ${fmt((ms * 1e3) / spans.length, 1)}${old}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. one small graph

async function smallGraph(): Promise<void> {
  const tool = traceModule("lookup", (q: string) => `facts about ${q}`, { kind: "tool" });
  const agent = traceModule("agent", async (q: string) => (await engine.generate({ system: prompt.value, prompt: `${q}\n${tool(q)}` })).text, { params: [prompt] });
  const run = await trace(() => agent("What is the capital of France?"));
  const spans = run.spans;
  const iterations = 1_000;
  let ms = Infinity;
  let old = Infinity;
  // with --before, the two builds alternate in batches, so machine load hits both alike
  for (let round = 0; round < 15; round++) {
    ms = Math.min(ms, await timeIt(() => buildGraph(spans), iterations, 1, round === 0 ? 5_000 : 200));
    if (before) old = Math.min(old, await timeIt(() => before!.buildGraph(spans), iterations, 1, round === 0 ? 5_000 : 200));
  }
  console.log(`\n3. buildGraph of one small run (${spans.length} spans: run, module, model call, tool; best of 15 × ${iterations} builds)`);
  const then = before ? `before (${before.label}), same run: ${fmt(old * 1e3, 1).trim()} µs` : "before #9 (349e14d): 55.7 µs";
  console.log(`  ${fmt(ms * 1e3, 1)} µs per graph   (${then}; target ≤ 15 µs)`);
}

const sections = new Set(args.filter((a) => /^\d+$/.test(a)).map(Number));
/** `--before=DIR`: a checkout of the previous code (e.g. `git worktree add DIR 349e14d`), timed beside this one. */
const beforeDir = args.find((a) => a.startsWith("--before="))?.slice("--before=".length);
const before: { buildGraph: BuildGraph; label: string } | undefined = beforeDir ? { buildGraph: (await graphCode(resolve(beforeDir))).buildGraph, label: beforeDir } : undefined;
const wanted = (n: number) => sections.size === 0 || sections.has(n);
console.log(`tracegrad tracing benchmark — Node ${process.version}, ${new Date().toISOString()}; §3–4 time ${built ? "the compiled package (dist/)" : "the TypeScript sources under tsx"}`);
if (wanted(1)) await moduleOverhead();
if (wanted(2)) await langChainOverhead();
if (wanted(3)) await smallGraph();
if (wanted(4)) {
  console.log("\n4. spans → graph (real tracegrad spans: modules, a tool, LLM calls with GenAI JSON messages; one capture)");
  await graphScaling("replies with distinct openings", [1_000, 10_000, 100_000]);
  sharedOpening = true;
  await graphScaling("replies that all open with the same 35-char boilerplate", [1_000, 10_000]);
  sharedOpening = false;
  await splitTraces([1_000, 10_000, 100_000]);
  await rootlessPlans([1_000, 10_000, 30_000]);
  console.log("  before #9 (349e14d): 56 / 107 / 1,273 µs per span (distinct), 314 / 550 (boilerplate); target ≤ 20 µs per span, linear");
}

/**
 * Benchmark: one prompt-optimization step (forward over a batch, string metric, sum, backward, TGD step) against the
 * local OpenAI-compatible stub server at 100 ms per call. Real ChatOpenAI over real HTTP; nothing leaves 127.0.0.1.
 * Prints figures; not a test.
 * 1. B=8, strictly sequential vs the default concurrency: same prompts, how much faster.
 * 2. B=4 / 8 / 32, the default (one backward call per node, feedback reduced before the update) vs TextGrad-exact
 *    (`feedback: "per-input"`, `update: "textgrad"`): update-prompt size, calls, tokens, wall — and whether every
 *    distinct piece of feedback still reached the optimizer.
 *
 *   npx tsx bench/backward.ts
 */
import { ChatOpenAI } from "@langchain/openai";
import { Variable } from "../src/core/variable.js";
import { LLMCall } from "../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../src/core/functions/string-based-function.js";
import { sum } from "../src/core/functions/sum.js";
import { TGD, type Proposal } from "../src/optim/tgd.js";
import { chatModelEngine } from "../src/engine/chat-model-engine.js";
import { createLimiter } from "../src/engine/limiter.js";
import type { EngineRequest } from "../src/engine/types.js";
import { withUsage } from "../src/engine/usage.js";
import { extractAllTagged, extractTagged } from "../src/prompts/tags.js";
import { renderPointsReduceSystemPrompt } from "../src/prompts/feedback-points.js";
import { startStubServer, type StubRequest } from "../src/testing/stub-server.js";

const BATCH = 8;
const LATENCY_MS = 100;
const SOLVER = "You solve arithmetic word problems. Think step by step.";
const FINALIZER = "Rewrite the draft as a final answer of the form 'Answer: <number>'.";

const REDUCE = renderPointsReduceSystemPrompt();

/**
 * A deterministic stand-in model: its reply depends only on the request, so both runs get the same replies. Backward
 * feedback on the solver's prompt is worded per sample ("… (seen for: <question>)"), so no two pieces are equal; the
 * reducer merges pieces that make the same point, citing every piece, as a good model would.
 */
function reply(request: StubRequest): string {
  const system = request.system ?? "";
  if (/IMPROVED_VARIABLE/.test(system)) return `<IMPROVED_VARIABLE>${SOLVER} End with the number alone.</IMPROVED_VARIABLE>`;
  if (system === REDUCE) return reduceReply(request.prompt);
  const role = extractTagged(request.prompt, "ROLE");
  if (role !== undefined) return `The ${role} should make the final number explicit (seen for: ${extractTagged(request.prompt, "LM_INPUT") ?? "the metric"}).`;
  if (system === SOLVER) return `Draft: working through "${request.prompt}" gives roughly ${request.prompt.length}.`;
  return `Answer: about ${request.prompt.length}`;
}

function reduceReply(prompt: string): string {
  const groups = new Map<string, number[]>();
  extractAllTagged(prompt, "FEEDBACK").forEach((text, i) => {
    const point = text.replace(/\s*\(seen for:[\s\S]*\)\.?$/, "");
    groups.set(point, [...(groups.get(point) ?? []), i + 1]);
  });
  return [...groups].map(([point, ns]) => `<POINT from="${ns.join(", ")}">\n${point}\n</POINT>`).join("\n");
}

/** Which backward and update behaviour a run uses. */
type Mode = "default" | "textgrad-exact";

interface RunResult {
  readonly calls: number;
  readonly tokens: number;
  readonly ms: number;
  /** As received by the server, in arrival order. */
  readonly requests: StubRequest[];
  /** As issued by tracegrad, in call order. */
  readonly issued: StubRequest[];
  /** The step's proposal for the solver's prompt. */
  readonly proposal: Proposal | undefined;
  /** The feedback texts the solver's prompt received. */
  readonly feedback: readonly string[];
}

async function run(concurrency: number | undefined, batchSize = BATCH, mode: Mode = "default"): Promise<RunResult> {
  const stub = await startStubServer({ reply, latencyMs: LATENCY_MS });
  try {
    const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
    const base = withUsage(chatModelEngine(model));
    const issued: StubRequest[] = [];
    const engine = {
      model: base.model,
      usage: base.usage,
      generate: (request: EngineRequest) => {
        issued.push({ path: "", body: undefined, model: "", messages: [], prompt: request.prompt, tools: [], stream: false, ...(request.system === undefined ? {} : { system: request.system }) });
        return base.generate(request);
      },
    };
    const limits = concurrency === undefined ? {} : { concurrency };
    const system = new Variable(SOLVER, { role: "system prompt of the solver", requiresGrad: true });
    const solver = new LLMCall({ engine, systemPrompt: system });
    const finalizer = new LLMCall({ engine, systemPrompt: FINALIZER });
    const metric = new StringBasedFunction({
      purpose: "exact match of the final answer with the ground truth",
      fn: ({ prediction, truth }) => Number(prediction!.value.trim() === `Answer: ${truth!.value}`),
    });
    const samples = Array.from({ length: batchSize }, (_, i) => ({
      question: new Variable(`Sam has ${i + 2} bags of ${i + 3} apples. How many apples?`, { role: "question" }),
      truth: new Variable(String((i + 2) * (i + 3)), { role: "ground truth" }),
    }));

    const started = performance.now();
    // Forward layer by layer (every sample's first call, then every second call): as concurrent as per-sample chains
    // here, but the calls are issued in sample order whatever order the replies come back in, so both runs send
    // every kind of call in the same order.
    const limit = createLimiter(concurrency ?? 8);
    const drafts = await Promise.all(samples.map((s) => limit(() => solver.forward(s.question, { role: "draft solution" }))));
    const predictions = await Promise.all(drafts.map((d) => limit(() => finalizer.forward(d, { role: "final answer" }))));
    const losses = predictions.map((prediction, i) => metric.forward({ prediction, truth: samples[i]!.truth }));
    const exact = mode === "textgrad-exact";
    await sum(losses).backward({ engine, ...limits, ...(exact ? { feedback: "per-input" as const } : {}) });
    const feedback = system.gradients.map((g) => g.text);
    const [proposal] = await new TGD({ parameters: [system], engine, ...limits, ...(exact ? { update: "textgrad" as const } : {}) }).step();
    const ms = performance.now() - started;
    return { calls: base.usage.calls, tokens: base.usage.totalTokens, ms, requests: [...stub.requests], issued, proposal, feedback };
  } finally {
    await stub.close();
  }
}

const key = (r: StubRequest) => `${r.system ?? ""}\n---\n${r.prompt}`;
const kindOf = (r: StubRequest) =>
  /IMPROVED_VARIABLE/.test(r.system ?? "") ? "optimizer" : extractTagged(r.prompt, "ROLE") !== undefined ? `backward ${extractTagged(r.prompt, "ROLE")}` : `forward ${r.system}`;
function sameMultiset(a: StubRequest[], b: StubRequest[]): boolean {
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
}
/** The kinds of call (forward per system prompt, backward per ROLE, optimizer) whose prompts came in a different order. */
function kindsOutOfOrder(a: StubRequest[], b: StubRequest[]): string[] {
  const group = (rs: StubRequest[]) => {
    const m = new Map<string, string[]>();
    for (const r of rs) m.set(kindOf(r), [...(m.get(kindOf(r)) ?? []), key(r)]);
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  const kinds = [...new Set([...ga.keys(), ...gb.keys()])];
  return kinds.filter((k) => JSON.stringify(ga.get(k)) !== JSON.stringify(gb.get(k))).map((k) => k.slice(0, 50));
}
const verdict = (kinds: string[]) => (kinds.length === 0 ? "true" : `false (${kinds.join("; ")})`);

/** True when every piece of feedback is cited by a point whose text is in the update prompt (or appears there itself). */
function everyPointReached(r: RunResult): boolean {
  const update = r.issued.find((x) => /IMPROVED_VARIABLE/.test(x.system ?? ""))?.prompt ?? "";
  const points = r.proposal?.feedback?.points ?? [];
  return r.feedback.every((text, i) => update.includes(text) || points.some((p) => p.items.includes(i) && update.includes(p.text)));
}

const sequential = await run(1);
const concurrent = await run(undefined);
const row = (name: string, r: RunResult) => `${name.padEnd(22)} calls ${String(r.calls).padStart(3)}   tokens ${String(r.tokens).padStart(6)}   wall ${r.ms.toFixed(0).padStart(5)} ms`;
console.log(`prompt-optimization step: B=${BATCH}, 2 LLM calls per sample, string metric, sum, TGD; stub latency ${LATENCY_MS} ms`);
console.log(`expected calls: forward ${2 * BATCH} + backward ${3 * BATCH} + step 1 = ${5 * BATCH + 1}`);
console.log(row("concurrency 1", sequential));
console.log(row("default concurrency", concurrent));
console.log(`speed-up: ${(sequential.ms / concurrent.ms).toFixed(1)}x`);
console.log(`identical prompts received by the server (multiset): ${sameMultiset(sequential.requests, concurrent.requests)}`);
console.log(`identical prompts received by the server (order within each kind of call): ${verdict(kindsOutOfOrder(sequential.requests, concurrent.requests))}`);
console.log(`identical prompts issued by tracegrad (order within each kind of call): ${verdict(kindsOutOfOrder(sequential.issued, concurrent.issued))}`);

console.log("");
console.log(`prompt-optimization step by batch size: default (per-node backward, reduce before update) vs TextGrad-exact (feedback: "per-input", update: "textgrad"); stub latency ${LATENCY_MS} ms, default concurrency`);
const rows: Array<{ b: number; mode: Mode; r: RunResult }> = [];
for (const b of [4, 8, 32]) for (const mode of ["default", "textgrad-exact"] as const) rows.push({ b, mode, r: await run(undefined, b, mode) });
const updateChars = (r: RunResult) => r.issued.find((x) => /IMPROVED_VARIABLE/.test(x.system ?? ""))?.prompt.length ?? 0;
const reduceChars = (r: RunResult) => r.issued.find((x) => x.system === REDUCE)?.prompt.length ?? 0;
console.log("| B  | mode           | update prompt chars | reduce prompt chars | feedback pieces -> points | calls | tokens | wall ms | every point reached |");
console.log("|----|----------------|--------------------:|--------------------:|---------------------------|------:|-------:|--------:|---------------------|");
for (const { b, mode, r } of rows) {
  const digest = r.proposal?.feedback;
  const points = `${r.feedback.length} -> ${digest?.points.length ?? "?"} (${digest?.method ?? "?"})`;
  console.log(`| ${String(b).padEnd(2)} | ${mode.padEnd(14)} | ${String(updateChars(r)).padStart(19)} | ${String(reduceChars(r)).padStart(19)} | ${points.padEnd(25)} | ${String(r.calls).padStart(5)} | ${String(r.tokens).padStart(6)} | ${r.ms.toFixed(0).padStart(7)} | ${String(everyPointReached(r)).padEnd(19)} |`);
}
for (const mode of ["default", "textgrad-exact"] as const) {
  const at = (b: number) => updateChars(rows.find((x) => x.b === b && x.mode === mode)!.r);
  console.log(`update-prompt growth B=4 -> B=32, ${mode}: ${at(4)} -> ${at(32)} chars = ${(at(32) / at(4)).toFixed(2)}x`);
}

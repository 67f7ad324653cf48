/**
 * Benchmark: one prompt-optimization step (forward over a batch, string metric, sum, backward, TGD step) against the
 * local OpenAI-compatible stub server at 100 ms per call. Real ChatOpenAI over real HTTP; nothing leaves 127.0.0.1.
 * Prints figures; not a test.
 * 1. B=8, strictly sequential vs the default concurrency: same prompts, how much faster.
 * 2. B=4 / 8 / 32, the default (one backward call per node, feedback reduced before the update) vs TextGrad-exact
 *    (`feedback: "per-input"`, `update: "textgrad"`): update-prompt size, calls, tokens, wall — and whether every
 *    distinct piece of feedback still reached the optimizer.
 * 3. A createAgent tool loop of N steps (N = 5, 10, 20, 40; real createAgent, real ChatOpenAI, the loop's model is the
 *    stub without latency): backward calls, backward prompt chars and wall at 100 ms per backward call, for TextGrad-exact
 *    on every history edge (the "today"), one call per node on every history edge (the commit before
 *    context edges), and the default (history edges a previous step already read are context; feedback along the chain).
 * 4. `refine` on the demo question (Chameleon soc-01, simulated model): calls, tokens, result.
 * 5. Per-parameter updates (`update: "reduced"`, the default) vs one joint update (`update: "joint"`) on a pipeline of
 *    P = 4 and 8 LLM calls, each with its own trainable system prompt (B = 4 samples, string metric, sum, per-node
 *    backward), at 100 ms per call: optimizer calls, prompt+reply chars, tokens and wall of the TGD step (default
 *    concurrency and one call at a time), same run.
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
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { buildGraph } from "../src/trace/build-graph.js";
import type { HistoryEdges } from "../src/trace/history-edges.js";
import { trace } from "../src/trace/run-trace.js";
import { param } from "../src/trace/param.js";
import { TextLoss } from "../src/core/losses/text-loss.js";
import { refine } from "../src/optim/refine.js";
import { readTextgradRequest } from "../src/testing/textgrad-request.js";
import { renderFeedbackSection } from "../src/prompts/feedback-sections.js";
import { tracegradCallbacks, tracegradMiddleware } from "../adapters/langchain/index.js";
import { createChameleonModel } from "../examples/chameleon/sim/chameleon-model.js";
import { createChameleon } from "../examples/chameleon/agent.js";
import { questions } from "../examples/chameleon/data/questions.js";
import { SimulatedChatModel } from "../examples/chameleon/simulated-chat-model.js";
import { traceChameleon } from "../examples/chameleon/traced.js";
import { chameleonWorld } from "../examples/chameleon/world.js";

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

// 3. an N-step createAgent tool loop
const agentStub = await startStubServer({
  reply: (req) => {
    const n = Number(/all (\d+) items/.exec(req.messages.find((m) => m.role === "user")?.content ?? "")?.[1] ?? 0);
    const done = req.messages.filter((m) => m.role === "tool").length;
    if (done < n) return { toolCalls: [{ id: `call_${done}`, name: "lookup", arguments: { query: `item number ${done} of the catalogue list` } }] };
    return `Final: looked up ${done} items.`;
  },
});
const backwardReply = (req: StubRequest): string => {
  const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
  if (request?.kind !== "backward") return "Wrong: the answer should list what each lookup found.";
  const text = "List what each lookup found.";
  return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, text)).join("\n") : text;
};
async function loopRun(n: number) {
  const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: agentStub.url } });
  const lookup = tool(async ({ query }: { query: string }) => `Result for "${query}": found in the catalogue.`, { name: "lookup", description: "Looks one item up.", schema: z.object({ query: z.string() }) });
  const systemPrompt = param(`loop-${n}.system`, "You look items up one at a time with the lookup tool.", { role: "system prompt of the agent" });
  const agent = createAgent({ model, tools: [lookup], middleware: [tracegradMiddleware({ systemPrompt, name: "agent" })] });
  return trace(() => agent.invoke({ messages: [{ role: "user", content: `Look up all ${n} items.` }] }, { callbacks: [tracegradCallbacks()], recursionLimit: 1000 }), {
    output: (st) => String(st.messages.at(-1)?.content),
  });
}
type LoopMode = { name: string; history: HistoryEdges; feedback: "per-node" | "per-input" };
const LOOP_MODES: LoopMode[] = [
  { name: "TextGrad-exact, every history edge", history: "feedback", feedback: "per-input" },
  { name: "per node, every history edge", history: "feedback", feedback: "per-node" },
  { name: "default: context edges", history: "context", feedback: "per-node" },
];
async function loopBackward(n: number, mode: LoopMode) {
  const run = await loopRun(n);
  const graph = buildGraph(run.spans, { params: run.params, output: run.graph.output.value, historyEdges: mode.history });
  const stub = await startStubServer({ reply: backwardReply, latencyMs: LATENCY_MS });
  try {
    const engine = withUsage(chatModelEngine(new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } })));
    const loss = await new TextLoss("Judge the answer.", { engine }).forward(graph.output);
    const started = performance.now();
    const report = await loss.backward({ engine, feedback: mode.feedback });
    const ms = performance.now() - started;
    const chars = stub.requests.slice(1).reduce((sum, r) => sum + r.prompt.length + (r.system?.length ?? 0), 0);
    const first = graph.nodes.find((x) => x.kind === "llm");
    const firstFed = (graph.variables.get(first!.id)?.gradients.length ?? 0) > 0;
    return { calls: report.calls, chars, ms, firstFed };
  } finally {
    await stub.close();
  }
}
console.log("");
console.log(`backward of a createAgent tool loop of N steps (N+1 model calls, N tools); backward at ${LATENCY_MS} ms per call, default concurrency`);
console.log("| N  | mode                               | calls | 3N+3 | prompt chars | wall ms | first step fed |");
console.log("|----|------------------------------------|------:|-----:|-------------:|--------:|----------------|");
const loopChars = new Map<string, Map<number, number>>();
for (const n of [5, 10, 20, 40]) {
  for (const mode of LOOP_MODES) {
    const r = await loopBackward(n, mode);
    if (!loopChars.has(mode.name)) loopChars.set(mode.name, new Map());
    loopChars.get(mode.name)!.set(n, r.chars);
    console.log(`| ${String(n).padEnd(2)} | ${mode.name.padEnd(34)} | ${String(r.calls).padStart(5)} | ${String(3 * n + 3).padStart(4)} | ${r.chars.toLocaleString("en-US").padStart(12)} | ${r.ms.toFixed(0).padStart(7)} | ${String(r.firstFed).padEnd(14)} |`);
  }
}
for (const [name, byN] of loopChars) console.log(`prompt chars N=40 / N=10, ${name}: ${(byN.get(40)! / byN.get(10)!).toFixed(2)}x`);
await agentStub.close();

// 4. refine on the demo question
{
  const sim = createChameleonModel(chameleonWorld);
  const agent = createChameleon({ model: new SimulatedChatModel(sim) });
  traceChameleon(agent);
  const q = questions.find((x) => x.id === "soc-01")!;
  const run = await trace(() => agent.solve(q));
  const engine = withUsage(sim);
  const started = performance.now();
  const refined = await refine(run, { engine, loss: (out) => new TextLoss(`Evaluate the answer to the question: ${q.question}`, { engine }).forward(out) });
  const ms = performance.now() - started;
  console.log("");
  console.log(`refine on the demo question (soc-01, simulated model, no latency): ${refined.usage.calls} calls, ${refined.usage.inputTokens + refined.usage.outputTokens} tokens, ${ms.toFixed(0)} ms; ` +
    `answer ${JSON.stringify(run.output)} -> ${JSON.stringify(refined.run.output)} (correct: ${JSON.stringify(q.choices[q.answer])}); changed: ${refined.modules.filter((m) => m.changed).map((m) => m.module).join(", ") || "none"}`);
}

// 5. per-parameter vs joint update, on a pipeline of P LLM calls with one trainable system prompt each
{
  const JOINT_B = 4;
  const improve = (value: string) => `${value} Name the earlier step you rely on.`;
  const pipelineReply = (req: StubRequest): string => {
    const system = req.system ?? "";
    if (/<IMPROVED_VARIABLE id="1">/.test(system)) {
      return [...req.prompt.matchAll(/<VARIABLE id="(\d+)">\n([\s\S]*?)\n<\/VARIABLE>/g)].map((m) => `<IMPROVED_VARIABLE id="${m[1]}">\n${improve(m[2]!)}\n</IMPROVED_VARIABLE>`).join("\n");
    }
    if (/IMPROVED_VARIABLE/.test(system)) return `<IMPROVED_VARIABLE>\n${improve(extractTagged(req.prompt, "VARIABLE") ?? "")}\n</IMPROVED_VARIABLE>`;
    const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
    if (request?.kind === "backward") {
      // worded per sample, as a model would, so no two pieces are equal
      const seen = (extractTagged(req.prompt, "LM_INPUT") ?? "the metric").slice(0, 60);
      const one = (role: string | undefined) => `The ${role ?? "variable"} should name the earlier step it relies on (seen on: ${seen}).`;
      return request.roles ? request.roles.map((r, i) => renderFeedbackSection(i + 1, one(r))).join("\n") : one(request.role);
    }
    return `Stage output: ${req.prompt.slice(0, 80)}`;
  };
  const stepRun = async (stages: number, update: "reduced" | "joint", concurrency?: number) => {
    const stub = await startStubServer({ reply: pipelineReply, latencyMs: LATENCY_MS });
    try {
      const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
      const engine = withUsage(chatModelEngine(model));
      const prompts = Array.from({ length: stages }, (_, k) => new Variable(`You are stage ${k + 1} of ${stages} of a question-answering pipeline. Improve the draft you are given.`, { role: `system prompt of stage ${k + 1}`, requiresGrad: true, id: `stage${k + 1}.system` }));
      const calls = prompts.map((systemPrompt) => new LLMCall({ engine, systemPrompt }));
      const metric = new StringBasedFunction({ purpose: "exact match with the ground truth", fn: ({ prediction, truth }) => Number(prediction!.value.trim() === truth!.value) });
      const samples = Array.from({ length: JOINT_B }, (_, i) => ({ question: new Variable(`Question ${i + 1}: which river flows through city ${i + 1}?`, { role: "question" }), truth: new Variable(`River ${i + 1}`, { role: "ground truth" }) }));
      const losses = await Promise.all(samples.map(async (s) => {
        let x = s.question;
        for (const [k, c] of calls.entries()) x = await c.forward(x, { role: `output of stage ${k + 1}` });
        return metric.forward({ prediction: x, truth: s.truth });
      }));
      await sum(losses).backward({ engine });
      const before = { calls: engine.usage.calls, tokens: engine.usage.totalTokens, requests: stub.requests.length };
      const started = performance.now();
      const proposals = await new TGD({ parameters: prompts, engine, update, ...(concurrency === undefined ? {} : { concurrency }) }).step();
      const ms = performance.now() - started;
      const sent = stub.requests.slice(before.requests);
      const promptChars = sent.reduce((n, r) => n + r.prompt.length + (r.system?.length ?? 0), 0);
      const replyChars = sent.reduce((n, r) => n + pipelineReply(r).length, 0);
      const updated = proposals.filter((x) => x.value !== x.previous).length;
      return { calls: engine.usage.calls - before.calls, tokens: engine.usage.totalTokens - before.tokens, promptChars, replyChars, ms, updated };
    } finally {
      await stub.close();
    }
  };
  console.log("");
  console.log(`TGD step on a pipeline of P LLM calls, each with its own trainable system prompt (B=${JOINT_B}, per-node backward, feedback small enough to need no reduce); stub latency ${LATENCY_MS} ms; wall of the TGD step at the default concurrency and at concurrency 1`);
  console.log("| P | update            | optimizer calls | prompt chars | reply chars | tokens | wall ms | wall ms, concurrency 1 | parameters updated |");
  console.log("|---|-------------------|----------------:|-------------:|------------:|-------:|--------:|-----------------------:|-------------------:|");
  for (const stages of [4, 8]) {
    for (const update of ["reduced", "joint"] as const) {
      const r = await stepRun(stages, update);
      const one = await stepRun(stages, update, 1);
      const name = update === "reduced" ? "reduced (default)" : "joint";
      console.log(`| ${stages} | ${name.padEnd(17)} | ${String(r.calls).padStart(15)} | ${r.promptChars.toLocaleString("en-US").padStart(12)} | ${r.replyChars.toLocaleString("en-US").padStart(11)} | ${String(r.tokens).padStart(6)} | ${r.ms.toFixed(0).padStart(7)} | ${one.ms.toFixed(0).padStart(22)} | ${String(r.updated).padStart(18)} |`);
    }
  }
}

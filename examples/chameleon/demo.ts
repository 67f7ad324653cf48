/**
 * @module examples/chameleon/demo
 * `npm run demo`: the Chameleon agent, traced from the outside, refined after the fact.
 *
 * Offline (default): the agent's model and tracegrad's engine are the real `ChatOpenAI`, talking HTTP to a local
 * OpenAI-compatible stub server whose replies come from the simulated model (a documented stand-in, not an LLM).
 * With OPENAI_API_KEY or OPENAI_BASE_URL set (and optionally TRACEGRAD_MODEL), the same code runs against that endpoint.
 */
import { ChatOpenAI } from "@langchain/openai";
import { chatModelEngine, defaultEngine, refine, TextLoss, trace, withUsage, writeHtmlReport, type Engine, type Variable } from "../../src/index.js";
import { simulatedReply, startStubServer, type StubServer } from "../../src/testing/index.js";
import { instrumentLangChain } from "../../adapters/langchain/index.js";
import { printGraph, scriptedToolModel, showLangChainAgent } from "../langchain-agent.js";
import { createChameleon, type ChameleonAgent } from "./agent.js";
import { questions } from "./data/questions.js";
import { evaluateChameleon } from "./evaluate.js";
import { createChameleonModel } from "./sim/chameleon-model.js";
import { traceChameleon } from "./traced.js";
import { chameleonWorld } from "./world.js";

const HANDFUL = ["nat-01", "nat-04", "soc-01", "soc-02", "soc-05", "lan-03", "lan-05", "lan-09"];
const clip = (text: string, n = 110) => (text.length > n ? `${text.slice(0, n - 1)}…` : text).replace(/\s+/g, " ");

interface Setup {
  readonly label: string;
  readonly newModel: () => ChatOpenAI;
  readonly engine: Engine;
  readonly stub?: StubServer;
}

async function setup(): Promise<Setup> {
  if (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL) {
    const name = process.env.TRACEGRAD_MODEL ?? "gpt-4o-mini";
    return { label: `real model ${name} at ${process.env.OPENAI_BASE_URL ?? "api.openai.com"}`, newModel: () => new ChatOpenAI({ model: name, temperature: 0 }), engine: defaultEngine() };
  }
  const stub = await startStubServer({ reply: simulatedReply(createChameleonModel(chameleonWorld)) });
  const newModel = () => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-offline-stub", maxRetries: 0, configuration: { baseURL: stub.url } });
  return { label: `offline: real ChatOpenAI over HTTP to a local stub serving the simulated model (${stub.url})`, newModel, engine: chatModelEngine(newModel()), stub };
}

/** The loss: a judge that is told the correct option (an oracle, like a unit test), asked what was missing. */
function lossFor(id: string, engine: Engine): (output: Variable) => Promise<Variable> {
  const q = questions.find((x) => x.id === id)!;
  const instruction = [
    `Evaluate the answer to the question: ${q.question}`,
    `Options: ${q.choices.join(" | ")}. The correct answer is "${q.choices[q.answer]}".`,
    "Say whether the answer is correct; if not, name the fact that was missing.",
  ].join("\n");
  return (output) => new TextLoss(instruction, { engine }).forward(output);
}

function newAgent(s: Setup): { agent: ChameleonAgent; params: ReturnType<typeof traceChameleon> } {
  const agent = createChameleon({ model: s.newModel() });
  return { agent, params: traceChameleon(agent) };
}

const truthOf = (id: string) => {
  const q = questions.find((x) => x.id === id)!;
  return q.choices[q.answer]!;
};

/**
 * The planner skips knowledge retrieval for a word-study question, so the answer is wrong. The plan feeds no module
 * any data; only the control edges from it to the modules it chose let feedback reach it, with the counterfactual
 * (which modules did not run). Refining the plan makes the re-run execute knowledge retrieval.
 */
async function showPlannerFix(s: Setup, engine: Engine): Promise<void> {
  const id = "lan-01";
  const q = questions.find((x) => x.id === id)!;
  const { agent } = newAgent(s);
  const run = await trace(async () => {
    instrumentLangChain();
    return agent.solve(q);
  });
  const modulesOf = (r: typeof run) => r.graph.calls.filter((c) => c.kind === "module").map((c) => `${c.name}${c.replayed ? " (replayed)" : ""}`).join(", ");
  const control = run.graph.edges.filter((e) => e.kind === "control").length;
  console.log(`\n== The planner's mistake, fixed through control edges: ${id} "${q.question}" ==`);
  console.log(`answer: ${run.output}   (correct: ${truthOf(id)})`);
  console.log(`ran: ${modulesOf(run)}   (${control} control edges from the plan)`);
  const refined = await refine(run, { loss: lossFor(id, engine), engine });
  const plan = refined.modules.find((m) => m.module === "planner")!;
  console.log(`planner ${plan.changed ? "CHANGED" : "kept"}  feedback: ${plan.feedback.length === 0 ? "(none)" : clip(plan.feedback[0]!, 130)}`);
  console.log(`  plan before: ${plan.before}\n  plan after:  ${plan.after}`);
  console.log(`re-run ran: ${modulesOf(refined.run)}`);
  console.log(`answer after refinement: ${refined.run.output}   (${refined.usage.calls} calls, ${refined.usage.inputTokens + refined.usage.outputTokens} tokens; final evaluation: ${clip(refined.evaluation, 60)})`);
}

async function main(): Promise<void> {
  const s = await setup();
  const engine = withUsage(s.engine);
  console.log(`tracegrad demo — ${s.label}`);
  try {
    // 1. one failing question in detail: graph, feedback per module, before/after
    const first = HANDFUL.find((id) => id === "soc-01")!;
    const { agent } = newAgent(s);
    const run = await trace(async () => {
      instrumentLangChain();
      return agent.solve(questions.find((q) => q.id === first)!);
    });
    console.log(`\n== One run, traced: ${first} "${questions.find((q) => q.id === first)!.question}" ==`);
    console.log(`answer: ${run.output}   (correct: ${truthOf(first)})`);
    printGraph(run.graph);
    const refined = await refine(run, { loss: lossFor(first, engine), engine });
    console.log("\nin-order refinement (modules in execution order; upstream replayed from the trace):");
    for (const m of refined.modules) {
      console.log(`  ${m.module.padEnd(18)} ${m.changed ? "CHANGED" : "kept   "}  feedback: ${m.feedback.length === 0 ? "(none)" : clip(m.feedback[0]!)}`);
      if (m.changed) console.log(`    before: ${clip(m.before)}\n    after:  ${clip(m.after)}`);
    }
    console.log(`answer after refinement: ${refined.run.output}   (${refined.usage.calls} calls, ${refined.usage.inputTokens + refined.usage.outputTokens} tokens)`);

    // 2. the planner's mistake: a plan that skipped knowledge retrieval gets feedback through control edges
    await showPlannerFix(s, engine);

    // 3. a handful of questions: accuracy before and after refining each run
    let before = 0;
    let after = 0;
    console.log("\n== Post-hoc refinement on a handful of questions ==");
    for (const id of HANDFUL) {
      const { agent: a } = newAgent(s);
      const r = await trace(() => a.solve(questions.find((q) => q.id === id)!));
      const fixed = r.output === truthOf(id) ? r : (await refine(r, { loss: lossFor(id, engine), engine })).run;
      before += r.output === truthOf(id) ? 1 : 0;
      after += fixed.output === truthOf(id) ? 1 : 0;
      console.log(`  ${id}: ${clip(String(r.output), 40).padEnd(40)} -> ${clip(String(fixed.output), 40)}  ${fixed.output === truthOf(id) ? "✓" : "✗"}`);
    }
    console.log(`accuracy: ${before}/${HANDFUL.length} before, ${after}/${HANDFUL.length} after refinement`);

    // 4. prompt refinement from one failing run, then the unmodified agent with the new prompts on every question
    console.log("\n== Prompt refinement from one failing run, applied to the unmodified agent ==");
    const baseline = await evaluateChameleon(newAgent(s).agent, questions);
    const tuned = newAgent(s);
    const failing = await trace(() => tuned.agent.solve(questions.find((q) => q.id === first)!));
    const prompts = await refine(failing, { loss: lossFor(first, engine), engine, target: "prompts" });
    for (const p of prompts.prompts.filter((x) => x.changed)) {
      console.log(`  ${p.id}: + ${clip(p.after.slice(p.before.length).trim())}`);
    }
    const improved = await evaluateChameleon(tuned.agent, questions);
    console.log(`accuracy on all ${questions.length} questions: ${baseline.correct}/${baseline.total} with the original prompts, ${improved.correct}/${improved.total} with the refined ones`);

    // 5. an unmodified LangChain createAgent agent with a tool, captured
    const real = !s.stub;
    await showLangChainAgent(real ? s.newModel() : scriptedToolModel(), real ? s.label : "scripted stand-in model (LangChain fakeModel), offline");

    const u = engine.usage;
    console.log(`\ntracegrad's own engine use (losses, backward, updates): ${u.calls} calls, ${u.inputTokens} input + ${u.outputTokens} output tokens`);

    // 6. the first run's refinement as a gradient report: graph, feedback per edge, before/after per module
    const report = await writeHtmlReport(refined, ".tracegrad/reports/chameleon-refine.html");
    console.log(`\ngradient report of the first run's refinement: ${report.html}  (open it in a browser; the JSON is beside it)`);
  } finally {
    await s.stub?.close();
  }
}

await main();

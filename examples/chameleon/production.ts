/**
 * @module examples/chameleon/production
 * The Chameleon agent deployed as a production service would be: its four prompts read from a prompt registry at run
 * time (`registry.param`), its modules traced, every run exported as OTLP JSON lines through the user's own provider,
 * and a judge's feedback recorded beside the runs. Offline, the agent's model and the judge are the simulated
 * Chameleon world (documented stand-ins, not LLMs). Used by `npm run demo:production` and the production e2e test.
 */
import { createHash } from "node:crypto";
import { SimpleSpanProcessor, TracerProvider, type IdGenerator } from "@opentelemetry/sdk-trace";
import {
  otlpFileExporter,
  recordFeedback,
  trace,
  traceModule,
  tracegradSpanProcessor,
  type Engine,
  type PromptRegistry,
  type RegistryParam,
  type RegistryParamOptions,
} from "../../src/index.js";
import { pairwiseJudgeRule, type SimulatedModel } from "../../src/testing/index.js";
import { instrumentLangChain } from "../../adapters/langchain/index.js";
import { createChameleon, type ChameleonAgent } from "./agent.js";
import { questions } from "./data/questions.js";
import { chameleonMetric } from "./optimize-demo.js";
import { defaultChameleonPrompts, type ChameleonPrompts } from "./prompts.js";
import { findQuestion } from "./sim/simulated-world.js";
import { SimulatedChatModel } from "./simulated-chat-model.js";
import { chameleonWorld } from "./world.js";

/** The four prompt keys, in order. */
export const PROMPT_KEYS = Object.keys(defaultChameleonPrompts()) as Array<keyof ChameleonPrompts>;

/** A prompt's name in the registry, e.g. "chameleon.planner". */
export const promptName = (k: keyof ChameleonPrompts): string => `chameleon.${k}`;

/** Publishes the default prompts as version 1, labelled "production". */
export async function publishDefaultPrompts(registry: PromptRegistry): Promise<void> {
  const defaults = defaultChameleonPrompts();
  for (const k of PROMPT_KEYS) await registry.publish(promptName(k), defaults[k], { labels: ["production"] });
}

/** The deployed agent and the registry params it reads. */
export type DeployedChameleon = ChameleonAgent & { readonly params: Readonly<Record<keyof ChameleonPrompts, RegistryParam>> };

/**
 * Deploys the unmodified agent on `model`: its prompts are registry params (the prompts named in `canaried` get
 * `options`, e.g. a canary), read at every call; its modules are traced.
 */
export function deployChameleon(registry: PromptRegistry, model: SimulatedModel, options: Partial<RegistryParamOptions> = {}, canaried: readonly string[] = []): DeployedChameleon {
  const defaults = defaultChameleonPrompts();
  const params = Object.fromEntries(
    PROMPT_KEYS.map((k) => [k, registry.param(promptName(k), { role: `system prompt of the Chameleon ${k} module`, fallback: defaults[k], ...(canaried.includes(promptName(k)) ? options : {}) })]),
  ) as Record<keyof ChameleonPrompts, RegistryParam>;
  const agent = createChameleon({ model: new SimulatedChatModel(model) });
  agent.prompts = Object.defineProperties({} as ChameleonPrompts, Object.fromEntries(PROMPT_KEYS.map((k) => [k, { get: () => params[k].value, enumerable: true }])));
  const modules = agent.modules as unknown as Record<string, (...args: never[]) => unknown>;
  for (const name of Object.keys(modules)) modules[name] = traceModule(name, modules[name]!);
  return Object.assign(agent, { params });
}

/** Where one period of traffic is kept. */
export interface TrafficFiles {
  readonly traces: string;
  readonly feedback: string;
}

/**
 * Serves `count` questions (cycling through the 48), exporting every run with `otlpFileExporter` and recording the
 * judge's verdict on each as feedback (score 1 or 0 with the judge's words). Trace ids come from a counter hashed with
 * `idSeed`, so which runs fall in a canary is reproducible. Returns the share answered correctly.
 */
export async function serveChameleon(agent: ChameleonAgent, count: number, files: TrafficFiles, idSeed: string): Promise<number> {
  const provider = new TracerProvider({
    idGenerator: seededIds(idSeed),
    spanProcessors: [new SimpleSpanProcessor({ exporter: otlpFileExporter({ path: files.traces }) }), tracegradSpanProcessor()],
  });
  let correct = 0;
  try {
    for (let i = 0; i < count; i++) {
      const q = questions[i % questions.length]!;
      const run = await trace(async () => {
        instrumentLangChain();
        return agent.solve(q);
      }, { tracer: provider.getTracer("chameleon-prod") });
      const verdict = chameleonMetric(run.output, q);
      correct += verdict.score;
      await recordFeedback({ traceId: run.traceId, name: "judge", score: verdict.score, ...(verdict.feedback ? { explanation: verdict.feedback } : {}), source: "llm" }, { path: files.feedback });
    }
  } finally {
    await provider.shutdown();
  }
  return correct / count;
}

/**
 * tracegrad's engine for optimizing from traces: the simulated world's backward and optimizer roles, plus a stand-in
 * pairwise judge that knows the world's answers (the version that states the question's deciding fact, or picks the
 * right option, wins).
 */
export function productionOptimizerEngine(model: SimulatedModel): Engine {
  const judge = pairwiseJudgeRule((r) => {
    const q = findQuestion(chameleonWorld, r.task);
    if (!q) return "TIE";
    const good = (text: string) => text.includes(q.keyFact) || text.includes(`"${q.choices[q.answer]}"`);
    const a = r.steps.filter((s) => good(s.a)).length;
    const b = r.steps.filter((s) => good(s.b)).length;
    return a > b ? "A" : b > a ? "B" : "TIE";
  });
  return { generate: async (r) => ({ text: judge.matches(r) ? judge.reply(r) : model.reply(r) }) };
}

/** Span and trace ids from a counter hashed with `seed` (a stand-in for the SDK's random ids, for reproducible runs). */
function seededIds(seed: string): IdGenerator {
  let n = 0;
  const next = (hex: number) => createHash("sha256").update(`${seed}:${n++}`).digest("hex").slice(0, hex);
  return { generateTraceId: () => next(32), generateSpanId: () => next(16) };
}

/**
 * @module testing/simulated-model
 * A deterministic stand-in for an LLM that plays every role of an agent-plus-TextGrad run — planner, knowledge
 * retrieval, query generator, solution generator, evaluator, backward engine, optimizer, reducer — from the prompt it
 * receives, against a {@link SimulatedWorld}. It makes specific, documented mistakes that the right instruction or
 * the right upstream fact fixes, so a test or an offline demo can show feedback travelling through a graph and
 * changing the outcome:
 *
 * - planner: skips knowledge_retrieval for the world's `plannerSkipsKnowledgeFor` topics (fix: planner trigger);
 * - knowledge retrieval: omits the key fact on hard questions (fix: knowledge trigger, or the fact in its output);
 * - query generator: writes a generic query, so search misses (fix: query trigger);
 * - solution generator: picks the distractor unless the key fact is in its input (fix: any of the above, or the fact
 *   in its output).
 *
 * Role detection is documented in `simulated-roles.ts`, each role's behaviour in `simulated-agent-roles.ts` and
 * `simulated-textgrad-roles.ts`.
 */
import { estimateTokens } from "../engine/estimate-tokens.js";
import type { Engine, EngineRequest, EngineResponse } from "../engine/types.js";
import { VARIABLE_TAG } from "../prompts/tags.js";
import { hasBlock } from "./simulated-tags.js";
import { replyAsKnowledgeRetrieval, replyAsPlanner, replyAsQueryGenerator, replyAsSolutionGenerator } from "./simulated-agent-roles.js";
import { detectRole, SIMULATED_ROLES, type SimulatedRequest, type SimulatedRole } from "./simulated-roles.js";
import { replyAsBackward, replyAsEvaluator, replyAsOptimizer, replyAsReducer } from "./simulated-textgrad-roles.js";
import type { SimulatedWorld } from "./simulated-world.js";

/** One call the model answered, kept for inspection. */
export interface SimulatedCall {
  readonly role: SimulatedRole;
  readonly system: string | undefined;
  readonly prompt: string;
  readonly text: string;
}

/** Options of {@link SimulatedModel}. */
export interface SimulatedModelOptions {
  /** Reported as the engine's model name. Default "simulated". */
  readonly model?: string;
  /** Keep every call in {@link SimulatedModel.calls}. Default true. */
  readonly record?: boolean;
}

const REPLIES: Readonly<Record<SimulatedRole, (world: SimulatedWorld, request: SimulatedRequest) => string>> = {
  planner: replyAsPlanner,
  knowledge_retrieval: replyAsKnowledgeRetrieval,
  query_generator: replyAsQueryGenerator,
  solution_generator: replyAsSolutionGenerator,
  evaluator: replyAsEvaluator,
  backward: replyAsBackward,
  optimizer: replyAsOptimizer,
  reduce: replyAsReducer,
  unknown: () => "I am a simulated model and do not know how to answer this request.",
};

/**
 * The simulated LLM. Use it directly as a tracegrad {@link Engine}, or as the `reply` of the OpenAI-compatible stub
 * server (see {@link simulatedReply}) so that real clients such as ChatOpenAI talk to it over HTTP.
 *
 * @example
 * const model = new SimulatedModel(chameleonWorld);
 * const { text } = await model.generate({ system: prompts.planner, prompt: "Question: …\n\nModules:" });
 * model.counts.planner; // 1
 */
export class SimulatedModel implements Engine {
  readonly model: string;
  readonly world: SimulatedWorld;
  readonly #record: boolean;
  #counts: Record<SimulatedRole, number> = zeroCounts();
  #calls: SimulatedCall[] = [];

  constructor(world: SimulatedWorld, options: SimulatedModelOptions = {}) {
    this.world = world;
    this.model = options.model ?? "simulated";
    this.#record = options.record ?? true;
  }

  /** Calls answered so far, per role. */
  get counts(): Readonly<Record<SimulatedRole, number>> {
    return { ...this.#counts };
  }

  /** Every call answered so far, in order (empty when created with `record: false`). */
  get calls(): readonly SimulatedCall[] {
    return this.#calls;
  }

  /** Forgets counts and recorded calls. */
  reset(): void {
    this.#counts = zeroCounts();
    this.#calls = [];
  }

  /** The role this request would be played as, without answering it or counting it. */
  roleOf(request: SimulatedRequest): SimulatedRole {
    return detectRole(request, this.world);
  }

  /** Answers synchronously: detects the role, plays it, counts it. */
  reply(request: SimulatedRequest): string {
    const role = detectRole(request, this.world);
    const text = REPLIES[role](this.world, request);
    this.#counts[role]++;
    if (this.#record) this.#calls.push({ role, system: request.system, prompt: request.prompt, text });
    return text;
  }

  /**
   * {@link Engine} method. Every role is answered from the last prompt, except a repair request (earlier turns, and a
   * prompt without a `<VARIABLE>` block), which is answered like the original request in the history.
   */
  async generate(request: EngineRequest): Promise<EngineResponse> {
    const original = request.history?.find((m) => m.role === "user")?.content;
    const prompt = original !== undefined && !hasBlock(request.prompt, VARIABLE_TAG) ? original : request.prompt;
    const text = this.reply({ system: request.system, prompt });
    const inputTokens = estimateTokens(`${request.system ?? ""}${request.prompt}`);
    const outputTokens = estimateTokens(text);
    return { text, model: this.model, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } };
  }
}

/**
 * A `reply` function for the stub server, answering with a {@link SimulatedModel}. Pass a world to get a fresh model,
 * or a model to share its counters with the test.
 *
 * @example
 * const model = new SimulatedModel(chameleonWorld);
 * const server = await startStubServer({ reply: simulatedReply(model) });
 */
export function simulatedReply(source: SimulatedWorld | SimulatedModel): (request: SimulatedRequest) => string {
  const model = source instanceof SimulatedModel ? source : new SimulatedModel(source);
  return (request) => model.reply({ system: request.system, prompt: request.prompt });
}

function zeroCounts(): Record<SimulatedRole, number> {
  return Object.fromEntries(SIMULATED_ROLES.map((r) => [r, 0])) as Record<SimulatedRole, number>;
}

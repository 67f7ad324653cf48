/**
 * @module testing/simulated-model
 * A deterministic stand-in for an LLM, driven by an ordered list of rules: the first rule that matches a request
 * answers it. It counts and records calls per role, so a test can assert which parts of an agent (or of tracegrad's
 * backward pass) asked what. It works in-process as a tracegrad {@link Engine}, and over HTTP as the reply of the stub
 * server ({@link simulatedReply}), so real clients such as ChatOpenAI can talk to it.
 *
 * A whole scripted world built this way — an agent with documented mistakes plus TextGrad's evaluator, backward
 * engine and optimizer — is the Chameleon example (`examples/chameleon/sim/`).
 */
import { estimateTokens } from "../engine/estimate-tokens.js";
import type { Engine, EngineRequest, EngineResponse } from "../engine/types.js";
import { InvalidArgumentError } from "../errors.js";
import { extractAllTagged, VARIABLE_TAG } from "../prompts/tags.js";
import { NoMatchingRuleError } from "./errors.js";
import type { SimulatedRequest, SimulatedRule } from "./simulated-rule.js";
import { withoutParamReads } from "../trace/param-reads.js";

/** One call the model answered, kept for inspection. */
export interface SimulatedCall<Role extends string = string> {
  readonly role: Role;
  readonly system: string | undefined;
  readonly prompt: string;
  readonly text: string;
}

/** Options of {@link SimulatedModel}. */
export interface SimulatedModelOptions {
  /** Reported as the engine's model name. Default "simulated". */
  readonly model?: string;
  /** Keep every call in {@link SimulatedModel.calls}. Default true; turn off for long runs. */
  readonly record?: boolean;
}

/**
 * A rule-driven simulated LLM. Rules are tried in order; put the most certain signals first (for example
 * {@link textgradRule}s, which recognise tracegrad's own requests by their tags) and a catch-all last if every request
 * must get an answer — without one, an unmatched request throws {@link NoMatchingRuleError}.
 *
 * @example
 * const model = new SimulatedModel([
 *   textgradRule("backward", () => "Name the city."),
 *   textgradRule("optimizer", (request) => formatUpdate(`${request.variable ?? ""} Helena.`, request.tags)),
 *   { role: "agent", matches: (r) => r.prompt.includes("capital of Montana"), reply: () => "Billings" },
 * ]);
 * await model.generate({ prompt: "What is the capital of Montana?" }); // { text: "Billings", … }
 * model.counts; // { backward: 0, optimizer: 0, agent: 1 }
 */
export class SimulatedModel<Role extends string = string> implements Engine {
  readonly model: string;
  /** The rules, in the order they are tried. */
  readonly rules: readonly SimulatedRule<Role>[];
  readonly #record: boolean;
  #counts: Record<Role, number>;
  #calls: SimulatedCall<Role>[] = [];

  constructor(rules: readonly SimulatedRule<Role>[], options: SimulatedModelOptions = {}) {
    validateRules(rules);
    this.rules = [...rules];
    this.model = options.model ?? "simulated";
    this.#record = options.record ?? true;
    this.#counts = this.#zeroCounts();
  }

  /** Calls answered so far, per role (every rule's role is present, from 0). */
  get counts(): Readonly<Record<Role, number>> {
    return { ...this.#counts };
  }

  /** Every call answered so far, in order (empty when created with `record: false`). */
  get calls(): readonly SimulatedCall<Role>[] {
    return this.#calls;
  }

  /** Forgets counts and recorded calls. */
  reset(): void {
    this.#counts = this.#zeroCounts();
    this.#calls = [];
  }

  /** The role of the rule that would answer `request`, without answering or counting it; undefined if none matches. */
  roleOf(request: SimulatedRequest): Role | undefined {
    return this.#ruleFor(request)?.role;
  }

  /** Answers synchronously with the first matching rule, and counts (and records) the call under its role. */
  reply(request: SimulatedRequest): string {
    // a rule that compares the request with a param()'s text is the model's business, not a use of the prompt
    return withoutParamReads(() => this.#reply(request));
  }

  #reply(request: SimulatedRequest): string {
    const rule = this.#ruleFor(request);
    if (!rule) {
      const start = request.prompt.trim().slice(0, 60).replace(/\s+/g, " ");
      throw new NoMatchingRuleError(
        `SimulatedModel: no rule matches the request whose prompt starts "${start}" (${this.rules.length} rules tried). ` +
          `Add a rule for it, or end the rules with a catch-all { role: "unknown", matches: () => true, reply: () => "…" }.`,
        { subject: "rules" },
      );
    }
    const text = rule.reply(request);
    this.#counts[rule.role]++;
    if (this.#record) this.#calls.push({ role: rule.role, system: request.system, prompt: request.prompt, text });
    return text;
  }

  /**
   * {@link Engine} method: answers from the system prompt and the last prompt. tracegrad's repair request (earlier
   * turns, and a prompt without a `<VARIABLE>` block) is answered like the original request in the history, so rules
   * need not know about repairs.
   */
  async generate(request: EngineRequest): Promise<EngineResponse> {
    request.signal?.throwIfAborted();
    const original = request.history?.find((m) => m.role === "user")?.content;
    const isRepair = original !== undefined && extractAllTagged(request.prompt, VARIABLE_TAG).length === 0;
    const text = this.reply({ system: request.system, prompt: isRepair ? original : request.prompt });
    const inputTokens = estimateTokens(`${request.system ?? ""}${request.prompt}`);
    const outputTokens = estimateTokens(text);
    return { text, model: this.model, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } };
  }

  #ruleFor(request: SimulatedRequest): SimulatedRule<Role> | undefined {
    return this.rules.find((rule) => rule.matches(request));
  }

  #zeroCounts(): Record<Role, number> {
    return Object.fromEntries(this.rules.map((rule) => [rule.role, 0])) as Record<Role, number>;
  }
}

/**
 * A `reply` function for {@link startStubServer} that answers with `model`, sharing its counters and recorded calls
 * with the test. The stub passes the system messages (joined) and the last user message.
 *
 * @example
 * const model = new SimulatedModel(rules);
 * const stub = await startStubServer({ reply: simulatedReply(model) });
 * // … ChatOpenAI({ configuration: { baseURL: stub.url } }) now talks to the rules; model.counts shows who was asked
 */
export function simulatedReply<Role extends string>(model: SimulatedModel<Role>): (request: SimulatedRequest) => string {
  if (!(model instanceof SimulatedModel)) {
    throw new InvalidArgumentError("simulatedReply: pass a SimulatedModel, e.g. simulatedReply(new SimulatedModel(rules)).", { subject: "model" });
  }
  return (request) => model.reply({ system: request.system, prompt: request.prompt });
}

function validateRules(rules: readonly SimulatedRule<string>[]): void {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new InvalidArgumentError("SimulatedModel: rules must be a non-empty array of { role, matches(request), reply(request) }.", { subject: "rules" });
  }
  rules.forEach((rule, i) => {
    if (typeof rule?.role !== "string" || typeof rule.matches !== "function" || typeof rule.reply !== "function") {
      throw new InvalidArgumentError(
        `SimulatedModel: rule ${i} must be { role: string, matches(request): boolean, reply(request): string }.`,
        { subject: `rules[${i}]` },
      );
    }
  });
}

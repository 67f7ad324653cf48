/**
 * @module optim/tgd
 * Textual gradient descent: for each parameter with feedback, ask the engine for an improved value. `propose()` only
 * computes; `apply()` writes; `step()` does both.
 */
import { InvalidArgumentError, UpdateParseError } from "../errors.js";
import type { Engine } from "../engine/types.js";
import { createLimiter } from "../engine/limiter.js";
import { Variable } from "../core/variable.js";
import { toFeedbackItem } from "../core/feedback.js";
import { callEngine, requireEngine } from "../engine/call-engine.js";
import { settleAll } from "../core/settle-all.js";
import { renderOptimizerPrompt } from "../prompts/optimizer-prompt.js";
import { renderOptimizerSystemPrompt } from "../prompts/optimizer-system.js";
import { renderRepairPrompt } from "../prompts/repair-prompt.js";
import { DEFAULT_UPDATE_TAGS, describeUpdateProblem, readUpdate, type UpdateTags } from "../prompts/update-tags.js";
import { ParameterHistory } from "./parameter-history.js";
import { DEFAULT_FEEDBACK_BUDGET_CHARS, digestFeedback, digestItems, type FeedbackDigest } from "./digest-feedback.js";
import type { EngineLike } from "../engine/engine-like.js";
import { jointSectionTag } from "../prompts/joint-update-sections.js";
import { defaultWarn } from "../store/warn.js";
import { proposeJoint } from "./joint-update.js";

/**
 * How the updates are asked for. `"reduced"` (default): one call per parameter, its feedback shown whole while it fits
 * the feedback budget, else deduplicated, else merged by one reduce call into distinct points with their evidence
 * (see optim/digest-feedback). `"textgrad"`: one call per parameter with every piece and its full exchange, whatever
 * the size (TextGrad's prompt). `"joint"`: ONE call for all the parameters with feedback, each shown with its id, role,
 * value and feedback digested as in `"reduced"`; the reply has one section per parameter (see optim/joint-update).
 */
export type UpdateMode = "reduced" | "textgrad" | "joint";

/** Every {@link UpdateMode}, for validation. */
export const UPDATE_MODES: readonly UpdateMode[] = ["reduced", "textgrad", "joint"];

/** Options of {@link TGD}. */
export interface TGDOptions {
  /** The Variables to improve; each must have `requiresGrad: true`. */
  readonly parameters: readonly Variable[];
  /** The engine that writes the improved values. */
  readonly engine: EngineLike;
  /** Rules every new value must follow, rendered numbered ("1. …"). */
  readonly constraints?: readonly string[];
  /** Examples the new values should be based on. */
  readonly inContextExamples?: readonly string[];
  /** How many earlier values of a parameter to show (momentum). Default 0. */
  readonly momentumWindow?: number;
  /** How many earlier steps' feedback to show (gradient memory). Default 0. */
  readonly gradientMemory?: number;
  /** The reply tags. Default `<IMPROVED_VARIABLE>` … `</IMPROVED_VARIABLE>`. */
  readonly tags?: UpdateTags;
  /** How many parameters are updated at once. Default 8. */
  readonly concurrency?: number;
  /**
   * How the updates are asked for. Default `"reduced"`; `"textgrad"` keeps TextGrad's exact prompt; `"joint"` makes one
   * call for all the parameters (fewer, larger calls; its reply sections are named after `tags`, which must then have
   * the form `<NAME>` … `</NAME>`).
   */
  readonly update?: UpdateMode;
  /**
   * Receives what a step left unchanged despite feedback (with `update: "joint"`: a parameter the reply had no section
   * for, or whose section repeats its value). Default: `process.emitWarning` (type "TracegradWarning").
   */
  readonly onWarning?: (warning: string) => void;
  /**
   * With `update: "reduced"`: the size, in characters, above which a parameter's feedback is deduplicated and then
   * reduced before its update. Default 6000.
   */
  readonly feedbackBudgetChars?: number;
}

/** A proposed new value for one parameter. */
export interface Proposal {
  readonly parameter: Variable;
  readonly value: string;
  /** The value when the proposal was made. */
  readonly previous: string;
  /** How the feedback was shown to the optimizer: the points and the pieces of feedback each came from. */
  readonly feedback?: FeedbackDigest;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * Textual gradient descent (TextGrad's `TGD`). A parameter without feedback costs no call and keeps its value.
 * Feedback over the budget (`feedbackBudgetChars`, default 6000) is deduplicated and, if still too long, merged by one
 * reduce call before the update; `proposal.feedback` shows the points and the pieces each came from.
 * `update: "textgrad"` sends every piece with its exchange instead, as TextGrad does.
 *
 * @example
 * const opt = new TGD({ parameters: [system], engine, constraints: ["Keep it under 100 words."] });
 * await loss.backward({ engine });
 * const proposals = await opt.step(); // [{ parameter: system, value: "…", previous: "…" }]
 * opt.zeroGrad();
 */
export class TGD {
  /** The parameters, deduplicated, in the order given (the caller's own Variables, not copies). */
  readonly parameters: readonly Variable[];
  readonly #engine: Engine;
  readonly #options: TGDOptions;
  readonly #tags: UpdateTags;
  /** With `update: "joint"`: the reply's section tag name. */
  readonly #sectionTag: string | undefined;
  readonly #history: ParameterHistory;
  readonly #proposed = new WeakMap<Proposal, readonly string[]>();

  constructor(options: TGDOptions) {
    const parameters = [...new Set(options?.parameters ?? [])];
    if (parameters.length === 0) {
      throw new InvalidArgumentError("TGD needs { parameters: [variable, …] } with at least one Variable to improve.", { subject: "parameters" });
    }
    for (const p of parameters) {
      if (!(p instanceof Variable)) {
        throw new InvalidArgumentError("TGD: every parameter must be a Variable created with { requiresGrad: true }.", { subject: "parameters" });
      }
      if (!p.requiresGrad) {
        throw new InvalidArgumentError(
          `TGD: parameter "${p.id ?? p.role}" has requiresGrad: false, so it never receives feedback — create it with { requiresGrad: true } or leave it out of parameters.`,
          { subject: p.id ?? p.role },
        );
      }
    }
    const momentum = count(options.momentumWindow, "momentumWindow");
    const memory = count(options.gradientMemory, "gradientMemory");
    const tags = options.tags ?? DEFAULT_UPDATE_TAGS;
    if (!tags.start || !tags.end || tags.start === tags.end) {
      throw new InvalidArgumentError("TGD: tags need a non-empty start and a different non-empty end, e.g. { start: \"<NEW>\", end: \"</NEW>\" }.", { subject: "tags" });
    }
    createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY); // validates early, before any call
    if (options.update !== undefined && !UPDATE_MODES.includes(options.update)) {
      throw new InvalidArgumentError(`TGD: update must be ${UPDATE_MODES.map((m) => `"${m}"`).join(" or ")} (got ${JSON.stringify(options.update)}).`, { subject: "update" });
    }
    const sectionTag = options.update === "joint" ? jointSectionTag(tags) : undefined;
    if (options.update === "joint" && sectionTag === undefined) {
      throw new InvalidArgumentError(
        `TGD: update: "joint" names its reply sections after the tags, so they must look like <NAME> and </NAME> (got ${JSON.stringify(tags.start)} and ${JSON.stringify(tags.end)}) — use such tags or leave tags out.`,
        { subject: "tags" },
      );
    }
    if (options.onWarning !== undefined && typeof options.onWarning !== "function") {
      throw new InvalidArgumentError(`TGD: onWarning must be a function (warning) => void (got ${typeof options.onWarning}).`, { subject: "onWarning" });
    }
    const budget = options.feedbackBudgetChars;
    if (budget !== undefined && !(Number.isInteger(budget) && budget > 0)) {
      throw new InvalidArgumentError(`TGD: feedbackBudgetChars must be a whole number > 0 (got ${String(budget)}).`, { subject: "feedbackBudgetChars" });
    }
    this.#engine = requireEngine(options.engine, `TGD for "${parameters[0]!.id ?? parameters[0]!.role}"`, "TGD");
    this.parameters = Object.freeze(parameters);
    this.#options = options;
    this.#tags = tags;
    this.#sectionTag = sectionTag;
    this.#history = new ParameterHistory(Math.max(momentum, memory));
  }

  /**
   * Computes new values for the parameters that have feedback, concurrently; changes nothing. If any update fails
   * (engine error, or no tagged value even after one repair) it throws that typed error after the others finish.
   * With `update: "joint"`, one call proposes them all; a parameter its reply leaves unchanged gets no proposal and a
   * warning (`onWarning`).
   */
  async propose(): Promise<Proposal[]> {
    const limit = createLimiter(this.#options.concurrency ?? DEFAULT_CONCURRENCY);
    const withFeedback = this.parameters.filter((p) => p.gradients.length > 0);
    if (this.#sectionTag !== undefined) return this.#proposeJoint(withFeedback, limit);
    return settleAll(withFeedback.map((p) => limit(() => this.#proposeOne(p))));
  }

  /**
   * Writes proposed values and records them (and the feedback behind them) for momentum and gradient memory.
   * All or nothing: every proposal is checked first (its parameter belongs to this optimizer, its value is a
   * non-empty, non-whitespace string), so a bad one throws InvalidArgumentError before any value is written.
   */
  apply(proposals: readonly Proposal[]): void {
    // Through unknown: Array.isArray would narrow a readonly array to any[] and lose the element type.
    if (!Array.isArray(proposals as unknown)) {
      throw new InvalidArgumentError("TGD.apply needs the array of proposals returned by propose().", { subject: "proposals" });
    }
    for (const proposal of proposals) checkProposal(proposal, this.parameters);
    for (const proposal of proposals) {
      const feedback = this.#proposed.get(proposal) ?? proposal.parameter.gradients.map((g) => g.text);
      this.#history.record(proposal.parameter, proposal.previous, feedback);
      proposal.parameter.setValue(proposal.value);
    }
  }

  /** `propose()` then `apply()`; returns the proposals. On error nothing is written. */
  async step(): Promise<Proposal[]> {
    const proposals = await this.propose();
    this.apply(proposals);
    return proposals;
  }

  /** Forgets the feedback on every parameter (history for momentum and memory is kept). */
  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  async #proposeJoint(parameters: readonly Variable[], limit: ReturnType<typeof createLimiter>): Promise<Proposal[]> {
    if (parameters.length === 0) return [];
    const digests = await settleAll(parameters.map((p) => limit(() => this.#digest(p))));
    const values = await proposeJoint({
      parameters: parameters.map((parameter, i) => ({
        parameter,
        digest: digests[i]!,
        pastValues: this.#history.pastValues(parameter, this.#options.momentumWindow ?? 0),
        pastFeedback: this.#history.pastFeedback(parameter, this.#options.gradientMemory ?? 0),
      })),
      engine: this.#engine,
      tag: this.#sectionTag!,
      constraints: this.#options.constraints ?? [],
      examples: this.#options.inContextExamples ?? [],
      warn: this.#options.onWarning ?? defaultWarn,
    });
    return values.map(({ parameter, value, previous, digest }) => this.#proposal(parameter, value, previous, digest));
  }

  /** How a parameter's feedback is shown: every piece (TextGrad), or brought under the budget. */
  async #digest(parameter: Variable): Promise<FeedbackDigest> {
    const feedback = parameter.gradients;
    if (this.#options.update === "textgrad") return { method: "all", points: feedback.map((g, i) => ({ text: g.text, items: [i], from: [g.from] })), calls: 0 };
    return digestFeedback({
      gradients: feedback,
      role: parameter.role,
      value: parameter.value,
      budgetChars: this.#options.feedbackBudgetChars ?? DEFAULT_FEEDBACK_BUDGET_CHARS,
      engine: this.#engine,
      name: parameter.id ?? parameter.role,
    });
  }

  #proposal(parameter: Variable, value: string, previous: string, digest: FeedbackDigest): Proposal {
    const proposal: Proposal = Object.freeze({ parameter, value, previous, feedback: digest });
    // gradient memory keeps what the optimizer saw: the points, bounded, rather than every raw piece
    this.#proposed.set(proposal, digest.points.map((p) => p.text));
    return proposal;
  }

  async #proposeOne(parameter: Variable): Promise<Proposal> {
    const name = parameter.id ?? parameter.role;
    const previous = parameter.value;
    const feedback = parameter.gradients;
    const digest = await this.#digest(parameter);
    const system = renderOptimizerSystemPrompt(this.#tags);
    const prompt = renderOptimizerPrompt({
      role: parameter.role,
      value: previous,
      // TextGrad's prompt shows every piece, repeats included; the default shows a repeated text once
      feedback: this.#options.update === "textgrad" || digest.method !== "all" ? feedback.map(toFeedbackItem) : digestItems(digest, feedback),
      ...(digest.method === "all" ? {} : { points: digest.points }),
      constraints: this.#options.constraints ?? [],
      examples: this.#options.inContextExamples ?? [],
      pastValues: this.#history.pastValues(parameter, this.#options.momentumWindow ?? 0),
      pastFeedback: this.#history.pastFeedback(parameter, this.#options.gradientMemory ?? 0),
      tags: this.#tags,
    });
    const what = `TGD update of "${name}"`;
    const reply = await callEngine(this.#engine, { system, prompt }, what, name);
    let reading = readUpdate(reply, this.#tags);
    let last = reply;
    if (!reading.ok) {
      const history = [{ role: "user" as const, content: prompt }, { role: "assistant" as const, content: reply }];
      last = await callEngine(this.#engine, { system, history, prompt: renderRepairPrompt(this.#tags, reading.problem) }, `${what} (repair)`, name);
      reading = readUpdate(last, this.#tags);
    }
    if (!reading.ok) {
      throw new UpdateParseError(
        `TGD could not read an update for "${name}": ${describeUpdateProblem(reading.problem, this.#tags)}, even after one repair request. The value was left unchanged — try a stronger model or other tags.`,
        { subject: name, reply: last },
      );
    }
    return this.#proposal(parameter, reading.value, previous, digest);
  }
}

/** TextGrad's long name for {@link TGD}. */
export const TextualGradientDescent = TGD;
/** TextGrad's long name for {@link TGD}. */
export type TextualGradientDescent = TGD;

/** Throws unless `proposal` can be written as is; a write must never fail halfway through apply(). */
function checkProposal(proposal: Proposal, parameters: readonly Variable[]): void {
  const parameter = (proposal as Partial<Proposal> | null | undefined)?.parameter;
  if (!(parameter instanceof Variable)) {
    throw new InvalidArgumentError("TGD.apply: every proposal must be a { parameter, value, previous } object as returned by propose().", { subject: "proposals" });
  }
  const name = parameter.id ?? parameter.role;
  if (!parameters.includes(parameter)) {
    throw new InvalidArgumentError(`TGD.apply: "${name}" is not one of this optimizer's parameters — apply its proposals with the optimizer that owns it.`, { subject: name });
  }
  const value: unknown = proposal.value;
  if (typeof value !== "string" || value.trim() === "") {
    const got = typeof value === "string" ? "an empty or whitespace-only string" : value === null ? "null" : typeof value;
    throw new InvalidArgumentError(`TGD.apply: the proposed value for "${name}" must be a non-empty string (got ${got}); nothing was written — drop or fix that proposal.`, { subject: name });
  }
}

function count(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`TGD: ${name} must be a whole number ≥ 0 (got ${String(value)}).`, { subject: name });
  }
  return value;
}

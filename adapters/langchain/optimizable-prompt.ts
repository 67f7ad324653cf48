/**
 * @module adapters/langchain/optimizable-prompt
 * A chat prompt for LCEL chains whose system message is a trainable parameter: the template is rebuilt from the
 * parameter's current value at every invoke, so an optimizer's update applies to the unmodified chain.
 */
import { SystemMessage } from "@langchain/core/messages";
import type { ChatPromptValueInterface } from "@langchain/core/prompt_values";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { Runnable, type RunnableConfig } from "@langchain/core/runnables";
import { activeCapture, faultSinkOf, guard, paramIdOf, type ErrorHook, type Variable } from "../../src/trace/adapter-kit.js";
import { withParamScope } from "./param-scope.js";

/** Options of {@link optimizablePrompt}. */
export interface OptimizablePromptOptions {
  /** Run name of the prompt run (default "ChatPromptTemplate"). */
  readonly name?: string;
  /**
   * Treat `{variables}` in the system prompt as template variables. Default false: the system prompt is sent as
   * literal text, because an optimizer may well write braces (JSON examples) into it.
   */
  readonly interpolateSystem?: boolean;
  /** Template syntax of the human template (and of the system prompt when interpolated). Default "f-string". */
  readonly templateFormat?: "f-string" | "mustache";
  /** Receives internal faults (also handed to the active capture's hook). */
  readonly onError?: ErrorHook;
}

/**
 * A ChatPromptTemplate-like runnable: `[system: the parameter's current value, human: humanTemplate]`. Its prompt
 * run records the parameter (`tracegrad.param.*` on the prompt span, and the capture's `params`).
 */
export class OptimizablePrompt extends Runnable<Record<string, unknown>, ChatPromptValueInterface> {
  lc_namespace = ["tracegrad", "prompts"];
  readonly systemPrompt: Variable;
  readonly humanTemplate: string;
  readonly #options: OptimizablePromptOptions;

  constructor(systemPrompt: Variable, humanTemplate: string, options: OptimizablePromptOptions = {}) {
    super();
    this.systemPrompt = systemPrompt;
    this.humanTemplate = humanTemplate;
    this.#options = options;
  }

  /** The ChatPromptTemplate for the parameter's value right now. */
  template(): ChatPromptTemplate {
    const value = this.systemPrompt.value;
    const system = this.#options.interpolateSystem ? (["system", value] as ["system", string]) : new SystemMessage(value);
    return ChatPromptTemplate.fromMessages([system, ["human", this.humanTemplate]], { templateFormat: this.#options.templateFormat ?? "f-string" });
  }

  override async invoke(input: Record<string, unknown>, options?: Partial<RunnableConfig>): Promise<ChatPromptValueInterface> {
    const capture = activeCapture();
    if (capture) {
      const sink = faultSinkOf(this.#options.onError, capture);
      guard(sink, "optimizable prompt parameter", () => capture.params.set(paramIdOf(this.systemPrompt), this.systemPrompt));
    }
    const config = this.#options.name !== undefined && options?.runName === undefined ? { ...options, runName: this.#options.name } : options;
    const template = this.template();
    return withParamScope({ target: "prompt", params: [this.systemPrompt] }, () => template.invoke(input, config));
  }
}

/**
 * A chat prompt whose system message is the trainable `systemPrompt`, read at each invoke.
 *
 * @example
 * const answerPrompt = param("Answer in one sentence.", { id: "answerer.system", role: "system prompt of the answerer" });
 * const chain = optimizablePrompt(answerPrompt, "{question}").pipe(model);
 * const { output, graph } = await trace(() => chain.invoke({ question: "Why is the sky blue?" }, { callbacks: [tracegradCallbacks()] }));
 */
export function optimizablePrompt(systemPrompt: Variable, humanTemplate: string, options: OptimizablePromptOptions = {}): OptimizablePrompt {
  return new OptimizablePrompt(systemPrompt, humanTemplate, options);
}

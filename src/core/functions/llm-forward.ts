/**
 * @module core/functions/llm-forward
 * What every LLM-backed function does at forward time: send the system prompt and the rendered user message, and
 * wrap the reply in a Variable that records its inputs and the LLM backward rule.
 */
import { InvalidArgumentError } from "../../errors.js";
import type { Engine } from "../../engine/types.js";
import { Variable } from "../variable.js";
import { callEngine } from "./call-engine.js";
import { llmBackwardRule } from "./backward-rules.js";

/** Per-call options of every `forward()`. */
export interface ForwardOptions {
  /** Role of the output. Each function has a sensible default. */
  readonly role?: string;
  /** Overrides the default (true when any input requires gradients). */
  readonly requiresGrad?: boolean;
  /** A stable id for the output (never shown in prompts). */
  readonly id?: string;
}

/** Turns a plain-string system prompt into a frozen Variable; passes Variables (and undefined) through. */
export function asVariable(value: Variable | string | undefined, role: string): Variable | undefined {
  if (value === undefined || value instanceof Variable) return value;
  return new Variable(value, { role, requiresGrad: false });
}

/** Throws InvalidArgumentError unless `value` is a Variable. */
export function requireVariable(value: unknown, who: string, name: string): Variable {
  if (value instanceof Variable) return value;
  throw new InvalidArgumentError(`${who}: "${name}" must be a Variable (got ${value === null ? "null" : typeof value}); wrap text with new Variable(text, { role }).`, {
    subject: name,
  });
}

/** Calls the engine and returns the output Variable with predecessors [system?, ...inputs]. */
export async function forwardLlm(args: {
  readonly engine: Engine;
  readonly system: Variable | undefined;
  readonly prompt: string;
  readonly inputs: readonly Variable[];
  readonly who: string;
  readonly role: string;
  readonly options: ForwardOptions | undefined;
}): Promise<Variable> {
  const system = args.system?.value;
  const request = system === undefined ? { prompt: args.prompt } : { system, prompt: args.prompt };
  const text = await callEngine(args.engine, request, `${args.who}.forward producing "${args.role}"`, args.options?.id ?? args.role);
  return new Variable(text, {
    role: args.role,
    predecessors: args.system ? [args.system, ...args.inputs] : [...args.inputs],
    backwardRule: llmBackwardRule({ system, prompt: args.prompt }),
    requiresGrad: args.options?.requiresGrad,
    id: args.options?.id,
  });
}

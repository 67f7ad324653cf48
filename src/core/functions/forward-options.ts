/**
 * @module core/functions/forward-options
 * What every function's `forward()` takes besides its inputs, and the two checks every forward makes on its inputs.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Variable } from "../variable.js";

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

/**
 * @module trace/peek-value
 * Reads a Variable's text without recording a use. A `param()` records every read of `.value` inside trace(); the
 * tracing code itself reads parameters too (to write their attributes, to match a system prompt), and those reads
 * must not count as the agent using the prompt.
 */
import { Variable } from "../core/variable.js";

// Variable's own getter, taken once at load: calling it skips the override of a param() subclass.
const baseGetter = Object.getOwnPropertyDescriptor(Variable.prototype, "value")!.get!;

/**
 * The current text of `v`, without notifying the running trace.
 *
 * @example
 * peekValue(plannerPrompt); // same as plannerPrompt.value, but not recorded as a use
 */
export function peekValue(v: Variable): string {
  return baseGetter.call(v) as string;
}

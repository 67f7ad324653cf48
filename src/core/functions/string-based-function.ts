/**
 * @module core/functions/string-based-function
 * Plain code inside the graph (a metric, a parser, a formatter): its output gets feedback through the
 * string-function backward prompt.
 */
import { InvalidArgumentError } from "../../errors.js";
import { defaultFunctionOutputRole } from "../../prompts/default-roles.js";
import { Variable } from "../variable.js";
import { functionBackwardRule } from "./backward-rules.js";
import { requireVariable, type ForwardOptions } from "./llm-forward.js";

/** Options of {@link StringBasedFunction}. */
export interface StringBasedFunctionOptions {
  /** Receives the input Variables by name; returns the output text (a number is converted with String()). */
  readonly fn: (inputs: Readonly<Record<string, Variable>>) => string | number;
  /** What the function is for; shown to the backward engine. */
  readonly purpose: string;
}

/**
 * Runs `fn` on named inputs. The output's predecessors are the inputs in key order. Errors thrown by `fn` propagate
 * unchanged: they are the caller's own.
 *
 * @example
 * const exactMatch = new StringBasedFunction({
 *   purpose: "check whether the prediction equals the ground truth",
 *   fn: ({ prediction, truth }) => (prediction!.value.trim() === truth!.value.trim() ? 1 : 0),
 * });
 * const loss = exactMatch.forward({ prediction, truth });
 */
export class StringBasedFunction {
  readonly fn: StringBasedFunctionOptions["fn"];
  readonly purpose: string;

  constructor(options: StringBasedFunctionOptions) {
    if (typeof options?.fn !== "function" || typeof options.purpose !== "string" || options.purpose.trim() === "") {
      throw new InvalidArgumentError("StringBasedFunction needs { fn, purpose } with a non-empty purpose: the purpose is what the backward engine is told.", {
        subject: "StringBasedFunction",
      });
    }
    this.fn = options.fn;
    this.purpose = options.purpose;
  }

  /** Calls `fn` and wraps its result. */
  forward(inputs: Readonly<Record<string, Variable>>, options?: ForwardOptions): Variable {
    const names = Object.keys(inputs ?? {});
    const variables = names.map((n) => requireVariable(inputs[n], "StringBasedFunction.forward", n));
    const result: unknown = this.fn(inputs);
    if (typeof result !== "string" && typeof result !== "number") {
      throw new InvalidArgumentError(
        `StringBasedFunction "${this.purpose}" returned ${result === null ? "null" : typeof result}; return a string or a number.`,
        { subject: this.purpose },
      );
    }
    return new Variable(String(result), {
      role: options?.role ?? defaultFunctionOutputRole(this.purpose),
      predecessors: variables,
      backwardRule: functionBackwardRule({
        purpose: this.purpose,
        inputs: names.map((name, i) => ({ name, role: variables[i]!.role, value: variables[i]!.value })),
      }),
      requiresGrad: options?.requiresGrad,
      id: options?.id,
    });
  }
}

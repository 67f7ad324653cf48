/**
 * @module core/functions/string-based-function
 * Plain code inside the graph (a metric, a parser, a formatter), forward and backward side by side: its output gets
 * feedback through the string-function backward prompt.
 */
import { InvalidArgumentError } from "../../errors.js";
import { defaultFunctionOutputRole } from "../../prompts/default-roles.js";
import { renderFunctionExchange, type FunctionInput } from "../../prompts/exchange.js";
import type { BackwardRule } from "../feedback.js";
import { Variable } from "../variable.js";
import { askFeedback } from "./ask-feedback.js";
import { requireVariable, type ForwardOptions } from "./forward-options.js";

/** What a function call saw at forward time. */
export interface FunctionBackwardRuleInput {
  readonly purpose: string;
  /** The named inputs with their roles and forward-time values, in order. */
  readonly inputs: readonly FunctionInput[];
}

/**
 * The backward rule of a string-based function: one backward-engine call for all its trainable inputs (one per input
 * with `feedback: "per-input"`), showing the purpose, every named input (full value, with its role), the output, and
 * the objective. Exported so a graph rebuilt from
 * recorded spans uses exactly this rule.
 *
 * @example
 * const score = new Variable("0", { role: "accuracy", predecessors: [prediction],
 *   backwardRule: functionBackwardRule({ purpose: "exact match",
 *     inputs: [{ name: "prediction", role: prediction.role, value: prediction.value }] }) });
 */
export function functionBackwardRule(input: FunctionBackwardRuleInput): BackwardRule {
  const purpose = input.purpose;
  // copied now: the rule must show the forward-time values even if the caller's objects change later
  const inputs = input.inputs.map((i) => ({ name: i.name, role: i.role, value: i.value }));
  return {
    name: "StringBasedFunction.backward",
    run: (ctx) => askFeedback(ctx, "function", renderFunctionExchange({ purpose, inputs, output: ctx.output.value })),
  };
}

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

/**
 * @module core/functions/combine
 * The forward shared by `sum` and `aggregate`: values joined by newlines, roles listed in order.
 */
import { InvalidArgumentError } from "../../errors.js";
import { combinationRole } from "../../prompts/default-roles.js";
import type { BackwardRule } from "../feedback.js";
import { Variable } from "../variable.js";
import { requireVariable, type ForwardOptions } from "./forward-options.js";

/** Builds the combined Variable; `who` names the function in errors. */
export function combine(who: string, variables: readonly Variable[], rule: BackwardRule, options?: ForwardOptions): Variable {
  if (!Array.isArray(variables) || variables.length === 0) {
    throw new InvalidArgumentError(`${who}() needs a non-empty array of Variables.`, { subject: who });
  }
  const inputs = variables.map((v, i) => requireVariable(v, `${who}()`, `variables[${i}]`));
  return new Variable(inputs.map((v) => v.value).join("\n"), {
    role: options?.role ?? combinationRole(inputs.map((v) => v.role)),
    predecessors: inputs,
    backwardRule: rule,
    requiresGrad: options?.requiresGrad,
    id: options?.id,
  });
}

/**
 * @module trace/param-attributes
 * How a trainable parameter is written on a span: `tracegrad.param.ids` plus its version, value and role. Every
 * traced call writes the parameters it used, so their attributes are cached per Variable until the text changes.
 */
import type { Attributes } from "@opentelemetry/api";
import type { Variable } from "../core/variable.js";
import { TG } from "./attributes.js";
import { peekValue } from "./peek-value.js";
import { boundText, shortHash } from "./safe-text.js";

// A parameter's text changes only when an optimizer applies an update: keep the last version and attributes per
// Variable, recomputed when the value changes. A pure cache (a WeakMap: it never keeps a Variable alive).
const perParam = new WeakMap<Variable, { readonly value: string; readonly version: string; readonly attrs: Attributes }>();

/**
 * The id under which a parameter is recorded: its id, else its role (`tracegrad.param.ids`, a capture's `params`).
 *
 * @example
 * paramIdOf(param("planner.system", text, { role: "system prompt of the planner" })); // "planner.system"
 */
export function paramIdOf(p: Variable): string {
  return p.id ?? p.role;
}

function paramEntry(p: Variable): { readonly version: string; readonly attrs: Attributes } {
  // peeked: writing a parameter's attributes is not the agent using it
  const value = peekValue(p);
  const known = perParam.get(p);
  if (known && known.value === value) return known;
  const id = paramIdOf(p);
  const version = shortHash(value);
  const attrs: Attributes = {
    [`${TG.paramPrefix}${id}.version`]: version,
    [`${TG.paramPrefix}${id}.value`]: boundText(value),
    [`${TG.paramPrefix}${id}.role`]: p.role,
  };
  const entry = { value, version, attrs };
  perParam.set(p, entry);
  return entry;
}

/** The content version of a parameter's current value (short sha256, cached until the value changes). */
export function paramVersion(p: Variable): string {
  return paramEntry(p).version;
}

/** `tracegrad.param.ids` plus `tracegrad.param.<id>.version|value|role` for each parameter (pure). */
export function paramAttributes(params: readonly Variable[]): Attributes {
  if (params.length === 0) return {};
  const attrs: Attributes = {};
  const ids: string[] = [];
  for (const p of params) {
    ids.push(paramIdOf(p));
    Object.assign(attrs, paramEntry(p).attrs);
  }
  attrs[TG.paramIds] = ids;
  return attrs;
}

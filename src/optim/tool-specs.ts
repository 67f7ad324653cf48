/**
 * @module optim/tool-specs
 * The tools a model call could call, as recorded on its span, and the check an edited tool call's arguments must pass
 * before a re-run executes them. Only the common subset of JSON Schema is checked (types, required, enum, const,
 * nested properties and items, anyOf/oneOf): enough to reject an optimizer's malformed edit, without a validator
 * dependency. A schema feature we do not know is accepted, never guessed.
 */
import { GENAI } from "../trace/attributes.js";
import type { ModuleCall } from "../trace/module-call.js";

/** One tool a model call offered: its name and, when known, the JSON Schema of its arguments. */
export interface ToolSpec {
  readonly name: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** The tools recorded on a model call's span, or undefined when none were recorded (then arguments are not checked). */
export function toolSpecsOf(call: ModuleCall): ToolSpec[] | undefined {
  const raw = call.attributes[GENAI.toolDefinitions];
  if (typeof raw !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return undefined;
    const specs: ToolSpec[] = [];
    for (const d of parsed as Array<Record<string, unknown> | null>) {
      const fn = (d?.function ?? d) as Record<string, unknown> | null | undefined;
      if (typeof fn?.name !== "string") continue;
      const parameters = fn.parameters;
      specs.push(typeof parameters === "object" && parameters !== null ? { name: fn.name, parameters: parameters as Record<string, unknown> } : { name: fn.name });
    }
    return specs;
  } catch {
    return undefined;
  }
}

/**
 * Why `args` do not fit `schema`, or undefined when they do. Paths are written like `time` or `attendees[0].email`.
 *
 * @example
 * checkArguments({ time: 10 }, { type: "object", properties: { time: { type: "string" } }, required: ["time"] });
 * // 'time: expected string, got number'
 */
export function checkArguments(args: unknown, schema: Readonly<Record<string, unknown>>): string | undefined {
  return check(args, schema, "");
}

function check(value: unknown, schema: Readonly<Record<string, unknown>>, path: string): string | undefined {
  const at = path === "" ? "arguments" : path;
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const problems = alternatives.map((s) => check(value, (s ?? {}) as Record<string, unknown>, path));
    if (problems.every((p) => p !== undefined)) return problems[0];
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) return `${at}: expected ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${at}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`;
  }
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? (schema.type as string[]) : undefined;
  if (types && !types.some((t) => isType(value, t))) return `${at}: expected ${types.join(" or ")}, got ${typeName(value)}`;
  if (isType(value, "object")) {
    const obj = value as Record<string, unknown>;
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(key in obj)) return `${join(path, key)}: required argument is missing`;
    }
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) {
        const problem = check(v, props[key], join(path, key));
        if (problem) return problem;
      } else if (schema.additionalProperties === false) return `${join(path, key)}: unknown argument`;
    }
  }
  if (Array.isArray(value) && typeof schema.items === "object" && schema.items !== null && !Array.isArray(schema.items)) {
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], schema.items as Record<string, unknown>, `${path}[${i}]`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case "string": return typeof value === "string";
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "integer": return Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "null": return value === null;
    case "array": return Array.isArray(value);
    case "object": return typeof value === "object" && value !== null && !Array.isArray(value);
    default: return true;
  }
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * @module trace/check-calls
 * Checks ModuleCall records handed to buildGraph() by hand (from a file, a database, another process): the graph
 * builder trusts their types, so a record with a numeric input or a missing params list would otherwise surface as a
 * TypeError deep inside edge inference. Each problem is a {@link TraceFormatError} naming the record and the field.
 */
import { TraceFormatError } from "../errors.js";
import { describeError, describeValue } from "./describe-value.js";
import type { CallKind, Dialect, ModuleCall } from "./module-call.js";

const KINDS = new Set<CallKind>(["module", "llm", "tool", "chain", "prompt", "retriever", "agent", "unknown"]);
const DIALECTS = new Set<Dialect>(["tracegrad", "genai", "genai-legacy", "openinference", "vercel", "langsmith", "unknown"]);

type Rec = Record<string, unknown>;

/**
 * The records, checked: each is copied (its own fields read once, so a getter cannot answer differently later) and
 * must have the fields and types of a {@link ModuleCall}.
 *
 * @example
 * const graph = buildGraph(checkCalls(JSON.parse(text)));
 * @throws TraceFormatError naming the record and field, e.g. `calls[3].params must be an array`.
 */
export function checkCalls(calls: readonly unknown[]): ModuleCall[] {
  const out: ModuleCall[] = [];
  for (let i = 0; i < calls.length; i++) {
    const path = `calls[${i}]`;
    try {
      out.push(checkCall(calls[i], path));
    } catch (error) {
      if (error instanceof TraceFormatError) throw error;
      // a getter or Proxy trap threw while the record was read
      throw fail(path, `could not be read (${describeError(error)})`);
    }
  }
  return out;
}

function checkCall(value: unknown, path: string): ModuleCall {
  const c = { ...object(value, path) };
  for (const key of ["spanId", "traceId", "name", "input", "output"]) string(c[key], `${path}.${key}`);
  if (!KINDS.has(c.kind as CallKind)) throw fail(`${path}.kind`, `must be one of ${[...KINDS].join(", ")} (got ${describeValue(c.kind)})`);
  if (!DIALECTS.has(c.dialect as Dialect)) throw fail(`${path}.dialect`, `must be one of ${[...DIALECTS].join(", ")} (got ${describeValue(c.dialect)})`);
  for (const key of ["startTime", "endTime"]) {
    if (typeof c[key] !== "number" || !Number.isFinite(c[key])) throw fail(`${path}.${key}`, `must be a finite number of epoch milliseconds (got ${describeValue(c[key])})`);
  }
  array(c.params, `${path}.params`).forEach((p, j) => {
    const use = object(p, `${path}.params[${j}]`);
    string(use.id, `${path}.params[${j}].id`);
    for (const key of ["version", "value", "role"]) optionalString(use[key], `${path}.params[${j}].${key}`);
  });
  array(c.inputRefs, `${path}.inputRefs`).forEach((r, j) => string(r, `${path}.inputRefs[${j}]`));
  object(c.attributes, `${path}.attributes`);
  for (const key of ["parentSpanId", "model", "valueId", "moduleId", "role", "error", "system", "toolCallId"]) optionalString(c[key], `${path}.${key}`);
  if (c.callIndex !== undefined && (typeof c.callIndex !== "number" || !Number.isInteger(c.callIndex))) throw fail(`${path}.callIndex`, "must be an integer");
  for (const key of ["messages", "outputMessages"]) {
    if (c[key] !== undefined) array(c[key], `${path}.${key}`).forEach((m, j) => checkMessage(m, `${path}.${key}[${j}]`));
  }
  return c as unknown as ModuleCall;
}

function checkMessage(value: unknown, path: string): void {
  const m = object(value, path);
  string(m.role, `${path}.role`);
  string(m.content, `${path}.content`);
  optionalString(m.id, `${path}.id`);
  optionalString(m.toolCallId, `${path}.toolCallId`);
  if (m.toolCalls === undefined) return;
  array(m.toolCalls, `${path}.toolCalls`).forEach((t, k) => {
    const call = object(t, `${path}.toolCalls[${k}]`);
    for (const key of ["id", "name", "arguments"]) string(call[key], `${path}.toolCalls[${k}].${key}`);
  });
}

function object(value: unknown, path: string): Rec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail(path, `must be an object (got ${describeValue(value)})`);
  return value as Rec;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw fail(path, `must be an array (got ${describeValue(value)})`);
  return value;
}

function string(value: unknown, path: string): void {
  if (typeof value !== "string") throw fail(path, `must be a string (got ${describeValue(value)})`);
}

function optionalString(value: unknown, path: string): void {
  if (value !== undefined) string(value, path);
}

function fail(path: string, problem: string): TraceFormatError {
  return new TraceFormatError(`buildGraph(): ModuleCall record ${path} ${problem}. Pass records as readCalls() returns them, or fix the field.`, { subject: path });
}

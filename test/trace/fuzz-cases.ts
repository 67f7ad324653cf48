/**
 * Seeded fuzz cases for buildGraph(), shared by test/trace/fuzz.test.ts (a few thousand, in the suite) and
 * bench/fuzz.ts (as many as asked, each in a worker with a time limit). Case `i` of seed `s` depends on nothing
 * else, so any failure is reproduced by its (seed, index) alone.
 *
 * Each case is a mutated trace: one of the dialect fixtures or a generated document, given as an object, as text,
 * as an array of documents, as SDK-like spans or as ModuleCall records, with a few of: self-parents, parent rings,
 * duplicate span ids, deep arrayValue/kvlistValue nesting, huge or odd values, wrong types at random paths, BigInts,
 * `__proto__` keys, nulls, circular values, throwing getters, Proxies, identical outputs.
 */
import { readFileSync, readdirSync } from "node:fs";
import { buildGraph } from "../../src/trace/build-graph.js";
import type { ModuleCall } from "../../src/trace/module-call.js";
import { fromOtlpJson, type OtlpJson } from "../../src/trace/otlp.js";
import { readCalls } from "../../src/trace/read-calls.js";
import { TraceFormatError } from "../../src/errors.js";
import { prng } from "../support/prng.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fuzz documents are deliberately untyped

const FIXTURES_DIR = new URL("../fixtures/", import.meta.url);
const FIXTURES: readonly string[] = readdirSync(FIXTURES_DIR)
  .filter((f) => f.endsWith(".otlp.json"))
  .sort()
  .map((f) => readFileSync(new URL(f, FIXTURES_DIR), "utf8"));

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One case: what is handed to buildGraph, and how it was made (for reports). */
export interface FuzzCase {
  readonly input: unknown;
  readonly label: string;
}

/** What happened to one case. */
export interface FuzzOutcome {
  readonly ok: boolean;
  /** "graph", "TraceFormatError", or the constructor name of an untyped error. */
  readonly result: string;
  readonly ms: number;
  readonly message?: string;
}

const hex = (rng: Rng, bytes: number) => Array.from({ length: bytes * 2 }, () => "0123456789abcdef"[rng.int(16)]).join("");
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const str = (key: string, value: unknown) => ({ key, value: { stringValue: value } });

const WORDS = ["alpha", "beta", "the answer is 42", "Paris", "same text", "{\"a\":[1,2,{\"b\":\"c\"}]}", "[1,2,3]", "", " ", "\u0000", "🙂", "Sure! Here is what I found for you: the Pacific is the largest ocean."];

/** A generated document in tracegrad's, GenAI's or OpenInference's keys, with content that flows between spans. */
function generatedDoc(rng: Rng): Json {
  const traceId = hex(rng, 16);
  const n = 1 + rng.int(rng.chance(0.1) ? 300 : 30);
  const identical = rng.chance(0.15);
  const spans: Json[] = [];
  const t0 = 1767225600000;
  for (let i = 0; i < n; i++) {
    const start = t0 + i * rng.int(20) + rng.int(5);
    const end = start + rng.int(100);
    const parent = i > 0 && rng.chance(0.5) ? spans[rng.int(i)].spanId : undefined;
    const input = identical ? "same text" : i > 0 && rng.chance(0.6) ? spans[rng.int(i)].__output : rng.pick(WORDS);
    const output = identical ? "same text" : rng.chance(0.3) ? `${rng.pick(WORDS)} ${"long enough to be a substring match ".repeat(1 + rng.int(3))}${i}` : rng.pick(WORDS);
    const dialect = rng.int(3);
    const attributes =
      dialect === 0
        ? [str("tracegrad.kind", rng.pick(["module", "llm", "tool", "run", "agent", "bogus"])), str("input.value", input), str("output.value", output), str("tracegrad.module.role", rng.pick(["answer", " ", "", "role"])), { key: "tracegrad.param.ids", value: { arrayValue: { values: [{ stringValue: "p1" }] } } }, str("tracegrad.param.p1.value", rng.pick(["You are {name}.", "Answer.", ""])), str("tracegrad.param.p1.role", rng.pick(["system prompt", " "]))]
        : dialect === 1
          ? [str("gen_ai.operation.name", rng.pick(["chat", "execute_tool", "invoke_agent"])), str("gen_ai.input.messages", JSON.stringify([{ role: "user", parts: [{ type: "text", content: input }] }])), str("gen_ai.output.messages", JSON.stringify([{ role: "assistant", id: rng.chance(0.3) ? "msg-1" : undefined, parts: [{ type: "text", content: output }, ...(rng.chance(0.3) ? [{ type: "tool_call", id: "call_1", name: "t", arguments: {} }] : [])] }])), str("gen_ai.tool.call.id", "call_1")]
          : [str("openinference.span.kind", rng.pick(["LLM", "TOOL", "CHAIN", "AGENT", "weird"])), str("input.value", input), str("output.value", output), str("llm.input_messages.0.message.role", "user"), str("llm.input_messages.0.message.content", input)];
    spans.push({ traceId, spanId: hex(rng, 8), ...(parent ? { parentSpanId: parent } : {}), name: `s${i}`, kind: 1 + rng.int(5), startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(end), attributes, status: { code: rng.int(3) }, __output: output });
  }
  for (const s of spans) delete s.__output;
  return { resourceSpans: [{ resource: { attributes: [str("service.name", "fuzz")] }, scopeSpans: [{ scope: { name: "fuzz" }, spans }] }] };
}

const allSpans = (doc: Json): Json[] => {
  const out: Json[] = [];
  for (const rs of doc?.resourceSpans ?? []) for (const ss of rs?.scopeSpans ?? []) for (const s of ss?.spans ?? []) if (s && typeof s === "object") out.push(s);
  return out;
};

function nestedArray(depth: number): Json {
  let v: Json = { stringValue: "leaf" };
  for (let i = 0; i < depth; i++) v = { arrayValue: { values: [v] } };
  return v;
}

function nestedKv(depth: number): Json {
  let v: Json = { stringValue: 'a "quoted" leaf' };
  for (let i = 0; i < depth; i++) v = { kvlistValue: { values: [{ key: `k${i}`, value: v }, { key: "q", value: { stringValue: '"\\' } }] } };
  return v;
}

function oddValue(rng: Rng): unknown {
  const choices: Array<() => unknown> = [
    () => null,
    () => undefined,
    () => 0,
    () => -1,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => 1e308,
    () => "",
    () => " ",
    () => "x".repeat(rng.chance(0.2) ? 200_000 : 50),
    () => "9".repeat(30),
    () => ({}),
    () => [],
    () => [null],
    () => true,
    () => 12345678901234567890n,
    () => Symbol("odd"),
    () => () => 1,
    () => ({ stringValue: 3 }),
    () => ({ toString: () => { throw new Error("toString"); } }),
    () => Object.create(null),
    () => "__proto__",
    () => new Date(0),
  ];
  return rng.pick(choices)();
}

/** Every (container, key) in a JSON tree, bounded. */
function slots(root: Json, limit = 5000): Array<[Json, string | number]> {
  const out: Array<[Json, string | number]> = [];
  const stack: Json[] = [root];
  const seen = new Set<Json>();
  while (stack.length > 0 && out.length < limit) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    for (const key of Object.keys(v)) {
      out.push([v, Array.isArray(v) ? Number(key) : key]);
      stack.push(v[key]);
    }
  }
  return out;
}

type Mutation = (doc: Json, rng: Rng, flags: { unprintable: boolean }) => void;

const MUTATIONS: Record<string, Mutation> = {
  selfParent: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (s) s.parentSpanId = s.spanId;
  },
  ring: (doc, rng) => {
    const spans = allSpans(doc);
    const k = Math.min(spans.length, 2 + rng.int(5));
    const ring = Array.from({ length: k }, () => rng.pick(spans));
    ring.forEach((s, i) => (s.parentSpanId = ring[(i + 1) % k].spanId));
  },
  dupIds: (doc, rng) => {
    const spans = allSpans(doc);
    const a = rng.pick(spans);
    const b = rng.pick(spans);
    if (a && b) {
      b.spanId = a.spanId;
      if (rng.chance(0.5)) a.parentSpanId = b.spanId;
    }
  },
  deepArray: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (s && Array.isArray(s.attributes)) s.attributes.push({ key: "deep", value: nestedArray(rng.chance(0.5) ? 70 + rng.int(500) : rng.int(64)) });
  },
  deepKv: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (s && Array.isArray(s.attributes)) s.attributes.push({ key: "kv", value: nestedKv(rng.int(70)) });
  },
  huge: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (s && Array.isArray(s.attributes)) s.attributes.push(str(rng.pick(["input.value", "output.value", "gen_ai.input.messages"]), "word ".repeat(10_000 + rng.int(40_000))));
  },
  oddAt: (doc, rng, flags) => {
    const all = slots(doc);
    if (all.length === 0) return;
    const [container, key] = rng.pick(all);
    const v = oddValue(rng);
    if (typeof v === "bigint" || typeof v === "symbol" || typeof v === "function" || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype)) flags.unprintable = true;
    container[key] = v;
  },
  nullAt: (doc, rng) => {
    const all = slots(doc);
    if (all.length > 0) {
      const [container, key] = rng.pick(all);
      container[key] = null;
    }
  },
  protoKey: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    const key = rng.pick(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]);
    if (s && Array.isArray(s.attributes)) s.attributes.push({ key, value: rng.chance(0.5) ? { arrayValue: { values: [{ stringValue: "polluted" }] } } : { kvlistValue: { values: [{ key: "__proto__", value: { stringValue: "x" } }] } } });
  },
  bigintTime: (doc, rng, flags) => {
    const s = rng.pick(allSpans(doc));
    if (s) {
      s[rng.pick(["startTimeUnixNano", "endTimeUnixNano"])] = rng.chance(0.7) ? 1767225600000000000n : -1n;
      flags.unprintable = true;
    }
  },
  circular: (doc, rng, flags) => {
    const s = rng.pick(allSpans(doc));
    if (!s) return;
    const v: Json = {};
    v.arrayValue = { values: [v] };
    if (Array.isArray(s.attributes)) s.attributes.push({ key: "loop", value: v });
    else s.kind = v;
    flags.unprintable = true;
  },
  getter: (doc, rng, flags) => {
    const s = rng.pick(allSpans(doc));
    if (!s) return;
    Object.defineProperty(s, rng.pick(["name", "spanId", "attributes", "status"]), { get: () => { throw new TypeError("getter exploded"); }, enumerable: true });
    flags.unprintable = true;
  },
  proxy: (doc, rng, flags) => {
    const rs = doc?.resourceSpans?.[0];
    if (!rs || typeof rs !== "object") return;
    const target = rs.scopeSpans ?? [];
    rs.scopeSpans = rng.chance(0.5) ? new Proxy(target, {}) : new Proxy(target, { get: () => { throw new RangeError("trap"); } });
    flags.unprintable = true;
  },
  identical: (doc) => {
    for (const s of allSpans(doc)) if (Array.isArray(s.attributes)) s.attributes.push(str("output.value", "same text"), str("input.value", "same text"));
  },
  periodic: (doc, rng) => {
    const spans = allSpans(doc);
    const unit = rng.pick(["word ", "ab", "a", "the same sentence again. "]);
    for (const s of spans) if (Array.isArray(s.attributes)) s.attributes.push(str(rng.pick(["input.value", "output.value"]), unit.repeat(200 + rng.int(rng.chance(0.1) ? 30_000 : 3_000))));
  },
  template: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (!s || !Array.isArray(s.attributes)) return;
    const template = Array.from({ length: 2 + rng.int(60) }, (_, i) => `{v${i}}${rng.pick([" and", "", " ", "x"])}`).join("");
    s.attributes.push(str("tracegrad.kind", rng.pick(["prompt", "module"])), { key: "tracegrad.param.ids", value: { stringValue: "tpl" } }, str("tracegrad.param.tpl.value", template));
    for (const other of allSpans(doc)) if (other !== s && Array.isArray(other.attributes)) other.attributes.push(str("input.value", " and".repeat(rng.int(100)) + "x".repeat(rng.int(20_000))));
  },
  times: (doc, rng) => {
    const s = rng.pick(allSpans(doc));
    if (s) [s.startTimeUnixNano, s.endTimeUnixNano] = rng.chance(0.5) ? [s.endTimeUnixNano, s.startTimeUnixNano] : ["0", "18446744073709551615"];
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);
const LAST = new Set(["getter", "proxy", "circular"]);

/** Mutations of ModuleCall records (handed to buildGraph directly). */
function mutateCalls(calls: Json[], rng: Rng): string {
  const c = rng.pick(calls);
  if (!c) return "none";
  const field = rng.pick(["spanId", "parentSpanId", "input", "output", "params", "inputRefs", "messages", "outputMessages", "startTime", "role", "kind", "attributes", "toolCallId", "system"]);
  if (rng.chance(0.3)) c.parentSpanId = rng.chance(0.5) ? c.spanId : rng.pick(calls).spanId;
  else c[field] = oddValue(rng);
  return `calls.${field}`;
}

/** Case `index` of `seed`. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const fromFixture = rng.chance(0.5);
  const doc: Json = fromFixture ? JSON.parse(rng.pick(FIXTURES)) : generatedDoc(rng);
  const shape = rng.pick(["object", "text", "text", "documents", "spans", "calls"]);
  if (shape === "calls") {
    const calls = readCalls(fromOtlpJson(doc as OtlpJson)).calls.map((c) => ({ ...c })) as Json[];
    const applied = Array.from({ length: 1 + rng.int(3) }, () => mutateCalls(calls, rng));
    return { input: calls, label: `${fromFixture ? "fixture" : "generated"}/calls: ${applied.join(", ")}` };
  }
  const flags = { unprintable: false };
  const applied: string[] = [];
  for (let k = 1 + rng.int(3); k > 0; k--) applied.push(rng.pick(MUTATION_NAMES));
  // traps and getters last: the other mutations walk the document
  applied.sort((a, b) => Number(LAST.has(a)) - Number(LAST.has(b)));
  for (const name of applied) {
    try {
      MUTATIONS[name]!(doc, rng, flags);
    } catch {
      // a mutation that trips over an earlier one's trap: the case is hostile enough
    }
  }
  const label = `${fromFixture ? "fixture" : "generated"}/${shape}: ${applied.join(", ")}`;
  if (shape === "text" && !flags.unprintable) {
    try {
      return { input: JSON.stringify(doc), label };
    } catch {
      // too deep for JSON.stringify: hand over the object
    }
  }
  if (shape === "documents") return { input: [doc, doc], label };
  if (shape === "spans") {
    try {
      return { input: fromOtlpJson(doc), label: `${label} (as spans)` };
    } catch {
      return { input: doc, label };
    }
  }
  return { input: doc, label };
}

/** Runs one case: a graph or a TraceFormatError is a pass; anything else (or no answer) is a failure. */
export function runCase(c: FuzzCase): FuzzOutcome {
  const started = performance.now();
  try {
    const graph = buildGraph(c.input as ModuleCall[]);
    if (!graph.output || typeof graph.output.value !== "string") return { ok: false, result: "NoOutput", ms: performance.now() - started };
    return { ok: true, result: "graph", ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof TraceFormatError) return { ok: true, result: "TraceFormatError", ms, message: error.message };
    const name = typeof error === "object" && error !== null ? (error.constructor?.name ?? "Object") : typeof error;
    return { ok: false, result: name, ms, message: error instanceof Error ? error.message : String(error) };
  }
}

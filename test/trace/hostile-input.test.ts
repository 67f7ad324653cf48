import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { TraceFormatError } from "../../src/errors.js";
import { buildGraph } from "../../src/trace/build-graph.js";
import { CONFIDENCE } from "../../src/trace/infer-edges.js";
import type { ModuleCall } from "../../src/trace/module-call.js";
import { fromOtlpJson, type OtlpJson } from "../../src/trace/otlp.js";
import { DEFAULT_OUTPUT_ROLE } from "../../src/prompts/default-roles.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const id = (i: number) => i.toString(16).padStart(16, "0");
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** One OTLP span of tracegrad's own dialect (kind module), `i` milliseconds into the run. */
function span(i: number, extra: Record<string, unknown> = {}, attributes: unknown[] = []): Record<string, unknown> {
  const t = (ms: number) => `${1767225600000 + ms}000000`;
  return {
    traceId: TRACE,
    spanId: id(i),
    name: `step${i}`,
    kind: 1,
    startTimeUnixNano: t(i * 10),
    endTimeUnixNano: t(i * 10 + 5),
    attributes: [
      { key: "tracegrad.kind", value: { stringValue: "module" } },
      { key: "input.value", value: { stringValue: `input of ${i}` } },
      { key: "output.value", value: { stringValue: `output of ${i}` } },
      ...attributes,
    ],
    ...extra,
  };
}
const doc = (spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ scope: { name: "t" }, spans }] }] }) as unknown as OtlpJson;

/** Runs `f`, returning what it threw (or undefined). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("buildGraph on hostile input: parent cycles and duplicate ids (issue 7.1)", () => {
  it("a span that names itself as its parent: breaks the link, warns naming it, and builds", () => {
    const g = buildGraph(doc([span(1), span(2, { parentSpanId: id(2) }, [{ key: "input.value", value: { stringValue: "output of 1" } }])]));
    expect(g.warnings.join("\n")).toMatch(new RegExp(`parent links form a cycle.*"step2" \\(${id(2)}\\)`));
    expect(g.calls.find((c) => c.spanId === id(2))!.parentSpanId).toBeUndefined();
    expect(g.nodes.map((n) => n.id)).toContain(id(2));
  });

  it("a ring of parents (a → b → c → a) is cut once, and every span stays in the graph", () => {
    const g = buildGraph(doc([span(1, { parentSpanId: id(3) }), span(2, { parentSpanId: id(1) }), span(3, { parentSpanId: id(2) })]));
    expect(g.warnings.join("\n")).toMatch(/parent links form a cycle/);
    expect(g.calls.filter((c) => c.parentSpanId === undefined)).toHaveLength(1);
    expect(g.nodes.filter((n) => n.spanId !== undefined)).toHaveLength(3);
  });

  it("duplicate span ids: keeps the first, warns, and does not loop on rings that collapse onto one id", () => {
    const g = buildGraph(doc([span(1), span(2, { parentSpanId: id(1) }), { ...span(9), spanId: id(2), parentSpanId: id(2) }, { ...span(8), spanId: id(1), parentSpanId: id(2) }]));
    expect(g.warnings.join("\n")).toMatch(new RegExp(`duplicate span id ${id(2)}`));
    expect(g.calls.map((c) => c.name)).toEqual(["step1", "step2"]);
  });

  it("the same holds for ModuleCall records, and graph.calls carries the repaired links", () => {
    const record = (spanId: string, parentSpanId: string, startTime: number): ModuleCall => ({
      spanId, parentSpanId, traceId: "t", name: spanId, kind: "module", dialect: "tracegrad", startTime, endTime: startTime + 1,
      input: "x", output: "y", params: [], inputRefs: [], attributes: {},
    });
    const g = buildGraph([record("a", "a", 1), record("b", "c", 2), record("c", "b", 3)]);
    expect(g.calls.every((c) => c.parentSpanId !== c.spanId)).toBe(true);
    expect(g.warnings.filter((w) => /cycle/.test(w)).length).toBe(2);
  });
});

describe("buildGraph on hostile input: nesting and size (issue 7.2-7.4)", () => {
  const nestedKv = (depth: number): unknown => {
    let v: unknown = { stringValue: 'a "quoted" leaf' };
    for (let i = 0; i < depth; i++) v = { kvlistValue: { values: [{ key: `k${i}`, value: v }, { key: "s", value: { stringValue: '"' } }] } };
    return v;
  };

  it("nested kvlistValue attributes are serialized once: depth 28 is fast and reads back as nested JSON", () => {
    const started = performance.now();
    const [s] = fromOtlpJson(doc([span(1, {}, [{ key: "deep", value: nestedKv(28) }])]));
    expect(performance.now() - started).toBeLessThan(500);
    const deep = JSON.parse(String(s!.attributes.deep)) as Record<string, unknown>;
    expect(Object.keys(deep)).toEqual(["k27", "s"]);
    expect(typeof deep.k27).toBe("object"); // nested, not a JSON string inside a JSON string
  });

  it("arrayValue nested 4,000 deep is a TraceFormatError naming the path, not a stack overflow", () => {
    // written as text: JSON.stringify itself overflows on a value this deep (JSON.parse does not)
    const deep = `${'{"arrayValue":{"values":['.repeat(4000)}{"stringValue":"x"}${"]}}".repeat(4000)}`;
    const text = JSON.stringify(doc([span(1, {}, [{ key: "deep", value: "DEEP" }])])).replace('{"key":"deep","value":"DEEP"}', `{"key":"deep","value":${deep}}`);
    expect(text.length).toBeGreaterThan(100_000);
    const error = thrown(() => buildGraph(text));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toMatch(/spans\[0\]\.attributes\[3\]\.value(\.arrayValue\.values\[0\])+ is nested more than 64 levels deep/);
  });

  it("identical outputs do not create all-pairs edges: each consumer links to the nearest producer, at lower confidence", () => {
    const spans = [];
    for (let i = 1; i <= 1000; i++) spans.push(span(i, {}, [{ key: "input.value", value: { stringValue: "same text" } }, { key: "output.value", value: { stringValue: "same text" } }]));
    const started = performance.now();
    const g = buildGraph(doc(spans));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(g.edges.length).toBeLessThan(3000);
    expect(g.edges.find((e) => e.from === id(1) && e.to === id(2))).toMatchObject({ kind: "content", confidence: CONFIDENCE.exact });
    expect(g.edges.find((e) => e.from === id(9) && e.to === id(10))).toMatchObject({ kind: "content", confidence: CONFIDENCE.nearest });
    expect(g.edges.find((e) => e.from === id(1) && e.to === id(10))).toBeUndefined();
  });

  it("identical long outputs (substring matches) are linked to the nearest producer too", () => {
    const text = "a long enough answer that every call returns word for word, again and again";
    const spans = [];
    for (let i = 1; i <= 1000; i++) spans.push(span(i, {}, [{ key: "input.value", value: { stringValue: `Context: ${text}. Go on.` } }, { key: "output.value", value: { stringValue: text } }]));
    const g = buildGraph(doc(spans));
    expect(g.edges.length).toBeLessThan(3000);
    expect(g.edges.find((e) => e.from === id(9) && e.to === id(10))).toMatchObject({ kind: "content", confidence: CONFIDENCE.nearest });
  });
});

describe("buildGraph on hostile input: every failure is typed (issue 7.5)", () => {
  const expectTyped = (f: () => unknown, message: RegExp) => {
    const error = thrown(f);
    expect(error, String(error)).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toMatch(message);
  };

  it("values JSON.stringify cannot print (BigInt, circular) still give a message naming the path", () => {
    expectTyped(() => buildGraph(doc([span(1, { kind: 5n })]) as never), /spans\[0\]\.kind is not an OTLP span kind \(5n\)/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expectTyped(() => buildGraph(doc([span(1, { kind: circular })]) as never), /spans\[0\]\.kind is not an OTLP span kind/);
    expectTyped(() => buildGraph(doc([span(1, { startTimeUnixNano: circular })]) as never), /spans\[0\]\.startTimeUnixNano must be epoch nanoseconds/);
  });

  it("BigInt times are read as nanoseconds; a time past uint64 is a TraceFormatError", () => {
    const g = buildGraph(doc([span(1, { startTimeUnixNano: 1767225600000000000n, endTimeUnixNano: 1767225600005000000n })]) as never);
    expect(g.calls[0]!.startTime).toBe(1767225600000);
    expectTyped(() => buildGraph(doc([span(1, { endTimeUnixNano: "9".repeat(400) })]) as never), /spans\[0\]\.endTimeUnixNano/);
  });

  it("a circular attribute value is a TraceFormatError, not a stack overflow", () => {
    const value: Record<string, unknown> = {};
    value.arrayValue = { values: [value] };
    expectTyped(() => buildGraph(doc([span(1, {}, [{ key: "loop", value }])]) as never), /attributes\[3\]\.value(\.arrayValue\.values\[0\])+ is nested more than 64 levels deep/);
  });

  it("throwing getters and Proxies in object input", () => {
    const bad = span(1);
    Object.defineProperty(bad, "name", { get: () => { throw new TypeError("getter exploded"); }, enumerable: true });
    expectTyped(() => buildGraph(doc([bad]) as never), /spans\[0\].*getter exploded/);
    const proxy = new Proxy([], { get: () => { throw new RangeError("trap"); } });
    expectTyped(() => buildGraph({ resourceSpans: proxy } as never), /resourceSpans.*trap/);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expectTyped(() => buildGraph(revocable.proxy as never), /document/);
  });

  it("malformed ModuleCall records name the record and field", () => {
    const good: ModuleCall = { spanId: "a", traceId: "t", name: "a", kind: "module", dialect: "tracegrad", startTime: 1, endTime: 2, input: "x", output: "y", params: [], inputRefs: [], attributes: {} };
    expectTyped(() => buildGraph([good, { ...good, spanId: "b", input: 5 } as never]), /calls\[1\]\.input must be a string/);
    expectTyped(() => buildGraph([good, { ...good, spanId: "b", params: null } as never]), /calls\[1\]\.params must be an array/);
    expectTyped(() => buildGraph([good, { ...good, spanId: "b", params: [{ id: 3 }] } as never]), /calls\[1\]\.params\[0\]\.id must be a string/);
    expectTyped(() => buildGraph([good, { ...good, spanId: "b", kind: "llm", messages: [null] } as never]), /calls\[1\]\.messages\[0\] must be an object/);
    expectTyped(() => buildGraph([good, { ...good, spanId: "b", startTime: Number.NaN } as never]), /calls\[1\]\.startTime must be a finite number/);
  });

  it("an array that holds neither spans, records nor documents is a TraceFormatError naming the element", () => {
    expectTyped(() => buildGraph([null] as never), /buildGraph\(\) input\[0\] is null/);
    expectTyped(() => buildGraph([42] as never), /input\[0\] is a number/);
    expectTyped(() => buildGraph(undefined as never), /buildGraph\(\) got undefined/);
  });

  it("a span whose spanContext() throws is skipped with a warning", () => {
    const good = fromOtlpJson(doc([span(1)]));
    const bad = { ...good[0]!, spanContext: () => { throw new Error("no context"); } };
    const g = buildGraph([...good, bad]);
    expect(g.calls).toHaveLength(1);
    expect(g.warnings.join("\n")).toMatch(/no context/);
  });

  it("an array of parsed OTLP documents reads as the same text does", () => {
    const text = fixture("genai-current.otlp.json");
    const fromText = buildGraph(text);
    const fromDocs = buildGraph([JSON.parse(text), JSON.parse(text.replace(/"spanId": "([0-9a-f]{15})[0-9a-f]"/g, '"spanId": "$1f"'))]);
    expect(fromDocs.calls.length).toBeGreaterThan(fromText.calls.length);
    expect(buildGraph([JSON.parse(text)]).edges).toEqual(fromText.edges);
  });
});

describe("buildGraph on hostile input: roles, prototypes, output (issue 7.6-7.8)", () => {
  it("a blank module role warns and uses the default role instead of failing the whole graph", () => {
    const g = buildGraph(doc([span(1, {}, [{ key: "tracegrad.module.role", value: { stringValue: " " } }])]));
    expect(g.variables.get(id(1))!.role).toBe('output of the module "step1"');
    expect(g.warnings.join("\n")).toMatch(/blank tracegrad\.module\.role/);
  });

  it("an attribute keyed __proto__ is stored as an attribute, not as the object's prototype", () => {
    const [s] = fromOtlpJson(doc([span(1, {}, [{ key: "__proto__", value: { arrayValue: { values: [{ stringValue: "polluted" }] } } }])]));
    expect(Object.getPrototypeOf(s!.attributes)).toBeNull();
    expect(Object.hasOwn(s!.attributes, "__proto__")).toBe(true);
    expect((s!.attributes as Record<string, unknown>).length).toBeUndefined();
    expect(s!.attributes["tracegrad.kind"]).toBe("module");
  });

  it("options.output replaces the recorded (possibly truncated) final output text", () => {
    const g = buildGraph(doc([span(1)]), { output: "the full, untruncated output of 1" });
    expect(g.output.value).toBe("the full, untruncated output of 1");
    expect(g.nodes.find((n) => n.id === "output")!.value).toBe("the full, untruncated output of 1");
    const plain = buildGraph([]);
    expect(plain.output.role).toBe(DEFAULT_OUTPUT_ROLE);
  });
});

describe("buildGraph on hostile input: text matching stays linear", () => {
  it("a periodic output inside a periodic input is verified once, not at every period", () => {
    const producer = "word ".repeat(40_000);
    const spans = [
      span(1, {}, [{ key: "output.value", value: { stringValue: producer } }]),
      span(2, {}, [{ key: "input.value", value: { stringValue: `${producer}${"word ".repeat(10_000)}end` } }]),
    ];
    const started = performance.now();
    const g = buildGraph(doc(spans));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(g.edges.find((e) => e.from === id(1) && e.to === id(2))).toMatchObject({ kind: "content" });
  });

  it("a prompt template with many {variables} is matched without regex backtracking", () => {
    const template = Array.from({ length: 40 }, (_, i) => `{v${i}} and`).join(" ");
    const spans = [
      span(1, {}, [
        { key: "tracegrad.kind", value: { stringValue: "prompt" } },
        { key: "tracegrad.param.ids", value: { stringValue: "tpl" } },
        { key: "tracegrad.param.tpl.value", value: { stringValue: template } },
      ]),
      span(2, {}, [{ key: "tracegrad.kind", value: { stringValue: "llm" } }, { key: "input.value", value: { stringValue: " and".repeat(30) + "x".repeat(20_000) } }]),
    ];
    const started = performance.now();
    buildGraph(doc(spans));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("a filled-in template is still found in the call that read it", () => {
    const spans = [
      span(1, {}, [
        { key: "tracegrad.kind", value: { stringValue: "prompt" } },
        { key: "tracegrad.param.ids", value: { stringValue: "tpl" } },
        { key: "tracegrad.param.tpl.value", value: { stringValue: "Answer {question} for {user}, briefly." } },
        { key: "output.value", value: { stringValue: "" } },
      ]),
      span(2, {}, [{ key: "tracegrad.kind", value: { stringValue: "llm" } }, { key: "input.value", value: { stringValue: "Answer why the sky is blue for Ada, briefly." } }]),
    ];
    const g = buildGraph(doc(spans));
    expect(g.edges.find((e) => e.from === "param:tpl" && e.to === id(2))).toMatchObject({ kind: "explicit" });
  });
});

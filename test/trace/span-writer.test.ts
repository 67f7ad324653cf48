import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { fromGenAiMessages, toGenAiMessages } from "../../src/trace/genai-messages.js";
import { param } from "../../src/trace/param.js";
import { boundText, hashText, normalizeText, safeText, shortHash } from "../../src/trace/safe-text.js";
import { guard, reportFault } from "../../src/trace/fault-sink.js";
import { moduleStartAttributes } from "../../src/trace/span-writer.js";
import { ValueRegistry } from "../../src/trace/value-registry.js";

describe("safeText", () => {
  it("keeps strings, renders objects as JSON and replaces only true cycles", () => {
    expect(safeText("  plain ").text).toBe("  plain ");
    expect(safeText(undefined).text).toBe("");
    expect(safeText(12n).text).toBe("12");
    const shared = { x: 1 };
    expect(safeText({ a: shared, b: shared }).text).toBe('{"a":{"x":1},"b":{"x":1}}');
    const loop: Record<string, unknown> = { m: new Map([["k", 1]]), s: new Set([2]) };
    loop.me = loop;
    const st = safeText(loop);
    expect(st.text).toBe('{"m":{"k":1},"s":[2],"me":"[Circular]"}');
    expect(st.circular).toBe(true);
    expect(safeText({ f: function named() {}, e: new RangeError("r") }).text).toBe('{"f":"[Function named]","e":{"name":"RangeError","message":"r"}}');
  });

  it("reports serializer faults instead of throwing", () => {
    const st = safeText({ toJSON: () => { throw new Error("nope"); } });
    expect(st.text).toBe("[object Object]");
    expect((st.fault as Error).message).toBe("nope");
  });

  it("bounds long text with a marker but hashes the whole normalized text", () => {
    const long = "ab".repeat(20);
    const st = safeText(long, { maxChars: 10 });
    expect(st.text).toBe("ababababab…[tracegrad: truncated 30 of 40 chars]");
    expect(st.truncated).toBe(true);
    expect(st.hash).toBe(hashText(long));
    expect(boundText("😀😀", 3)).toBe("😀…[tracegrad: truncated 2 of 4 chars]");
  });

  it("hashes whitespace-insensitively and versions exactly", () => {
    expect(normalizeText("  a \n\t b ")).toBe("a b");
    expect(hashText("a  b\n")).toBe(hashText("a b"));
    expect(shortHash("a b")).not.toBe(shortHash("a  b"));
    expect(shortHash("x")).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("span-writer helpers", () => {
  it("guard swallows and reports, including a throwing hook", () => {
    const seen: string[] = [];
    expect(guard((_e, where) => seen.push(where), "here", () => { throw new Error("x"); }, "fallback")).toBe("fallback");
    expect(seen).toEqual(["here"]);
    expect(() => reportFault(() => { throw new Error("hook"); }, new Error("x"), "w")).not.toThrow();
    expect(guard({ onError: () => {} }, "w", () => 5)).toBe(5);
  });

  it("writes module start attributes in three vocabularies", () => {
    const p = param("a.system", "Be brief.", { role: "system prompt of a" });
    expect(moduleStartAttributes({ name: "a", kind: "tool", role: "r", callIndex: 2, params: [p], input: "in", inputRefs: ["v1"], inputHashes: ["h1"] })).toEqual({
      "tracegrad.kind": "tool",
      "tracegrad.module.id": "a",
      "tracegrad.module.role": "r",
      "tracegrad.call.index": 2,
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "a",
      "openinference.span.kind": "TOOL",
      "input.value": "in",
      "input.mime_type": "text/plain",
      "tracegrad.param.ids": ["a.system"],
      "tracegrad.param.a.system.version": shortHash("Be brief."),
      "tracegrad.param.a.system.value": "Be brief.",
      "tracegrad.param.a.system.role": "system prompt of a",
      "tracegrad.input.refs": ["v1"],
      "tracegrad.input.hashes": ["h1"],
    });
  });

  it("converts messages to the GenAI format and back, keeping ids and tool calls", () => {
    const messages = [
      { role: "user", content: "hi", id: "m1" },
      { role: "assistant", content: "", id: "m2", toolCalls: [{ id: "c1", name: "f", arguments: '{"x":1}' }] },
      { role: "tool", content: "42", toolCallId: "c1" },
    ];
    const genai = toGenAiMessages(messages);
    expect(genai[1]).toEqual({ role: "assistant", id: "m2", parts: [{ type: "tool_call", id: "c1", name: "f", arguments: { x: 1 } }] });
    expect(genai[2]).toEqual({ role: "tool", parts: [{ type: "tool_call_response", id: "c1", result: "42" }] });
    expect(fromGenAiMessages(JSON.stringify(genai))).toEqual(messages);
    expect(fromGenAiMessages("not json")).toBeUndefined();
  });
});

describe("ValueRegistry", () => {
  it("resolves objects by identity, strings by normalized content, and fields one level deep", () => {
    const r = new ValueRegistry();
    const obj = { plan: ["a"] };
    r.register(obj, "v1", hashText(JSON.stringify(obj)), JSON.stringify(obj));
    r.register("The plan: a", "v2", hashText("The plan: a"), "The plan: a");
    r.register("   ", "v3", hashText("   "), "   ");
    expect(r.resolve(obj)).toEqual(["v1"]);
    expect(r.resolve({ plan: ["a"] })).toEqual([]);
    expect(r.resolve("The  plan:\na ")).toEqual(["v2"]);
    expect(r.resolve({ p: obj, q: "The plan: a", z: 3 })).toEqual(["v1", "v2"]);
    expect(r.resolve("")).toEqual([]);
    expect(r.resolve("   ")).toEqual([]);
  });
});

describe("param", () => {
  it("declares a trainable Variable whose id is its name", () => {
    const p = param("planner.system", "You plan.", { role: "system prompt of the planner" });
    expect(p).toMatchObject({ id: "planner.system", value: "You plan.", role: "system prompt of the planner", requiresGrad: true });
  });

  it("rejects bad names and roles with typed errors", () => {
    expect(() => param("", "v", { role: "r" })).toThrow(InvalidArgumentError);
    expect(() => param("has space", "v", { role: "r" })).toThrow(/without whitespace/);
    expect(() => param("ok", "v", { role: " " })).toThrow(/needs a role/);
    expect(() => param("ok", 3 as unknown as string, { role: "r" })).toThrow(/prompts are strings/);
  });
});

import { describe, expect, it } from "vitest";
import { canonicalJson, stableHash } from "../../src/engine/stable-hash.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: undefined } })).toBe('{"a":{"d":[1,null]},"b":1}');
    expect(stableHash({ x: 1, y: 2 })).toBe(stableHash({ y: 2, x: 1, z: undefined }));
  });

  it("does not throw on cycles", () => {
    const node: Record<string, unknown> = { name: "n" };
    node.self = node;
    expect(canonicalJson(node)).toBe('{"name":"n","self":"[circular]"}');
  });

  it("keeps shared (non-cyclic) references", () => {
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});

import { describe, expect, it } from "vitest";
import { IdTable, idCount, idMap, mapOf } from "../../src/trace/id-map.js";

describe("idMap", () => {
  it("finds every id among many Maps, as one Map would", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `span-${i}` : i % 3 === 1 ? i.toString(16).padStart(16, "0") : `${i}`));
    const map = idMap(ids.length);
    expect(map.length).toBeGreaterThan(1);
    ids.forEach((id, i) => mapOf(map, id).set(id, i));
    expect(idCount(map)).toBe(ids.length);
    expect(ids.every((id, i) => mapOf(map, id).get(id) === i)).toBe(true);
    expect(mapOf(map, "absent")?.get("absent")).toBeUndefined();
    // no Map holds much more than its share
    expect(Math.max(...map.map((m) => m.size))).toBeLessThan(4 * (ids.length / map.length));
  });

  it("keeps keys that are not strings (hand-made spans) with Map semantics", () => {
    const map = idMap(10_000);
    for (const key of [undefined, null, 0, NaN, "", "a"]) mapOf(map, key).set(key, 1);
    expect(mapOf(map, -0).get(-0)).toBe(1);
    expect(mapOf(map, NaN).get(NaN)).toBe(1);
    expect(mapOf(map, undefined).get(undefined)).toBe(1);
    expect(idCount(map)).toBe(6);
  });
});

describe("IdTable", () => {
  it("gets, has and counts distinct ids like a Map, over many Maps", () => {
    const table = new IdTable<number>(20_000);
    const ids = Array.from({ length: 20_000 }, (_, i) => i.toString(16).padStart(16, "0"));
    ids.forEach((id, i) => table.set(id, i));
    table.set(ids[7]!, -7); // a second set of one id replaces its value and is not counted again
    expect(table.size).toBe(ids.length);
    expect(table.get(ids[7]!)).toBe(-7);
    expect(ids.every((id, i) => i === 7 || table.get(id) === i)).toBe(true);
    expect(table.has("not-an-id")).toBe(false);
    expect(table.get("not-an-id")).toBeUndefined();
  });
});

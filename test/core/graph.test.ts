// The one topological sort: order, scale (deep and wide), cycles reported with their path, and tolerated cycles.
import { describe, expect, it } from "vitest";
import { GraphCycleError, TracegradError } from "../../src/errors.js";
import { topologicalIndexOrder, topologicalOrder } from "../../src/core/graph.js";

/** A graph as adjacency lists: node → its predecessors, in order. */
const graphOf = (edges: Record<string, readonly string[]>) => (n: string) => edges[n] ?? [];

describe("topologicalOrder", () => {
  it("puts every node after its predecessors, visiting predecessors in their given order", () => {
    //   a   b
    //    \ / \
    //     c   d
    //      \ /
    //       e
    const preds = graphOf({ c: ["a", "b"], d: ["b"], e: ["c", "d"] });
    expect(topologicalOrder(["e"], preds)).toEqual(["a", "b", "c", "d", "e"]);
    // reversing predecessor order reverses the tie-breaks, so the result is not an accident of insertion order
    const reversed = graphOf({ c: ["b", "a"], d: ["b"], e: ["d", "c"] });
    expect(topologicalOrder(["e"], reversed)).toEqual(["b", "d", "a", "c", "e"]);
  });

  it("lists a node shared by several roots once, in the position of its first root", () => {
    const preds = graphOf({ r1: ["s"], r2: ["s", "t"] });
    expect(topologicalOrder(["r1", "r2"], preds)).toEqual(["s", "r1", "t", "r2"]);
  });

  it("sorts a 10,000-deep chain without overflowing the stack", () => {
    const n = 10_000;
    const order = topologicalOrder([n], (i: number) => (i > 0 ? [i - 1] : []));
    expect(order).toHaveLength(n + 1);
    expect(order.every((v, i) => v === i)).toBe(true);
  });

  it("sorts a 10,000-wide fan-in and fan-out in predecessor order", () => {
    const leaves = Array.from({ length: 10_000 }, (_, i) => `leaf ${i}`);
    const fanIn = topologicalOrder(["root"], (n: string) => (n === "root" ? leaves : []));
    expect(fanIn).toEqual([...leaves, "root"]);
    // each leaf also depends on one shared source: the source comes first, exactly once
    const fanOut = topologicalOrder(["root"], (n: string) => (n === "root" ? leaves : n === "source" ? [] : ["source"]));
    expect(fanOut).toEqual(["source", ...leaves, "root"]);
  });

  it("reports a cycle as a GraphCycleError naming the path and the fix", () => {
    const preds = graphOf({ out: ["a"], a: ["b"], b: ["c"], c: ["a"] });
    let error: unknown;
    try {
      topologicalOrder(["out"], preds, (n) => `node ${n}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphCycleError);
    expect(TracegradError.isInstance(error)).toBe(true);
    expect((error as GraphCycleError).message).toContain("node a -> node b -> node c -> node a");
    expect((error as GraphCycleError).message).toContain("new Variable for each iteration");
    expect((error as GraphCycleError).subject).toBe("node a");
  });

  it("reports a self-loop", () => {
    expect(() => topologicalOrder(["x"], graphOf({ x: ["x"] }))).toThrow(GraphCycleError);
  });

  it("skips the closing edge when onCycle says so, and tells which edge it was", () => {
    const preds = graphOf({ out: ["a"], a: ["b"], b: ["a", "leaf"] });
    const skipped: Array<[string, string]> = [];
    const order = topologicalOrder(["out"], preds, String, (from, to) => {
      skipped.push([from, to]);
      return "skip";
    });
    expect(skipped).toEqual([["b", "a"]]);
    expect(order).toEqual(["leaf", "b", "a", "out"]);
  });
});

describe("topologicalIndexOrder", () => {
  it("orders every node 0…n−1 after its predecessors, each node once, roots in index order", () => {
    // 0 ← 2 ← 3, 1 alone, 4 ← 2
    const preds: Record<number, number[]> = { 0: [2], 2: [3], 4: [2] };
    expect(topologicalIndexOrder(5, (i) => preds[i] ?? [])).toEqual([3, 2, 0, 1, 4]);
  });

  it("sorts a 100,000-deep chain without overflowing the stack", () => {
    const n = 100_000;
    const order = topologicalIndexOrder(n, (i) => (i < n - 1 ? [i + 1] : []));
    expect(order).toHaveLength(n);
    expect(order[0]).toBe(n - 1);
    expect(order[n - 1]).toBe(0);
  });

  it("reports a cycle with its path, or skips the closing edge when onCycle says so", () => {
    const preds: Record<number, number[]> = { 0: [1], 1: [2], 2: [0, 3] };
    expect(() => topologicalIndexOrder(4, (i) => preds[i] ?? [], (i) => `node ${i}`)).toThrow(/node 0 -> node 1 -> node 2 -> node 0/);
    const skipped: Array<[number, number]> = [];
    const order = topologicalIndexOrder(4, (i) => preds[i] ?? [], String, (from, to) => {
      skipped.push([from, to]);
      return "skip";
    });
    expect(skipped).toEqual([[2, 0]]);
    expect(order).toEqual([3, 2, 1, 0]);
  });
});

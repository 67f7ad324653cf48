import { describe, expect, it } from "vitest";
import { preciseNow } from "../../src/trace/clock.js";

const nanos = ([s, n]: readonly [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(n);

describe("preciseNow", () => {
  it("is wall-clock time as HrTime, within a few ms of Date.now()", () => {
    const [s, n] = preciseNow();
    expect(Number.isInteger(s) && Number.isInteger(n)).toBe(true);
    expect(n).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(1_000_000_000);
    expect(Math.abs(s * 1000 + n / 1e6 - Date.now())).toBeLessThan(50);
  });

  it("orders consecutive calls (never backwards) and resolves below a millisecond", () => {
    const times = Array.from({ length: 2000 }, () => nanos(preciseNow()));
    for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
    // 2000 calls take far less than 2000 ms: distinct stamps inside one millisecond prove sub-ms precision
    expect(new Set(times.map(String)).size).toBeGreaterThan(new Set(times.map((t) => String(t / 1_000_000n))).size);
  });
});

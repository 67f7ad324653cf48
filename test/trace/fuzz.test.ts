import { describe, expect, it } from "vitest";
import { fuzzCase, runCase } from "./fuzz-cases.js";

/** Cases in the suite; bench/fuzz.ts runs many more, each in a worker with a time limit. */
const CASES = 3000;
const SEED = 20261205;
/** No single case may take longer (a 2-core CI machine; the slowest cases scan a few MB of repetitive text). */
const CASE_LIMIT_MS = 1500;

describe("buildGraph fuzz: every mutated trace gives a graph or a TraceFormatError, quickly", () => {
  it(`${CASES} seeded cases (seed ${SEED})`, () => {
    const failures: string[] = [];
    const slow: string[] = [];
    const started = performance.now();
    for (let i = 0; i < CASES; i++) {
      const c = fuzzCase(SEED, i);
      const outcome = runCase(c);
      if (!outcome.ok) failures.push(`#${i} ${c.label}: ${outcome.result}: ${outcome.message ?? ""}`.slice(0, 300));
      if (outcome.ms > CASE_LIMIT_MS) slow.push(`#${i} ${c.label}: ${outcome.ms.toFixed(0)} ms`);
    }
    expect(failures).toEqual([]);
    expect(slow).toEqual([]);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("is reproducible: the same seed and index give the same case", () => {
    expect(fuzzCase(SEED, 17).label).toBe(fuzzCase(SEED, 17).label);
  });
});

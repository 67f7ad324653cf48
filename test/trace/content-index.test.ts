import { describe, expect, it } from "vitest";
import { ContentIndex, matchableText, MIN_SUBSTRING } from "../../src/trace/content-index.js";

describe("ContentIndex", () => {
  const opening = "Sure! Here is what I found for you:";
  const texts = [
    `${opening} the Pacific is the largest ocean on Earth.`,
    `${opening} Helena is the capital of Montana, not Billings.`,
    "A completely different answer that is long enough to be indexed.",
    "too short",
  ];
  const index = new ContentIndex(texts.map((text, key) => ({ key, text })));

  it("finds each whole producer text inside a haystack, wherever it sits, and only those", () => {
    expect(index.occurrencesIn(`Notes: ${texts[1]} End.`)).toEqual([1]);
    expect(index.occurrencesIn(`${texts[2]}${texts[0]}`)).toEqual([2, 0]); // in order of first occurrence
    expect(index.occurrencesIn(texts[0]!)).toEqual([0]); // the whole haystack
    expect(index.occurrencesIn(`${opening} something else entirely, not a producer.`)).toEqual([]);
  });

  it("leaves out texts shorter than the minimum (they are matched exactly elsewhere)", () => {
    expect(MIN_SUBSTRING).toBe(32);
    expect(index.occurrencesIn(`this is too short for the index, really`)).toEqual([]);
  });

  it("tells apart many producers that share an opening (speed is measured in bench/tracing.ts)", () => {
    const many = Array.from({ length: 2_000 }, (_, i) => ({ key: i, text: `${opening} item number ${i} with a distinct ending ${i * 7}.` }));
    const big = new ContentIndex(many);
    for (let i = 0; i < 2_000; i += 97) expect(big.occurrencesIn(`ctx ${many[i]!.text} ctx`)).toEqual([i]);
  });
});

describe("matchableText", () => {
  it("reads the strings inside a recorded JSON value, so escaped newlines still match", () => {
    expect(matchableText(JSON.stringify(["line one\nline two", { note: "x" }]))).toBe("line one line two x");
    expect(matchableText("  plain   text\n")).toBe("plain text");
    expect(matchableText("[not json")).toBe("[not json");
  });
});

describe("ContentIndex sizing", () => {
  it("finds every producer whether it indexes a handful of texts or thousands (the prefilter grows with the index)", () => {
    for (const n of [1, 4, 100, 5_000]) {
      const texts = Array.from({ length: n }, (_, i) => `producer number ${i} wrote this sentence, long enough to index`);
      const index = new ContentIndex(texts.map((text, key) => ({ key, text })));
      const picks = [0, n >> 1, n - 1];
      expect(index.occurrencesIn(`start ${picks.map((i) => texts[i]).join(" then ")} end`), `n = ${n}`).toEqual([...new Set(picks)]);
    }
  });
});

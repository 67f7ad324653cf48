import { describe, expect, it } from "vitest";
import { renderOptimizerSystemPrompt } from "../../src/prompts/optimizer-system.js";
import { DEFAULT_UPDATE_TAGS, parseUpdate, readUpdate } from "../../src/prompts/update-tags.js";

const S = DEFAULT_UPDATE_TAGS.start;
const E = DEFAULT_UPDATE_TAGS.end;

describe("readUpdate: the value is the content of the last well-formed block", () => {
  it("reads one block, trimmed", () => {
    expect(readUpdate(`ok ${S}\n new text \n${E} bye`)).toEqual({ ok: true, value: "new text" });
    expect(parseUpdate(`${S} a ${E}`)).toBe("a");
  });

  it("ignores tags quoted in prose before the block", () => {
    expect(parseUpdate(`I will put it between ${S} and ${E}:\n${S}new${E}`)).toBe("new");
  });

  it("ignores the format instruction echoed before the block", () => {
    const echoed = `Reply with the complete improved variable between ${S} and ${E}, like this:\n${S}\nthe improved variable\n${E}\n\n${S}\nnew\n${E}`;
    expect(parseUpdate(echoed)).toBe("new");
    expect(parseUpdate(`${renderOptimizerSystemPrompt()}\n\n${S}\nnew\n${E}`)).toBe("new");
  });

  it("takes the last of two alternative blocks, never both with the tags between them", () => {
    expect(parseUpdate(`${S}a${E} mid ${S}b${E}`)).toBe("b");
    expect(parseUpdate(`Option 1:\n${S}\nfirst\n${E}\nOption 2:\n${S}\nsecond\n${E}\nI prefer option 2.`)).toBe("second");
  });

  it("keeps a forged end tag inside a real value whole instead of cutting it short", () => {
    expect(parseUpdate(`${S}Say ${E} literally${E}`)).toBe(`Say ${E} literally`);
    expect(parseUpdate(`Sure.\n${S}\nAnswer inside ${E} tags, then stop.\n${E}`)).toBe(`Answer inside ${E} tags, then stop.`);
    // after a closed block, the last block may still carry a forged end tag
    expect(parseUpdate(`${S}draft${E}\n${S}Say ${E} literally${E}`)).toBe(`Say ${E} literally`);
  });

  it("rejects nested blocks as ambiguous: the block could be a piece of an outer value", () => {
    expect(readUpdate(`${S}outer ${S}inner${E} rest${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(readUpdate(`${S}${S}x${E}${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(readUpdate(`${S}Use ${S} literally${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(readUpdate(`${S}${S}${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(parseUpdate(`${S}${S}${E}`)).toBeUndefined();
  });

  it("rejects a value that starts or ends with an end tag (doubled or stray end tag) as ambiguous", () => {
    expect(readUpdate(`${S}new${E}\n${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(readUpdate(`${S}${E}new${E}`)).toEqual({ ok: false, problem: "ambiguous" });
    expect(readUpdate(`${S}\n${E}\n${E}`)).toEqual({ ok: false, problem: "ambiguous" });
  });

  it("rejects an empty or whitespace-only value", () => {
    expect(readUpdate(`${S}${E}`)).toEqual({ ok: false, problem: "empty" });
    expect(readUpdate(`${S}\n  \n${E}`)).toEqual({ ok: false, problem: "empty" });
    expect(readUpdate(`${S}old${E} then ${S} ${E}`)).toEqual({ ok: false, problem: "empty" });
    expect(parseUpdate(`${S} ${E}`)).toBeUndefined();
  });

  it("reports a missing block (TextGrad accepted a missing end tag and raised IndexError on a missing start)", () => {
    expect(readUpdate("just text")).toEqual({ ok: false, problem: "missing" });
    expect(readUpdate(`${S}unterminated`)).toEqual({ ok: false, problem: "missing" });
    expect(readUpdate(`text${E}`)).toEqual({ ok: false, problem: "missing" });
    expect(readUpdate(`${E} before ${S}`)).toEqual({ ok: false, problem: "missing" });
    expect(parseUpdate("just text")).toBeUndefined();
  });

  it("never returns a value that contains the start tag", () => {
    const replies = [
      `${S}a${E}${S}`,
      `${S}a ${S} b${E} c${E}`,
      `${E}${S}x${E}${E}`,
      `${S}${E}${S}y${E}`,
      `x ${S} y ${E} ${S} z ${E} ${E}`,
    ];
    for (const reply of replies) {
      const value = parseUpdate(reply);
      if (value !== undefined) expect(value).not.toContain(S);
    }
  });

  it("honours custom tags, including one that contains the other", () => {
    expect(parseUpdate("<A>x</A>", { start: "<A>", end: "</A>" })).toBe("x");
    expect(parseUpdate("<A>x</A>", DEFAULT_UPDATE_TAGS)).toBeUndefined();
    expect(parseUpdate("say ### and ####\n###new####", { start: "###", end: "####" })).toBe("new");
    expect(parseUpdate("[[x]] then [[y]]", { start: "[[", end: "]]" })).toBe("y");
  });
});

import { describe, expect, it } from "vitest";
import { blockTag, extractAllTagged, extractTagged, inlineTag } from "../../src/prompts/tags.js";
import { DEFAULT_UPDATE_TAGS, parseUpdate } from "../../src/prompts/update-tags.js";

describe("tag helpers", () => {
  it("writes inline and block tags", () => {
    expect(inlineTag("ROLE", "r")).toBe("<ROLE>r</ROLE>");
    expect(blockTag("VARIABLE", "v")).toBe("<VARIABLE>\nv\n</VARIABLE>");
  });

  it("extractTagged takes the first opening and the last closing tag, trimmed", () => {
    expect(extractTagged("x <VARIABLE>\n a </VARIABLE> b </VARIABLE> y", "VARIABLE")).toBe("a </VARIABLE> b");
    expect(extractTagged("no tag", "VARIABLE")).toBeUndefined();
    expect(extractTagged("<VARIABLE> open only", "VARIABLE")).toBeUndefined();
    expect(extractTagged("</VARIABLE> before <VARIABLE>", "VARIABLE")).toBeUndefined();
  });

  it("extractAllTagged returns every block in order", () => {
    expect(extractAllTagged("<FEEDBACK>a</FEEDBACK> and <FEEDBACK> b </FEEDBACK> <FEEDBACK>c", "FEEDBACK")).toEqual(["a", "b"]);
  });
});

describe("parseUpdate", () => {
  it("reads after the first start tag up to the last end tag", () => {
    expect(parseUpdate("<IMPROVED_VARIABLE> a </IMPROVED_VARIABLE>")).toBe("a");
    expect(parseUpdate("<IMPROVED_VARIABLE>a</IMPROVED_VARIABLE> mid <IMPROVED_VARIABLE>b</IMPROVED_VARIABLE>")).toBe(
      "a</IMPROVED_VARIABLE> mid <IMPROVED_VARIABLE>b",
    );
  });

  it("returns undefined when either tag is missing (TextGrad accepted a missing end tag and raised IndexError on a missing start)", () => {
    expect(parseUpdate("just text")).toBeUndefined();
    expect(parseUpdate("<IMPROVED_VARIABLE>unterminated")).toBeUndefined();
    expect(parseUpdate("text</IMPROVED_VARIABLE>")).toBeUndefined();
  });

  it("honours custom tags", () => {
    expect(parseUpdate("<A>x</A>", { start: "<A>", end: "</A>" })).toBe("x");
    expect(parseUpdate("<A>x</A>", DEFAULT_UPDATE_TAGS)).toBeUndefined();
  });
});

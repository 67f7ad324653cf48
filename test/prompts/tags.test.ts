import { describe, expect, it } from "vitest";
import { blockTag, extractAllTagged, extractTagged, inlineTag } from "../../src/prompts/tags.js";

describe("tag helpers", () => {
  it("writes inline and block tags", () => {
    expect(inlineTag("ROLE", "r")).toBe("<ROLE>r</ROLE>");
    expect(blockTag("VARIABLE", "v")).toBe("<VARIABLE>\nv\n</VARIABLE>");
  });

  it("extractTagged takes the first opening and the last closing tag, trimmed (prompt sections may quote tags; the optimizer reply has its own rule, see update-tags)", () => {
    expect(extractTagged("x <VARIABLE>\n a </VARIABLE> b </VARIABLE> y", "VARIABLE")).toBe("a </VARIABLE> b");
    expect(extractTagged("no tag", "VARIABLE")).toBeUndefined();
    expect(extractTagged("<VARIABLE> open only", "VARIABLE")).toBeUndefined();
    expect(extractTagged("</VARIABLE> before <VARIABLE>", "VARIABLE")).toBeUndefined();
  });

  it("extractAllTagged returns every block in order", () => {
    expect(extractAllTagged("<FEEDBACK>a</FEEDBACK> and <FEEDBACK> b </FEEDBACK> <FEEDBACK>c", "FEEDBACK")).toEqual(["a", "b"]);
  });
});

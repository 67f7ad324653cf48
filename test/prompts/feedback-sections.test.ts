// The parsers beside the reply formats of backward calls: per-variable sections, the no-change marker, reduce points.
import { describe, expect, it } from "vitest";
import { parseFeedbackSections } from "../../src/prompts/feedback-sections.js";
import { isNoChange, NO_CHANGE_MARKER } from "../../src/prompts/no-change.js";
import { parseReducedPoints } from "../../src/prompts/feedback-points.js";

describe("parseFeedbackSections", () => {
  it("reads sections by id, in any order, case and quoting; ignores unknown ids; last one wins", () => {
    const reply = `<FEEDBACK_FOR id="2">b</FEEDBACK_FOR> <feedback_for id=1>a</feedback_for> <FEEDBACK_FOR id="3">c</FEEDBACK_FOR> <FEEDBACK_FOR id='2'>b2</FEEDBACK_FOR>`;
    expect([...parseFeedbackSections(reply, 2)]).toEqual([[2, "b2"], [1, "a"]]);
  });
  it("an unclosed section runs to the next section or the end; an empty one is present, a missing one absent", () => {
    const sections = parseFeedbackSections(`<FEEDBACK_FOR id="1">first\n<FEEDBACK_FOR id="2"></FEEDBACK_FOR>`, 3);
    expect(sections.get(1)).toBe("first");
    expect(sections.get(2)).toBe("");
    expect(sections.has(3)).toBe(false);
  });
  it("no sections at all: everything missing", () => {
    expect(parseFeedbackSections("Plain feedback.", 2).size).toBe(0);
  });
});

describe("isNoChange", () => {
  it.each([NO_CHANGE_MARKER, "", "  ", "No changes needed.", "no change is required", "**No change needed.**", "`NO_CHANGE`", "None.", "The system prompt already works well. No changes needed.", "It is fine as it is."])(
    "%j says no change",
    (reply) => expect(isNoChange(reply)).toBe(true),
  );
  it.each(["No change needed to the tone, but name the units.", "Ask for units.", "The answer is wrong: it lacks units.", `${"No change needed. ".repeat(30)}`])(
    "%j is feedback",
    (reply) => expect(isNoChange(reply)).toBe(false),
  );
});

describe("parseReducedPoints", () => {
  it("reads points with their feedback numbers (ranges, out-of-range dropped), skipping empty points", () => {
    const reply = `<POINT from="1, 3-4, 9">Units.</POINT><POINT from="2">  </POINT><point from='2'>Brevity.</point>`;
    expect(parseReducedPoints(reply, 4)).toEqual([{ text: "Units.", items: [0, 2, 3] }, { text: "Brevity.", items: [1] }]);
  });
});

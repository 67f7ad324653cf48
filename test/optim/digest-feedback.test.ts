// "Reduce before you update": many pieces of feedback on one parameter reach the optimizer as a bounded set of
// distinct points, each with its evidence, and no distinct point is lost on the way.
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { Variable } from "../../src/core/variable.js";
import type { Gradient } from "../../src/core/feedback.js";
import { TGD } from "../../src/optim/tgd.js";
import { renderPointsReduceSystemPrompt } from "../../src/prompts/feedback-points.js";
import { extractAllTagged, extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const REDUCE = renderPointsReduceSystemPrompt();
const isUpdate = (r: EngineRequest) => /IMPROVED_VARIABLE/.test(r.system ?? "");
const SYSTEM = "You solve arithmetic word problems. Think step by step and show the work.";
const param = () => new Variable(SYSTEM, { role: "system prompt of the solver", requiresGrad: true });
/** Sample i's feedback: one of three themes, worded per sample, with its own long exchange. */
const sample = (i: number): Gradient => ({
  text: `Theme ${i % 3}: the final number is not explicit for question ${i} (${"detail ".repeat(10)}).`,
  from: `draft ${i}`,
  context: { kind: "llm", conversation: `<LM_SYSTEM_PROMPT>\n${SYSTEM}\n</LM_SYSTEM_PROMPT>\n<LM_INPUT>\nQuestion ${i}: ${"words ".repeat(60)}\n</LM_INPUT>\n<LM_OUTPUT>\nDraft ${i}\n</LM_OUTPUT>`, usedAs: "draft solution" },
});
/** A reducer that merges by theme and cites every piece it merged (as a good model would). */
const byTheme = (r: EngineRequest) => {
  const texts = extractAllTagged(r.prompt, "FEEDBACK");
  const themes = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const theme = /Theme \d/.exec(t)![0];
    themes.set(theme, [...(themes.get(theme) ?? []), i + 1]);
  });
  return [...themes].map(([theme, ns]) => `<POINT from="${ns.join(", ")}">\n${theme}: make the final number explicit.\n</POINT>`).join("\n");
};
const engineWith = (reduce: (r: EngineRequest) => string) =>
  new FakeEngine((r) => (r.system === REDUCE ? reduce(r) : isUpdate(r) ? "<IMPROVED_VARIABLE>better</IMPROVED_VARIABLE>" : "?"));

async function stepWith(b: number, reduce: (r: EngineRequest) => string, options: Partial<ConstructorParameters<typeof TGD>[0]> = {}) {
  const p = param();
  for (let i = 0; i < b; i++) p.addGradient(sample(i));
  const engine = engineWith(reduce);
  const [proposal] = await new TGD({ parameters: [p], engine, ...options }).step();
  const update = engine.calls.find(isUpdate)!;
  return { engine, proposal: proposal!, update, reduces: engine.calls.filter((r) => r.system === REDUCE) };
}

describe("TGD: reduce before update", () => {
  it("small feedback is shown whole, exactly as in update: \"textgrad\"", async () => {
    const reduced = await stepWith(3, byTheme);
    const exact = await stepWith(3, byTheme, { update: "textgrad" });
    expect(reduced.update.prompt).toBe(exact.update.prompt);
    expect(reduced.reduces).toHaveLength(0);
    expect(reduced.proposal.feedback?.method).toBe("all");
  });

  it("B=32: one reduce call; the update shows bounded points with their evidence, every piece cited", async () => {
    const small = await stepWith(4, byTheme);
    const { proposal, update, reduces, engine } = await stepWith(32, byTheme);
    expect(reduces).toHaveLength(1);
    expect(engine.calls).toHaveLength(2);
    expect(extractAllTagged(reduces[0]!.prompt, "FEEDBACK")).toHaveLength(32);
    expect(reduces[0]!.prompt).not.toContain("<CONVERSATION>"); // the reduce request grows with feedback text only
    const digest = proposal.feedback!;
    expect(digest.method).toBe("reduced");
    expect(digest.points.map((p) => p.text)).toEqual(["Theme 0: make the final number explicit.", "Theme 1: make the final number explicit.", "Theme 2: make the final number explicit."]);
    expect(digest.points.flatMap((p) => p.items).sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(digest.points[0]!.from).toContain("draft 3");
    expect(extractAllTagged(extractTagged(update.prompt, "CONTEXT")!, "FEEDBACK")).toEqual(digest.points.map((p) => p.text));
    expect(update.prompt).toContain("from feedback 1, 4, 7");
    expect(update.prompt.length).toBeLessThanOrEqual(2 * small.update.prompt.length);
  });

  it("every distinct feedback text, or a point citing it, reaches the optimizer — whatever the reducer does", async () => {
    const replies: Array<[string, (r: EngineRequest) => string]> = [
      ["merges by theme", byTheme],
      ["cites only some pieces", () => '<POINT from="1-3">Only the first three.</POINT>'],
      ["is unusable", () => "Here is a summary: be explicit."],
      ["cites numbers out of range", () => '<POINT from="0, 99">Nothing real.</POINT>'],
    ];
    for (const [, reduce] of replies) {
      const { proposal, update } = await stepWith(20, reduce);
      const shown = extractAllTagged(extractTagged(update.prompt, "CONTEXT")!, "FEEDBACK");
      for (let i = 0; i < 20; i++) {
        const text = sample(i).text;
        const point = proposal.feedback!.points.find((p) => p.items.includes(i));
        expect(point, `piece ${i} is cited by a point`).toBeDefined();
        expect(shown).toContain(point!.text);
        if (point!.text !== text) expect(proposal.feedback!.method).toBe("reduced");
      }
    }
  });

  it("repeated feedback is shown once without a reduce call, keeping every sender and the count", async () => {
    const p = param();
    for (let i = 0; i < 40; i++) p.addGradient({ ...sample(i), text: i % 2 ? "Make the final number explicit." : "make the final number  explicit" });
    const engine = engineWith(byTheme);
    const [proposal] = await new TGD({ parameters: [p], engine }).step();
    expect(engine.calls).toHaveLength(1);
    expect(proposal!.feedback!.method).toBe("all"); // once, it fits with its exchange
    expect(proposal!.feedback!.points).toHaveLength(1);
    expect(proposal!.feedback!.points[0]!.items).toHaveLength(40);
    expect(proposal!.feedback!.points[0]!.from).toHaveLength(40);
    expect(extractAllTagged(engine.calls[0]!.prompt, "FEEDBACK")).toHaveLength(1);
    expect(engine.calls[0]!.prompt).toContain("(the same feedback arrived 40 times)");
  });

  it("repeated feedback over the budget is deduplicated into points with their evidence", async () => {
    const p = param();
    for (let i = 0; i < 40; i++) p.addGradient({ ...sample(i), text: i % 2 ? "Make the final number explicit." : "make the final number  explicit" });
    const engine = engineWith(byTheme);
    const [proposal] = await new TGD({ parameters: [p], engine, feedbackBudgetChars: 300 }).step();
    expect(engine.calls).toHaveLength(1);
    expect(proposal!.feedback!.method).toBe("deduplicated");
    expect(engine.calls[0]!.prompt).toContain("from feedback 1-40");
  });

  it('update: "textgrad" never reduces: every piece with its exchange', async () => {
    const { update, reduces, proposal } = await stepWith(32, byTheme, { update: "textgrad" });
    expect(reduces).toHaveLength(0);
    expect(extractAllTagged(update.prompt, "CONVERSATION")).toHaveLength(32);
    expect(proposal.feedback?.method).toBe("all");
  });

  it("a smaller feedbackBudgetChars reduces earlier", async () => {
    const { reduces } = await stepWith(3, byTheme, { feedbackBudgetChars: 200 });
    expect(reduces).toHaveLength(1);
  });

  it("rejects an unknown update mode and a bad budget", () => {
    const p = param();
    const engine = engineWith(byTheme);
    expect(() => new TGD({ parameters: [p], engine, update: "exact" as never })).toThrow(InvalidArgumentError);
    expect(() => new TGD({ parameters: [p], engine, feedbackBudgetChars: 0 })).toThrow(InvalidArgumentError);
  });
});

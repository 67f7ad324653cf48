// TGD's update: "joint": one optimizer call for all the parameters with feedback, one reply section per parameter,
// one repair for missing sections, and nothing left unchanged silently.
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, LLMCall, TextLoss, TGD, UpdateParseError, Variable } from "../../src/index.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/index.js";

const isJoint = (r: EngineRequest) => /<IMPROVED_VARIABLE id="1">/.test(r.system ?? "");
/** The numbered VARIABLE blocks of a joint request: id → current text. */
const variablesOf = (prompt: string) => new Map([...prompt.matchAll(/<VARIABLE id="(\d+)">\n([\s\S]*?)\n<\/VARIABLE>/g)].map((m) => [Number(m[1]), m[2]!]));
const section = (id: number, text: string) => `<IMPROVED_VARIABLE id="${id}">\n${text}\n</IMPROVED_VARIABLE>`;
/** A stand-in optimizer that appends " (v2)" to every variable it is shown, except the ids in `skip`. */
const appendV2 = (skip: readonly number[] = []) => (r: EngineRequest) =>
  [...variablesOf(r.prompt)].filter(([id]) => !skip.includes(id)).map(([id, value]) => section(id, `${value} (v2)`)).join("\n");

function fourParameters() {
  return ["planner", "retriever", "solver", "formatter"].map((name, i) => {
    const p = new Variable(`You are the ${name}. Rule ${i}.`, { role: `system prompt of the ${name}`, requiresGrad: true, id: `${name}.system` });
    p.addGradient({ text: `The ${name} should cite its source.`, from: `${name} output` });
    return p;
  });
}

describe('TGD update: "joint"', () => {
  it("makes exactly one optimizer call for P parameters and applies each section to its own parameter", async () => {
    const params = fourParameters();
    const quiet = new Variable("Untouched prompt.", { role: "system prompt of the judge", requiresGrad: true, id: "judge.system" });
    const engine = new FakeEngine(appendV2());
    const warnings: string[] = [];
    const proposals = await new TGD({ parameters: [...params, quiet], engine, update: "joint", constraints: ["Stay under 50 words."], inContextExamples: ["An example prompt."], onWarning: (w) => warnings.push(w) }).step();
    expect(engine.calls).toHaveLength(1);
    const { system, prompt } = engine.calls[0]!;
    expect(isJoint({ prompt, ...(system === undefined ? {} : { system }) })).toBe(true);
    for (const [i, p] of params.entries()) {
      expect(prompt).toContain(`Variable ${i + 1} of 4: "${p.id}", with this role: <ROLE>${p.role}</ROLE>`);
      expect(prompt).toContain(`The ${["planner", "retriever", "solver", "formatter"][i]} should cite its source.`);
    }
    expect(prompt).not.toContain("Untouched prompt."); // no feedback: not shown, no proposal
    expect(prompt.split("<CONSTRAINTS>")).toHaveLength(2); // shown once, for all
    expect(prompt).toContain("1. Stay under 50 words.");
    expect(prompt).toContain("An example prompt.");
    expect(proposals.map((x) => [x.parameter.id, x.previous, x.value])).toEqual(params.map((p, i) => [p.id, `You are the ${p.id!.split(".")[0]}. Rule ${i}.`, `You are the ${p.id!.split(".")[0]}. Rule ${i}. (v2)`]));
    expect(params.map((p) => p.value)).toEqual(proposals.map((x) => x.value));
    expect(proposals[0]!.feedback?.method).toBe("all");
    expect(quiet.value).toBe("Untouched prompt.");
    expect(warnings).toEqual([]);
  });

  it("sections out of order, an echoed format example and sloppy quoting are read right", async () => {
    const [a, b] = fourParameters();
    const reply = [
      "Format:", section(1, "the complete improved text of variable 1"), "Answer:",
      "<improved_variable id=2>B new</improved_variable>", section(1, "A new"),
    ].join("\n");
    const engine = new FakeEngine([reply]);
    await new TGD({ parameters: [a!, b!], engine, update: "joint" }).step();
    expect([a!.value, b!.value]).toEqual(["A new", "B new"]);
    expect(engine.calls).toHaveLength(1);
  });

  it("a missing or empty section triggers one repair asking only for those; the repaired values are applied", async () => {
    const params = fourParameters();
    const first = [section(1, "P new"), section(3, "   "), section(4, "F new")].join("\n"); // 2 missing, 3 empty
    const engine = new FakeEngine([first, [section(2, "R new"), section(3, "S new")].join("\n")]);
    await new TGD({ parameters: params, engine, update: "joint" }).step();
    expect(engine.calls).toHaveLength(2);
    const repair = engine.calls[1]!;
    expect(repair.system).toBe(engine.calls[0]!.system);
    expect(repair.history).toEqual([{ role: "user", content: engine.calls[0]!.prompt }, { role: "assistant", content: first }]);
    expect(repair.prompt).toContain('2 ("retriever.system"');
    expect(repair.prompt).toContain('3 ("solver.system"');
    expect(repair.prompt).not.toContain('1 ("planner.system"');
    expect(repair.prompt).not.toContain('4 ("formatter.system"');
    expect(params.map((p) => p.value)).toEqual(["P new", "R new", "S new", "F new"]);
  });

  it("a section still missing after the repair leaves that parameter unchanged, and says so", async () => {
    const params = fourParameters();
    const before = params.map((p) => p.value);
    const engine = new FakeEngine(appendV2([2]));
    const warnings: string[] = [];
    const proposals = await new TGD({ parameters: params, engine, update: "joint", onWarning: (w) => warnings.push(w) }).step();
    expect(engine.calls).toHaveLength(2); // the call and one repair, never more
    expect(proposals.map((p) => p.parameter)).toEqual([params[0], params[2], params[3]]);
    expect(params[1]!.value).toBe(before[1]);
    expect(params[0]!.value).toBe(`${before[0]} (v2)`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"retriever.system"');
    expect(warnings[0]).toContain("keeps its value");
  });

  it("a reply that changes nothing is reported, not a silent no-op", async () => {
    const params = fourParameters();
    const before = params.map((p) => p.value);
    const engine = new FakeEngine((r) => [...variablesOf(r.prompt)].map(([id, value]) => section(id, value)).join("\n"));
    const warnings: string[] = [];
    const proposals = await new TGD({ parameters: params, engine, update: "joint", onWarning: (w) => warnings.push(w) }).step();
    expect(proposals).toEqual([]);
    expect(params.map((p) => p.value)).toEqual(before);
    expect(engine.calls).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/changed nothing/);
    for (const p of params) expect(warnings[0]).toContain(`"${p.id}"`);
  });

  it("a reply with no usable section even after the repair is an UpdateParseError; nothing is written", async () => {
    const params = fourParameters();
    const before = params.map((p) => p.value);
    const engine = new FakeEngine(["I would make them all cite sources.", "Still no sections."]);
    const error = await new TGD({ parameters: params, engine, update: "joint" }).step().catch((e: unknown) => e);
    expect(UpdateParseError.isInstance(error)).toBe(true);
    expect((error as UpdateParseError).reply).toBe("Still no sections.");
    expect(engine.calls).toHaveLength(2);
    expect(params.map((p) => p.value)).toEqual(before);
  });

  it("momentum and gradient memory show each parameter's own history", async () => {
    const [a, b] = fourParameters();
    const engine = new FakeEngine(appendV2());
    const opt = new TGD({ parameters: [a!, b!], engine, update: "joint", momentumWindow: 1, gradientMemory: 1 });
    await opt.step();
    opt.zeroGrad();
    a!.addGradient({ text: "Second round for the planner.", from: "judge" });
    b!.addGradient({ text: "Second round for the retriever.", from: "judge" });
    await opt.step();
    const second = engine.calls[1]!.prompt;
    expect(second).toContain("Earlier versions of variable 1");
    expect(second).toContain("Before update 1:\nYou are the planner. Rule 0.");
    expect(second).toContain("Before update 1:\nYou are the retriever. Rule 1.");
    expect(second).toContain("Feedback behind update 1:\nThe planner should cite its source.");
    expect(a!.value).toBe("You are the planner. Rule 0. (v2) (v2)");
  });

  it("rejects bad options with typed errors", () => {
    const [a] = fourParameters();
    const engine = new FakeEngine([]);
    expect(() => new TGD({ parameters: [a!], engine, update: "together" as never })).toThrow(InvalidArgumentError);
    expect(() => new TGD({ parameters: [a!], engine, update: "together" as never })).toThrow(/"reduced" or "textgrad" or "joint"/);
    expect(() => new TGD({ parameters: [a!], engine, update: "joint", tags: { start: "###", end: "@@@" } })).toThrow(InvalidArgumentError);
    expect(() => new TGD({ parameters: [a!], engine, update: "joint", onWarning: "log" as never })).toThrow(InvalidArgumentError);
  });

  it("custom <NAME> tags name the sections", async () => {
    const [a, b] = fourParameters();
    const engine = new FakeEngine(['<NEW id="1">A2</NEW>\n<NEW id="2">B2</NEW>']);
    await new TGD({ parameters: [a!, b!], engine, update: "joint", tags: { start: "<NEW>", end: "</NEW>" } }).step();
    expect(engine.calls[0]!.system).toContain('<NEW id="1">');
    expect([a!.value, b!.value]).toEqual(["A2", "B2"]);
  });

  it("end to end: the jointly updated prompts are what the next forward pass sends", async () => {
    const planner = new Variable("Plan the steps.", { role: "system prompt of the planner", requiresGrad: true, id: "planner.system" });
    const solver = new Variable("Solve the plan.", { role: "system prompt of the solver", requiresGrad: true, id: "solver.system" });
    const engine = new FakeEngine((r) => {
      if (isJoint(r)) return appendV2()(r).replace("Plan the steps. (v2)", "Plan the steps; name the unit.").replace("Solve the plan. (v2)", "Solve the plan; state the unit.");
      const ids = [...r.prompt.matchAll(/<FEEDBACK_FOR id="(\d+)">/g)].map((m) => Number(m[1]));
      if (ids.length > 0) return [...new Set(ids)].map((id) => `<FEEDBACK_FOR id="${id}">\nName the unit.\n</FEEDBACK_FOR>`).join("\n");
      if (r.system === planner.value || r.system === solver.value) return `reply to: ${r.system}`;
      return "The answer has no unit.";
    });
    const question = new Variable("How far is 3 km in metres?", { role: "question" });
    const run = async () => {
      const plan = await new LLMCall({ engine, systemPrompt: planner }).forward(question, { role: "plan" });
      return new LLMCall({ engine, systemPrompt: solver }).forward(plan, { role: "answer" });
    };
    const answer = await run();
    await (await new TextLoss("Check the unit.", { engine }).forward(answer)).backward({ engine });
    expect(planner.gradients.length).toBeGreaterThan(0);
    expect(solver.gradients.length).toBeGreaterThan(0);
    const before = engine.calls.length;
    await new TGD({ parameters: [planner, solver], engine, update: "joint" }).step();
    expect(engine.calls.slice(before).filter(isJoint)).toHaveLength(1);
    expect(engine.calls.length - before).toBe(1);
    const afterUpdate = engine.calls.length;
    await run();
    const systems = engine.calls.slice(afterUpdate).map((r) => r.system);
    expect(systems).toEqual(["Plan the steps; name the unit.", "Solve the plan; state the unit."]);
  });
});

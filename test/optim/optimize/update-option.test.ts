// optimize({ update }) and refine({ update }) reach TGD: "joint" asks for every prompt in one optimizer call, and the
// new values really reach the next runs.
import { describe, expect, it } from "vitest";
import { optimize, param, refine, trace, traceModule, Variable } from "../../../src/index.js";
import { SimulatedModel, textgradRule, type SimulatedRequest } from "../../../src/testing/index.js";

const variablesOf = (prompt: string) => [...prompt.matchAll(/<VARIABLE id="(\d+)">\n([\s\S]*?)\n<\/VARIABLE>/g)].map((m) => [Number(m[1]), m[2]!] as const);
const isJoint = (r: SimulatedRequest) => /<IMPROVED_VARIABLE id="1">/.test(r.system ?? "");

/** A stand-in optimizer: joint requests get " (v2)" appended to every variable; backward requests ask for v2. */
function engine() {
  return new SimulatedModel([
    { role: "joint", matches: isJoint, reply: (r) => variablesOf(r.prompt).map(([id, v]) => `<IMPROVED_VARIABLE id="${id}">\n${v} (v2)\n</IMPROVED_VARIABLE>`).join("\n") },
    textgradRule("optimizer", (r) => `<IMPROVED_VARIABLE>${r.variable ?? ""} (v2)</IMPROVED_VARIABLE>`),
    textgradRule("backward", () => "This prompt should be at version 2."),
  ]);
}

function agent() {
  const first = param("first.system", "Write the first half.", { role: "system prompt of the first step" });
  const second = param("second.system", "Write the second half.", { role: "system prompt of the second step" });
  const a = traceModule("first", async (q: string) => `${q}: ${first.value}`);
  const b = traceModule("second", async (x: string) => `${x} / ${second.value}`);
  return { run: async (q: string) => b(await a(q)), params: [first, second] };
}

const metric = (out: string) => (out.split("(v2)").length - 1 === 2 ? 1 : { score: 0, feedback: "Both halves must come from version 2 prompts." });

describe("update option", () => {
  it('optimize({ update: "joint" }): one optimizer call for both prompts, and the next runs read both new values', async () => {
    const { run, params } = agent();
    const joint = engine();
    const result = await optimize({ agent: run, trainset: ["q1", "q2"], valset: ["v1", "v2"], metric, engine: joint, steps: 1, batchSize: 2, update: "joint" });
    expect(joint.counts.joint).toBe(1);
    expect(joint.counts.optimizer).toBe(0);
    expect(result.best.score).toBe(1);
    expect(metric(await run("again"))).toBe(1); // the agent, unchanged, reads both v2 prompts
    expect(params.map((p) => p.value)).toEqual(["Write the first half. (v2)", "Write the second half. (v2)"]);

    const perParameter = engine();
    const other = agent();
    await optimize({ agent: other.run, trainset: ["q1", "q2"], valset: ["v1", "v2"], metric, engine: perParameter, steps: 1, batchSize: 2 });
    expect(perParameter.counts.optimizer).toBe(2);
    expect(perParameter.counts.joint).toBe(0);
  });

  it('refine({ target: "prompts", update: "joint" }) updates the run\'s prompts in one call', async () => {
    const { run, params } = agent();
    const traced = await trace(() => run("q"));
    const joint = engine();
    const loss = async (out: Variable) => new Variable(`${out.value} is wrong: both prompts must be at version 2.`, { role: "evaluation", predecessors: [out], requiresGrad: true, backwardRule: { name: "judge", run: async ({ targets }) => targets.map((target) => ({ target, gradient: { text: "Use version 2 prompts.", from: "evaluation" } })) } });
    const result = await refine(traced, { loss, engine: joint, target: "prompts", update: "joint" });
    expect(joint.counts.joint).toBe(1);
    expect(result.run.output.split("(v2)")).toHaveLength(3);
    expect(params.every((p) => p.value.endsWith("(v2)"))).toBe(true);
  });

  it("refuses an unknown update mode, naming the choices", async () => {
    const { run } = agent();
    await expect(optimize({ agent: run, trainset: ["q"], valset: ["v"], metric, engine: engine(), update: "batch" as never })).rejects.toThrow(/update must be one of "reduced", "textgrad", "joint"/);
    await expect(refine(await trace(() => run("q")), { loss: async (o) => o, engine: engine(), update: "batch" as never })).rejects.toThrow(/refine\(\): update must be "reduced", "textgrad", "joint"/);
  });
});

// Snapshots of every rendered prompt, taken from real graphs where possible, so any wording change is a reviewed diff.
import { describe, expect, it } from "vitest";
import { Variable } from "../../src/core/variable.js";
import { aggregate } from "../../src/core/functions/aggregate.js";
import { LLMCall } from "../../src/core/functions/llm-call.js";
import { StringBasedFunction } from "../../src/core/functions/string-based-function.js";
import { sum } from "../../src/core/functions/sum.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { TGD } from "../../src/optim/tgd.js";
import { renderReduceSystemPrompt } from "../../src/prompts/combine.js";
import { renderMultiFieldPrompt, renderMultiFieldSystemPrompt } from "../../src/prompts/evaluation.js";
import { renderOptimizerSystemPrompt } from "../../src/prompts/optimizer-system.js";
import { extractTagged } from "../../src/prompts/tags.js";
import type { EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

const REDUCE = renderReduceSystemPrompt();
const reply = (r: EngineRequest) =>
  r.system === REDUCE
    ? "Summary: keep answers short and give units."
    : /IMPROVED_VARIABLE/.test(r.system ?? "")
      ? "<IMPROVED_VARIABLE>You are a careful solver. Answer in one line with units.</IMPROVED_VARIABLE>"
      : r.system?.startsWith("You write feedback")
        ? `The ${extractTagged(r.prompt, "ROLE")} should ask for units.`
        : `Answer to: ${r.prompt.slice(0, 30)}`;
const render = (r: EngineRequest) => `SYSTEM:\n${r.system ?? "(none)"}\n\nUSER:\n${r.prompt}${r.history ? `\n\nHISTORY:\n${JSON.stringify(r.history, null, 1)}` : ""}`;

describe("rendered prompts", () => {
  // TextGrad's per-input mode: these prompts must stay byte-identical to the ones before per-node feedback existed.
  it("backward: evaluation mode at the loss, chain mode upstream", async () => {
    const engine = new FakeEngine(reply);
    const system = new Variable("You are a careful solver.", { role: "system prompt of the solver", requiresGrad: true });
    const question = new Variable("How far is 3 km plus 400 m?", { role: "question to the solver" });
    const answer = await new LLMCall({ engine, systemPrompt: system }).forward(question, { role: "answer to the question" });
    const loss = await new TextLoss("Check the answer for correctness and units.", { engine }).forward(answer);
    await loss.backward({ engine, feedback: "per-input" });
    const [evaluation, chain] = engine.calls.slice(2);
    expect(render(evaluation!)).toMatchSnapshot("backward evaluation mode");
    expect(render(chain!)).toMatchSnapshot("backward chain mode");
  });

  it("backward through a string-based function (evaluation mode and chain mode)", async () => {
    const engine = new FakeEngine(reply);
    const prediction = new Variable("3.4", { role: "prediction of the solver", requiresGrad: true });
    const truth = new Variable("3.4 km", { role: "ground truth" });
    const metric = new StringBasedFunction({ purpose: "exact match between prediction and ground truth", fn: ({ prediction: p, truth: t }) => Number(p!.value === t!.value) });
    await metric.forward({ prediction, truth }).backward({ engine, feedback: "per-input" });
    expect(render(engine.calls[0]!)).toMatchSnapshot("string function evaluation mode");

    const draft = new Variable("draft one", { role: "draft", requiresGrad: true });
    const upper = new StringBasedFunction({ purpose: "upper-case the draft", fn: ({ draft: d }) => d!.value.toUpperCase() }).forward({ draft });
    const judged = await new TextLoss("Judge the text.", { engine }).forward(upper);
    await judged.backward({ engine, feedback: "per-input" });
    expect(render(engine.calls.at(-1)!)).toMatchSnapshot("string function chain mode");
  });

  it("backward per node (default): one input keeps the per-input user prompt; several get one call with sections, then a repair", async () => {
    const sections = new FakeEngine((r) =>
      r.history ? '<FEEDBACK_FOR id="2">\nState the units in the question.\n</FEEDBACK_FOR>'
        : r.system?.startsWith("You write feedback") ? (r.prompt.includes("FEEDBACK_FOR") ? '<FEEDBACK_FOR id="1">\nAsk for units.\n</FEEDBACK_FOR>' : "The answer lacks units.")
          : `Answer to: ${r.prompt.slice(0, 30)}`,
    );
    const system = new Variable("You are a careful solver.", { role: "system prompt of the solver", requiresGrad: true });
    const question = new Variable("How far is 3 km plus 400 m?", { role: "question to the solver", requiresGrad: true });
    const answer = await new LLMCall({ engine: sections, systemPrompt: system }).forward(question, { role: "answer to the question" });
    const loss = await new TextLoss("Check the answer for correctness and units.", { engine: sections }).forward(answer);
    await loss.backward({ engine: sections });
    const [evaluation, node, repair] = sections.calls.slice(2);
    expect(render(evaluation!)).toMatchSnapshot("backward per node, single input");
    expect(render(node!)).toMatchSnapshot("backward per node, several inputs");
    expect(render(repair!)).toMatchSnapshot("backward per node, missing sections");
    expect(sections.calls).toHaveLength(5);
    expect(system.gradients.map((g) => g.text)).toEqual(["Ask for units."]);
    expect(question.gradients.map((g) => g.text)).toEqual(["State the units in the question."]);
  });

  it("sum chain feedback and aggregate reduce", async () => {
    const engine = new FakeEngine(reply);
    const a = new Variable("3.4", { role: "answer A", requiresGrad: true });
    const b = new Variable("3400 m", { role: "answer B", requiresGrad: true });
    const summed = sum([a, b]);
    await (await new TextLoss("Are the answers consistent?", { engine }).forward(summed)).backward({ engine });
    expect(a.gradients[0]!.text).toMatchSnapshot("sum feedback to one input");

    const combined = aggregate([a, b]);
    const j1 = await new TextLoss("Judge units.", { engine }).forward(combined);
    const j2 = await new TextLoss("Judge precision.", { engine }).forward(combined);
    await sum([j1, j2]).backward({ engine });
    expect(render(engine.calls.find((r) => r.system === REDUCE)!)).toMatchSnapshot("aggregate reduce");
    expect(a.gradients.at(-1)).toMatchSnapshot("aggregate summary gradient");
  });

  it("optimizer: every section, then a repair", async () => {
    const system = new Variable("You are a careful solver.", { role: "system prompt of the solver", requiresGrad: true });
    const engine = new FakeEngine(["<IMPROVED_VARIABLE>You are a careful solver. Give units.</IMPROVED_VARIABLE>", "Let me think about it.", "<IMPROVED_VARIABLE>You are a careful solver. Give units in km.</IMPROVED_VARIABLE>"]);
    const opt = new TGD({
      parameters: [system],
      engine,
      constraints: ["Keep it under 100 words.", "Keep the first sentence."],
      inContextExamples: ["You are a precise solver. Always state units."],
      momentumWindow: 2,
      gradientMemory: 2,
    });
    const conversation = (q: string) => `<LM_SYSTEM_PROMPT>\n${system.value}\n</LM_SYSTEM_PROMPT>\n<LM_INPUT>\n${q}\n</LM_INPUT>\n<LM_OUTPUT>\n3.4\n</LM_OUTPUT>`;
    system.addGradient({ text: "Ask for units.", from: "answer to the question", context: { kind: "llm", conversation: conversation("3 km + 400 m?"), usedAs: "answer to the question" } });
    await opt.step();
    opt.zeroGrad();
    system.addGradient({ text: "Still no unit in the answer.", from: "answer to the question", context: { kind: "llm", conversation: conversation("2 km + 1 m?"), usedAs: "answer to the question" } });
    system.addGradient({ text: "Be brief.", from: "style judge" });
    await opt.step();
    expect(render(engine.calls[0]!)).toMatchSnapshot("optimizer first step");
    expect(render(engine.calls[1]!)).toMatchSnapshot("optimizer with past iterations and feedback");
    expect(render(engine.calls[2]!)).toMatchSnapshot("optimizer repair");
  });

  it("static templates", () => {
    expect(renderOptimizerSystemPrompt({ start: "<NEW>", end: "</NEW>" })).toMatchSnapshot("optimizer system, custom tags");
    expect(renderMultiFieldSystemPrompt()).toMatchSnapshot("multi-field system");
    expect(renderMultiFieldPrompt({ instruction: "Compare.", fields: [{ role: "truth", value: "4" }, { role: "prediction", value: "5" }] })).toMatchSnapshot("multi-field prompt");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { ChatOpenAI } from "@langchain/openai";
import { Variable } from "../../src/core/variable.js";
import { TextLoss } from "../../src/core/losses/text-loss.js";
import { requireEngine } from "../../src/engine/call-engine.js";
import { isChatModel, toEngine } from "../../src/engine/engine-like.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import { NoEngineError } from "../../src/errors.js";
import { refine } from "../../src/optim/refine.js";
import { extractTagged } from "../../src/prompts/tags.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";
import { param } from "../../src/trace/param.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { tracedEngine } from "../../src/trace/traced-engine.js";

// The option types still say Engine until the core and optim owners widen them to EngineLike; at run time any
// LangChain chat model is accepted.
const asOption = (model: unknown) => model as Engine;

/** One scripted stand-in for the judge, the backward engine and the optimizer (as in the README). */
function reply(req: { readonly system?: string; readonly prompt: string }): string {
  if (/IMPROVED_VARIABLE/.test(req.system ?? "")) {
    return `<IMPROVED_VARIABLE>${extractTagged(req.prompt, "VARIABLE")} High up, water boils below 100 °C.</IMPROVED_VARIABLE>`;
  }
  if (extractTagged(req.prompt, "ROLE") !== undefined) return /Wrong|altitude/.test(req.prompt) ? "Say that altitude lowers the boiling point." : "";
  if (req.system?.startsWith("Judge")) return /90/.test(req.prompt) ? "Correct." : "Wrong: on a mountain water boils near 90 °C.";
  return "Fine.";
}

let stub: StubServer;
let chat: ChatOpenAI;
beforeAll(async () => {
  stub = await startStubServer({ reply: (req) => reply(req) });
  chat = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
});
afterAll(() => stub.close());

describe("an engine option takes a LangChain chat model", () => {
  it("recognizes chat models by duck type, and wraps each one once", () => {
    const model = fakeModel();
    expect(isChatModel(chat)).toBe(true);
    expect(isChatModel(model)).toBe(true);
    expect(isChatModel(new FakeEngine([]))).toBe(false);
    const engine = requireEngine(asOption(model), "LLMCall", "LLMCall");
    expect(engine).not.toBe(model);
    expect(requireEngine(asOption(model), "TGD", "TGD")).toBe(engine);
    const plain = new FakeEngine([]);
    expect(toEngine(plain, "x", "x")).toBe(plain);
  });

  it("new TextLoss(…, { engine: new ChatOpenAI(…) }) judges over the wire (it failed with messages.map is not a function)", async () => {
    const before = stub.requests.length;
    const loss = await new TextLoss("Judge the answer.", { engine: asOption(chat) }).forward(new Variable("100 °C.", { role: "answer" }));
    expect(loss.value).toBe("Wrong: on a mountain water boils near 90 °C.");
    const sent = stub.requests[before]!;
    expect(sent.system).toBe("Judge the answer.");
    expect(sent.prompt).toBe("100 °C.");
  });

  it("backward() takes a fake chat model", async () => {
    const model = fakeModel().respond(new AIMessage("Wrong.")).respond(new AIMessage("Be more precise."));
    const prompt = new Variable("Answer.", { role: "system prompt", requiresGrad: true });
    const out = new Variable("x", { role: "answer", predecessors: [prompt] });
    const loss = await new TextLoss("Judge.", { engine: asOption(model) }).forward(out);
    await loss.backward({ engine: asOption(model) });
    expect(loss.value).toBe("Wrong.");
    expect(out.gradients.map((g) => g.text)).toContain("Be more precise.");
    expect(model.calls).toHaveLength(2);
  });

  it("refine(run, { engine: chatModel }) refines a traced run through the chat model", async () => {
    const notesPrompt = param("notes.system", "List facts about the topic.", { role: "system prompt of the note taker" });
    const agentModel = (req: EngineRequest) =>
      req.system?.startsWith("List facts") ? "Water boils at 100 °C at sea level." : /below 100/.test(req.prompt) ? "About 90 °C." : "100 °C.";
    const llm = tracedEngine(new FakeEngine(agentModel, { model: "stand-in" }));
    const takeNotes = traceModule("notes", async (topic: string) => (await llm.generate({ system: notesPrompt.value, prompt: topic })).text, {
      role: "facts about the topic",
    });
    const answer = traceModule("answer", async (q: string, notes: string) => (await llm.generate({ system: "Answer from the notes.", prompt: `${notes}\nQ: ${q}` })).text, {
      role: "answer to the question",
    });
    const run = await trace(async () => answer("Boiling point on a 3000 m mountain?", await takeNotes("boiling water")));
    expect(run.output).toBe("100 °C.");

    const before = stub.requests.length;
    const refined = await refine(run, { engine: asOption(chat), loss: (out) => new TextLoss("Judge the answer.", { engine: asOption(chat) }).forward(out) });
    expect(refined.run.output).toBe("About 90 °C.");
    expect(stub.requests.length).toBeGreaterThan(before);
    expect(stub.requests.slice(before).some((r) => /IMPROVED_VARIABLE/.test(r.system ?? ""))).toBe(true);
  });

  it("anything else without generate() is a NoEngineError naming the option and what to pass", () => {
    for (const bad of [{ invoke: 1 }, { generate: "no" }, 42]) {
      expect(() => requireEngine(asOption(bad), 'TextLoss "Judge"', "judge")).toThrow(NoEngineError);
    }
    expect(() => requireEngine(asOption({}), "TGD", "TGD", "TGD")).toThrow(
      "TGD needs an engine — pass { engine } to TGD. It got an object with neither generate(request) nor invoke(): pass an Engine (an object with generate(request)) or a LangChain chat model such as new ChatOpenAI({ model }).",
    );
  });
});

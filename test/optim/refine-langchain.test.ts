import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent, tool } from "langchain";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractTagged, InvalidArgumentError, param, refine, TextLoss, trace, type EngineRequest } from "../../src/index.js";
import { instrumentLangChain, tracegradMiddleware } from "../../adapters/langchain/index.js";
import { FakeEngine } from "../../src/testing/index.js";

const almanac = tool(async ({ state }: { state: string }) => `${state}: capital Helena, largest city Billings.`, {
  name: "almanac",
  description: "Facts about a US state",
  schema: z.object({ state: z.string() }),
});

/** Judge, backward engine and optimizer in one script: only the wrong final answer draws feedback. */
function reply(req: EngineRequest): string {
  if (/IMPROVED_VARIABLE/.test(req.system ?? "")) return "<IMPROVED_VARIABLE>The capital of Montana is Helena.</IMPROVED_VARIABLE>";
  if (extractTagged(req.prompt, "ROLE") !== undefined) {
    return /Billings/.test(extractTagged(req.prompt, "VARIABLE") ?? "") ? "Billings is the largest city, not the capital; the almanac says Helena." : "";
  }
  return /Helena/.test(req.prompt) ? "Correct." : "Wrong: the capital is Helena.";
}

describe("refine on an unmodified LangChain createAgent agent", () => {
  it("rewrites the wrong model call and re-runs the agent with upstream model calls replayed, not re-called", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: "almanac", args: { state: "Montana" }, id: "call_1" }])
      .respond(new AIMessage({ content: "The capital of Montana is Billings.", id: "answer-1" }));
    const systemPrompt = param("almanac.system", "Answer from the almanac.", { role: "system prompt of the almanac agent" });
    const agent = createAgent({ model, tools: [almanac], middleware: [tracegradMiddleware({ systemPrompt, name: "almanac" })] });
    const ask = () => agent.invoke({ messages: [{ role: "user", content: "What is the capital of Montana?" }] });

    const run = await trace(async () => {
      instrumentLangChain();
      return ask();
    });
    expect(run.graph.output.value).toBe("The capital of Montana is Billings.");
    expect(model.callCount).toBe(2);

    const engine = new FakeEngine(reply);
    const refined = await refine(run, { engine, loss: (out) => new TextLoss("Judge the answer.", { engine }).forward(out) });

    expect(refined.modules.map((m) => [m.module, m.callIndex, m.changed])).toEqual([
      ["almanac.model", 0, false], // the tool request drew no feedback
      ["almanac.model", 1, true],
    ]);
    expect(refined.run.output.messages.at(-1)?.content).toBe("The capital of Montana is Helena.");
    // the re-run replayed call 0 (with its tool call, so the tool ran again) and replaced call 1: no model calls
    expect(model.callCount).toBe(2);
    expect(refined.run.output.messages.some((m) => ToolMessage.isInstance(m) && m.tool_call_id === "call_1")).toBe(true);
  });

  it("throws, naming the calls and the fix, when the agent has no tracegradMiddleware (it used to return modules: [] silently)", async () => {
    const model = fakeModel().respond(new AIMessage({ content: "The capital of Montana is Billings." }));
    const agent = createAgent({ model, tools: [almanac] });
    const run = await trace(async () => {
      instrumentLangChain();
      return agent.invoke({ messages: [{ role: "user", content: "What is the capital of Montana?" }] });
    });
    const engine = new FakeEngine(reply);
    const error = await refine(run, { engine, loss: (out) => new TextLoss("Judge the answer.", { engine }).forward(out) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/no replayable call.*\(llm\).*traceModule.*tracegradMiddleware/s);
    expect(engine.calls).toHaveLength(0); // nothing was spent finding out
  });
});

import { describe, expect, it } from "vitest";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { createAgent } from "langchain";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import type { ReplayPlan } from "../../../src/trace/capture.js";
import { modelReplayKey, toAIMessage, tracegradCallbacks, tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { ask, attr, byKind, getWeather, inStartOrder, json, one, parentOf, weatherModel } from "./helpers.js";

// No instrumentLangChain() in this file: its handler would outlive its test (LangChain's enterWith) and change where
// a replayed call without a tracegrad handler is recorded.


describe("tracegradMiddleware replay", () => {
  it("replays a recorded model call without calling the model", async () => {
    const system = param("weather.system", "You report the weather.", { role: "system prompt" });
    const middleware = [tracegradMiddleware({ systemPrompt: system, name: "forecaster" })];
    const original = await trace(() => createAgent({ model: weatherModel(), tools: [getWeather], middleware }).invoke(ask, { callbacks: [tracegradCallbacks()] }));
    const recorded = original.output.messages[1]; // the first model reply (with the tool call)
    expect(AIMessage.isInstance(recorded)).toBe(true);

    // the re-run's model only knows the second answer: the first must come from the replay plan
    const model = fakeModel().respond(new AIMessage({ content: "Still sunny in Paris.", id: "final-2" }));
    const lookups: string[] = [];
    const replay: ReplayPlan = {
      lookup(name, index) {
        lookups.push(`${name}#${index}`);
        return name === modelReplayKey("forecaster") && index === 0 ? { output: recorded } : undefined;
      },
    };
    const rerun = await trace(() => createAgent({ model, tools: [getWeather], middleware }).invoke(ask, { callbacks: [tracegradCallbacks()] }), { replay });

    expect(model.callCount).toBe(1);
    expect(lookups).toEqual(["forecaster.model#0", "forecaster.model#1"]);
    expect(rerun.output.messages.map((m) => m.content)).toEqual(["Weather in Paris?", recorded!.content, "Sunny, 21°C in Paris", "Still sunny in Paris."]);

    const [replayed, live] = inStartOrder(byKind(rerun.spans, "llm"));
    expect(attr(replayed!, "tracegrad.replayed")).toBe(true);
    expect(attr(live!, "tracegrad.replayed")).toBeUndefined();
    expect(attr(replayed!, "tracegrad.module.id")).toBe("forecaster.model");
    expect(attr(replayed!, "tracegrad.call.index")).toBe(0);
    expect(attr(replayed!, "tracegrad.param.ids")).toEqual(["weather.system"]);
    expect(json(replayed!, "gen_ai.output.messages")[0].parts).toContainEqual({ type: "tool_call", id: "call_paris", name: "get_weather", arguments: { city: "Paris" } });
    // it sits where the live call would have been: under the agent's model step
    expect(parentOf(replayed!, rerun.spans)?.name).toBe("model_request");
    expect(attr(one(rerun.spans, "tool"), "gen_ai.tool.call.id")).toBe("call_paris");
  });

  it("replays a recorded message given as plain data (a re-read call's output message)", async () => {
    const system = param("s", "Be brief.", { role: "system prompt" });
    const model = fakeModel().respond(new AIMessage("unused"));
    const replay: ReplayPlan = { lookup: () => ({ output: { role: "assistant", content: "From the record.", id: "rec-1" } }) };
    const agent = createAgent({ model, tools: [], middleware: [tracegradMiddleware({ systemPrompt: system })] });
    const run = await trace(() => agent.invoke(ask), { replay });
    expect(model.callCount).toBe(0);
    expect(run.output.messages.at(-1)).toMatchObject({ content: "From the record.", id: "rec-1" });
    // no tracegrad handler on the agent: the replayed call is still recorded, under the run's root
    const llm = one(run.spans, "llm");
    expect(attr(llm, "tracegrad.replayed")).toBe(true);
    expect(parentOf(llm, run.spans)?.name).toBe("tracegrad.run");
  });


  it("turns recorded outputs of any supported shape into AIMessages", () => {
    const tc = toAIMessage({ role: "assistant", content: "", id: "r", toolCalls: [{ id: "c1", name: "f", arguments: '{"x":1}' }] });
    expect(tc.tool_calls).toEqual([{ id: "c1", name: "f", args: { x: 1 }, type: "tool_call" }]);
    expect(tc.id).toBe("r");
    const genai = toAIMessage({ role: "assistant", parts: [{ type: "text", content: "hi" }, { type: "tool_call", id: "c2", name: "g", arguments: { y: 2 } }] });
    expect(genai.content).toBe("hi");
    expect(genai.tool_calls?.[0]).toMatchObject({ id: "c2", name: "g", args: { y: 2 } });
    expect(toAIMessage("plain").content).toBe("plain");
    const same = new AIMessage("x");
    expect(toAIMessage(same)).toBe(same);
    expect(toAIMessage({ odd: true }).content).toBe('{"odd":true}');
  });
});

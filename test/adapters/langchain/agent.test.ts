import { describe, expect, it } from "vitest";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { createAgent } from "langchain";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import { instrumentLangChain, tracegradCallbacks, tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { ask, attr, byKind, getWeather, inStartOrder, json, one, parentOf, weatherModel } from "./helpers.js";


describe("createAgent, unmodified", () => {
  it("is captured as agent → model/tool spans with tool-call and message ids carried through", async () => {
    const agent = createAgent({ model: weatherModel(), tools: [getWeather], name: "weather_agent" });
    const run = await trace(async () => {
      instrumentLangChain();
      return agent.invoke(ask);
    });
    expect(run.output.messages.at(-1)?.content).toBe("It is sunny in Paris.");

    const agentSpan = one(run.spans, "agent");
    expect(agentSpan.name).toBe("invoke_agent weather_agent");
    expect(attr(agentSpan, "gen_ai.agent.name")).toBe("weather_agent");
    expect(attr(agentSpan, "input.value")).toBe("Weather in Paris?");
    expect(attr(agentSpan, "output.value")).toBe("It is sunny in Paris.");
    expect(parentOf(agentSpan, run.spans)?.name).toBe("tracegrad.run");

    const [llm1, llm2] = inStartOrder(byKind(run.spans, "llm"));
    const toolSpan = one(run.spans, "tool");
    expect(llm1 && llm2).toBeTruthy();
    expect(attr(llm1!, "tracegrad.call.index")).toBe(0);
    expect(attr(llm2!, "tracegrad.call.index")).toBe(1);

    // the tool span answers the tool call the first model requested
    const [out1] = json(llm1!, "gen_ai.output.messages");
    const requested = out1.parts.find((p: any) => p.type === "tool_call");
    expect(requested).toMatchObject({ id: "call_paris", name: "get_weather", arguments: { city: "Paris" } });
    expect(toolSpan.name).toBe("execute_tool get_weather");
    expect(attr(toolSpan, "gen_ai.tool.name")).toBe("get_weather");
    expect(attr(toolSpan, "gen_ai.tool.call.id")).toBe(requested.id);
    expect(JSON.parse(attr(toolSpan, "gen_ai.tool.call.arguments") as string)).toEqual({ city: "Paris" });
    expect(attr(toolSpan, "gen_ai.tool.call.result")).toBe("Sunny, 21°C in Paris");

    // the second model call sees the first one's reply (same message id) and the tool result (same tool_call id)
    const in2 = json(llm2!, "gen_ai.input.messages");
    const echoed = in2.find((m: any) => m.role === "assistant");
    expect(echoed.id).toBe(out1.id);
    expect(in2.find((m: any) => m.role === "tool").parts[0]).toEqual({ type: "tool_call_response", id: "call_paris", result: "Sunny, 21°C in Paris" });
    expect(json(llm2!, "gen_ai.output.messages")[0].id).toBe("final-1");

    // every span belongs to the agent's tree
    for (const s of [llm1!, llm2!, toolSpan]) {
      let p = parentOf(s, run.spans);
      while (p && p !== agentSpan) p = parentOf(p, run.spans);
      expect(p).toBe(agentSpan);
    }

    // and the graph links model → tool → model by the tool-call id
    const id = (s: typeof toolSpan) => s.spanContext().spanId;
    expect(run.graph.edges).toContainEqual(expect.objectContaining({ from: id(llm1!), to: id(toolSpan), kind: "tool_call" }));
    expect(run.graph.edges).toContainEqual(expect.objectContaining({ from: id(toolSpan), to: id(llm2!) }));
  });
});

describe("tracegradMiddleware", () => {
  it("sends the parameter's current value on every model call and stamps it on the LLM span", async () => {
    const system = param("weather.system", "You report the weather.", { role: "system prompt of the weather agent" });
    const model = weatherModel().respondWithTools([{ name: "get_weather", args: { city: "Oslo" }, id: "call_oslo" }]).respond(new AIMessage("Cold in Oslo."));
    const agent = createAgent({ model, tools: [getWeather], middleware: [tracegradMiddleware({ systemPrompt: system })] });

    const first = await trace(() => agent.invoke(ask, { callbacks: [tracegradCallbacks()] }));
    system.setValue("You report the weather in one short sentence.");
    const second = await trace(() => agent.invoke({ messages: [{ role: "user", content: "And Oslo?" }] }, { callbacks: [tracegradCallbacks()] }));

    const systems = model.calls.map((c) => c.messages[0]!.content);
    const text = (c: unknown) => (Array.isArray(c) ? c.map((b: any) => b.text).join("") : c);
    expect(systems.map(text)).toEqual([
      "You report the weather.",
      "You report the weather.",
      "You report the weather in one short sentence.",
      "You report the weather in one short sentence.",
    ]);

    for (const [run, value] of [
      [first, "You report the weather."],
      [second, "You report the weather in one short sentence."],
    ] as const) {
      const llms = inStartOrder(byKind(run.spans, "llm"));
      expect(llms).toHaveLength(2);
      llms.forEach((llm, i) => {
        expect(attr(llm, "tracegrad.param.ids")).toEqual(["weather.system"]);
        expect(attr(llm, "tracegrad.param.weather.system.value")).toBe(value);
        expect(attr(llm, "tracegrad.param.weather.system.role")).toBe("system prompt of the weather agent");
        expect(typeof attr(llm, "tracegrad.param.weather.system.version")).toBe("string");
        expect(attr(llm, "tracegrad.module.id")).toBe("agent.model");
        expect(attr(llm, "tracegrad.call.index")).toBe(i);
        expect(attr(llm, "tracegrad.llm.system")).toBe(value);
      });
      expect(run.params.get("weather.system")).toBe(system);
      expect(run.graph.parameters).toContain(system);
    }
  });

  it("works outside trace(): applies the prompt, records nothing, never replays", async () => {
    const system = param("s", "Outside.", { role: "system prompt" });
    const model = fakeModel().respond(new AIMessage("fine"));
    const agent = createAgent({ model, tools: [], middleware: [tracegradMiddleware({ systemPrompt: system })] });
    const out = await agent.invoke(ask, { callbacks: [tracegradCallbacks()] });
    expect(out.messages.at(-1)?.content).toBe("fine");
    expect(model.calls[0]!.messages[0]!.text).toBe("Outside.");
  });
});

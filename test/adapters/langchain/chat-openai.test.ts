import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent } from "langchain";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import { readCalls } from "../../../src/trace/read-calls.js";
import { startStubServer, type StubServer } from "../../../src/testing/stub-server.js";
import { tracegradCallbacks, tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { attr, json, one } from "./helpers.js";

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer({ reply: (request) => `stub reply #${request.messages.length}` });
});
afterAll(() => stub.close());

function model() {
  return new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
}

describe("the real ChatOpenAI over HTTP (local stub)", () => {
  it("records model, provider, usage, response id and the message id of the reply", async () => {
    const run = await trace(() => model().invoke([["system", "Be brief."], ["human", "Hello?"]], { callbacks: [tracegradCallbacks()] }));
    const llm = one(run.spans, "llm");
    expect(llm.name).toBe("chat gpt-4o-mini");
    expect(attr(llm, "gen_ai.request.model")).toBe("gpt-4o-mini");
    expect(attr(llm, "gen_ai.provider.name")).toBe("openai");
    expect(attr(llm, "gen_ai.response.model")).toBe("gpt-4o-mini");
    expect(attr(llm, "gen_ai.response.id")).toMatch(/^chatcmpl-/);
    expect(attr(llm, "gen_ai.response.id")).toBe(run.output.id);
    expect(attr(llm, "gen_ai.usage.input_tokens")).toBe(run.output.usage_metadata?.input_tokens);
    expect(attr(llm, "gen_ai.usage.output_tokens")).toBe(run.output.usage_metadata?.output_tokens);
    expect(attr(llm, "gen_ai.response.finish_reasons")).toEqual(["stop"]);
    expect(json(llm, "gen_ai.output.messages")[0]).toMatchObject({ role: "assistant", id: run.output.id, finish_reason: "stop" });
    expect(attr(llm, "tracegrad.llm.system")).toBe("Be brief.");

    const call = readCalls(run.spans).calls.find((c) => c.kind === "llm")!;
    expect(call.model).toBe("gpt-4o-mini");
    expect(call.usage?.inputTokens).toBeGreaterThan(0);
    expect(call.outputMessages?.[0]?.id).toBe(run.output.id);
  });

  it("sends the middleware's system prompt over the wire", async () => {
    const system = param("stub.system", "You answer over HTTP.", { role: "system prompt" });
    const agent = createAgent({ model: model(), tools: [], middleware: [tracegradMiddleware({ systemPrompt: system })] });
    const before = stub.requests.length;
    const run = await trace(() => agent.invoke({ messages: [{ role: "user", content: "ping" }] }, { callbacks: [tracegradCallbacks()] }));
    const sent = stub.requests[before]!;
    expect(sent.messages[0]).toMatchObject({ role: "system" });
    expect(JSON.stringify(sent.messages[0])).toContain("You answer over HTTP.");
    expect(attr(one(run.spans, "llm"), "tracegrad.param.ids")).toEqual(["stub.system"]);
  });
});

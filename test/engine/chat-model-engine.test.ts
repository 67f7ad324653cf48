import { FakeListChatModel } from "@langchain/core/utils/testing";
import { ChatOpenAI } from "@langchain/openai";
import { afterEach, describe, expect, it } from "vitest";
import { withCache } from "../../src/engine/cache.js";
import { chatModelEngine } from "../../src/engine/chat-model-engine.js";
import { EngineCallError, InvalidArgumentError } from "../../src/errors.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

type OpenAIFields = NonNullable<ConstructorParameters<typeof ChatOpenAI>[0]>;
const openai = (url: string, extra: Partial<OpenAIFields> = {}) =>
  new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: url }, ...extra } as OpenAIFields);

describe("chatModelEngine with the real ChatOpenAI against the stub server", () => {
  it("sends system, history and prompt, and returns text, usage and model", async () => {
    stub = await startStubServer({ reply: "Paris." });
    const engine = chatModelEngine(openai(stub.url));
    const reply = await engine.generate({
      system: "Answer briefly.",
      history: [
        { role: "user", content: "Capital of Italy?" },
        { role: "assistant", content: "Rome." },
      ],
      prompt: "Capital of France?",
    });
    expect(reply).toEqual({ text: "Paris.", usage: { inputTokens: 14, outputTokens: 2, totalTokens: 16 }, model: "gpt-4o-mini" });
    expect(engine.model).toBe("gpt-4o-mini");
    expect(stub.requests[0]).toMatchObject({
      path: "/v1/chat/completions",
      system: "Answer briefly.",
      prompt: "Capital of France?",
      messages: [
        { role: "system", content: "Answer briefly." },
        { role: "user", content: "Capital of Italy?" },
        { role: "assistant", content: "Rome." },
        { role: "user", content: "Capital of France?" },
      ],
    });
  });

  it("applies the request's sampling parameters: stop and seed per call, temperature/topP/maxTokens on a model copy", async () => {
    stub = await startStubServer({ reply: "ok" });
    const engine = chatModelEngine(openai(stub.url));
    await engine.generate({ prompt: "a" });
    await engine.generate({ prompt: "b", temperature: 0.7, topP: 0.9, maxTokens: 50, seed: 7, stop: ["END"] });
    await engine.generate({ prompt: "c", temperature: 0.7 });
    const [plain, tuned, again] = stub.requests.map((r) => r.body as Record<string, unknown>);
    expect(plain).not.toHaveProperty("temperature");
    expect(tuned).toMatchObject({ temperature: 0.7, top_p: 0.9, max_tokens: 50, seed: 7, stop: ["END"] });
    expect(again).toMatchObject({ temperature: 0.7 });
    expect(again).not.toHaveProperty("seed");
  });

  it("gives differently configured models different cache identities, without secrets", async () => {
    stub = await startStubServer({ reply: (request) => `t=${String((request.body as { temperature?: number }).temperature)}` });
    const cold = withCache(chatModelEngine(openai(stub.url, { temperature: 0 })));
    const warm = chatModelEngine(openai(stub.url, { temperature: 1 }));
    expect(cold.cacheIdentity).not.toBe(warm.cacheIdentity);
    expect(cold.cacheIdentity).toContain(stub.url);
    expect(cold.cacheIdentity).not.toContain("sk-test");
    expect((await cold.generate({ prompt: "x" })).text).toBe("t=0");
  });

  it("reads text from content blocks (Responses API)", async () => {
    stub = await startStubServer({ reply: "from responses" });
    const engine = chatModelEngine(openai(stub.url, { useResponsesApi: true }));
    const reply = await engine.generate({ system: "sys", prompt: "hi" });
    expect(reply.text).toBe("from responses");
    expect(reply.usage?.outputTokens).toBe(4);
    expect(stub.requests[0]).toMatchObject({ path: "/v1/responses", system: "sys", prompt: "hi" });
  });

  it("turns a malformed body into EngineCallError", async () => {
    stub = await startStubServer({ reply: "unused", failures: ["malformed"] });
    const error = await chatModelEngine(openai(stub.url)).generate({ prompt: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/^chatModelEngine\("gpt-4o-mini"\): the model call failed: .*not valid JSON/);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it("keeps the HTTP status reachable on `cause`", async () => {
    stub = await startStubServer({ reply: "unused", failures: [{ status: 503, message: "overloaded" }] });
    const error = (await chatModelEngine(openai(stub.url)).generate({ prompt: "hi" }).catch((e: unknown) => e)) as EngineCallError;
    expect(error.message).toMatch(/with HTTP 503: 503 overloaded/);
    expect((error.cause as { status?: number }).status).toBe(503);
  });

  it("fails within the model's timeout when the server never answers", async () => {
    stub = await startStubServer({ reply: "unused", failures: ["timeout"] });
    const started = Date.now();
    const error = await chatModelEngine(openai(stub.url, { timeout: 200 })).generate({ prompt: "hi" }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/timed out/i);
  });

  it("stops when the request's signal aborts", async () => {
    stub = await startStubServer({ reply: "unused", failures: ["timeout"] });
    const error = await chatModelEngine(openai(stub.url)).generate({ prompt: "hi", signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCallError);
    expect((error as Error).message).toMatch(/abort/i);
  });
});

describe("chatModelEngine with any LangChain chat model", () => {
  it("names the engine by _llmType() and reports no usage when the model gives none", async () => {
    const engine = chatModelEngine(new FakeListChatModel({ responses: ["scripted"] }));
    expect(engine.model).toBe("fake-list");
    const reply = await engine.generate({ prompt: "hi" });
    expect(reply.text).toBe("scripted");
    expect(reply.usage).toBeUndefined();
    expect(chatModelEngine(new FakeListChatModel({ responses: [] }), { name: "mine" }).model).toBe("mine");
  });

  it("refuses sampling parameters the model has no field for", async () => {
    const engine = chatModelEngine(new FakeListChatModel({ responses: ["x"] }));
    await expect(engine.generate({ prompt: "hi", temperature: 0.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(engine.generate({ prompt: "hi", temperature: 0.5 })).rejects.toThrow(/request\.temperature = 0\.5 cannot be applied/);
  });

  it("rejects something that is not a chat model", () => {
    expect(() => chatModelEngine({} as never)).toThrow(/expected a LangChain chat model/);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

// Wire JSON, asserted field by field below.
const json = (response: Response): Promise<any> => response.json();
const post = (path: string, body: unknown) =>
  fetch(`${stub!.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const chat = (content: string, extra: Record<string, unknown> = {}) =>
  post("/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "system", content: "sys" }, { role: "user", content }], ...extra });

describe("startStubServer", () => {
  it("answers chat completions in OpenAI's shape, with unique ids and chars/4 usage", async () => {
    stub = await startStubServer({ reply: "hello world!" });
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const first = await json(await chat("12345678"));
    const second = await json(await chat("x"));
    expect(first).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content: "hello world!" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
    });
    expect(first.id).toMatch(/^chatcmpl-/);
    expect(first.id).not.toBe(second.id);
    expect(stub.requests[0]).toMatchObject({ path: "/v1/chat/completions", model: "gpt-4o-mini", system: "sys", prompt: "12345678", stream: false });
  });

  it("flattens content parts and Responses API input", async () => {
    stub = await startStubServer({ reply: "r" });
    await post("/chat/completions", { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }] });
    const response = await json(
      await post("/responses", {
        model: "m",
        instructions: "be kind",
        input: [
          { role: "user", content: [{ type: "input_text", text: "q1" }] },
          { type: "message", role: "assistant", content: "a1" },
          { type: "function_call", name: "lookup", call_id: "call_1", arguments: '{"q":1}' },
          { type: "function_call_output", call_id: "call_1", output: "found" },
          { role: "user", content: "q2" },
        ],
      }),
    );
    expect(stub.requests[0]).toMatchObject({ prompt: "ab", messages: [{ role: "user", content: "ab" }] });
    expect(stub.requests[1]).toMatchObject({ system: "be kind", prompt: "q2" });
    expect(stub.requests[1]?.messages).toHaveLength(6);
    expect(stub.requests[1]?.messages.slice(3, 5)).toEqual([
      { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"q":1}' }] },
      { role: "tool", content: "found", toolCallId: "call_1" },
    ]);
    expect(response).toMatchObject({ object: "response", status: "completed", output: [{ type: "message", content: [{ type: "output_text", text: "r" }] }] });
    expect(response.id).toMatch(/^resp-/);
    // "be kind" + "q1" + "a1" + "found" (the tool result) + "q2" = 18 characters
    expect(response.usage).toMatchObject({ input_tokens: 5, output_tokens: 1, total_tokens: 6 });
  });

  it("uses a reply list in order and fails clearly when it runs out", async () => {
    stub = await startStubServer({ reply: ["one", "two"] });
    const texts = [];
    for (let i = 0; i < 2; i++) texts.push((await json(await chat("q"))).choices[0].message.content);
    expect(texts).toEqual(["one", "two"]);
    const exhausted = await chat("q");
    expect(exhausted.status).toBe(500);
    expect((await json(exhausted)).error.message).toMatch(/all 2 replies were used; this is request #3\. Pass more replies or a function/);
  });

  it("passes the request to a reply function", async () => {
    stub = await startStubServer({ reply: async (request) => `you said ${request.prompt}` });
    expect((await json(await chat("hey"))).choices[0].message.content).toBe("you said hey");
  });

  it("scripts failures by list or by function, and records failed requests", async () => {
    stub = await startStubServer({ reply: "ok", failures: [{ status: 429, retryAfterSeconds: 1 }, undefined, { status: 503, message: "busy" }] });
    const limited = await chat("a");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await json(limited)).error).toMatchObject({ type: "rate_limit_error" });
    expect((await chat("b")).status).toBe(200);
    const busy = await chat("c");
    expect([busy.status, (await json(busy)).error.message]).toEqual([503, "busy"]);
    expect(stub.requests.map((r) => r.prompt)).toEqual(["a", "b", "c"]);
    await stub.close();

    stub = await startStubServer({ reply: "ok", failures: (request, index) => (request.prompt === "bad" || index === 2 ? { status: 500 } : undefined) });
    expect([(await chat("bad")).status, (await chat("good")).status, (await chat("good")).status]).toEqual([500, 200, 500]);
  });

  it("sends a 200 that is not JSON for 'malformed'", async () => {
    stub = await startStubServer({ reply: "ok", failures: ["malformed"] });
    const response = await chat("a");
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it("holds a 'timeout' request open, and close() drops it promptly", async () => {
    stub = await startStubServer({ reply: "ok", failures: ["timeout"] });
    const pending = chat("a").then(
      () => "answered",
      () => "dropped",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stub.requests).toHaveLength(1);
    const started = Date.now();
    await stub.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toBe("dropped");
  });

  it("delays responses by latencyMs", async () => {
    stub = await startStubServer({ reply: "slow", latencyMs: 80 });
    const started = Date.now();
    await json(await chat("a"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("streams chat completions as server-sent events", async () => {
    stub = await startStubServer({ reply: "a fairly long reply that spans chunks" });
    const response = await chat("q", { stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = (await response.text()).split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { id: string; usage?: unknown; choices: Array<{ delta?: { content?: string } }> });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("a fairly long reply that spans chunks");
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 10 });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(stub.requests[0]?.stream).toBe(true);
  });

  it("lists models and 404s unknown routes", async () => {
    stub = await startStubServer({ reply: "ok" });
    const models = await json(await fetch(`${stub.url}/models`));
    expect(models).toMatchObject({ object: "list", data: [{ id: "gpt-4o-mini", object: "model" }] });
    const missing = await fetch(`${stub.url}/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(stub.requests).toHaveLength(0);
  });
});

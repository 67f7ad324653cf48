import { AIMessageChunk, type AIMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, tool } from "langchain";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startStubServer, type StubServer } from "../../src/testing/index.js";

// Real clients over real HTTP: the stub's tool calls must come out of LangChain's own parsers unchanged.

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const lookedUp: string[] = [];
const lookupCapital = tool(
  async ({ state }: { state: string }) => {
    lookedUp.push(state); // the side effect the agent test asserts
    return state === "Montana" ? "Helena is the capital of Montana." : `No entry for ${state}.`;
  },
  { name: "lookup_capital", description: "Looks up the capital of a US state.", schema: z.object({ state: z.string() }) },
);

const chatOpenAI = (extra: Partial<ConstructorParameters<typeof ChatOpenAI>[0]> = {}) =>
  new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub!.url }, ...extra });

const TWO_CALLS = {
  content: "Looking both up.",
  toolCalls: [
    { name: "lookup_capital", arguments: { state: "Montana" }, id: "call_mt" },
    { name: "lookup_capital", arguments: '{"state":"Idaho"}' },
  ],
};

function expectTwoCalls(message: AIMessage): void {
  expect(message.tool_calls).toHaveLength(2);
  expect(message.tool_calls![0]).toMatchObject({ name: "lookup_capital", args: { state: "Montana" }, id: "call_mt" });
  expect(message.tool_calls![1]).toMatchObject({ name: "lookup_capital", args: { state: "Idaho" } });
  expect(message.tool_calls![1]!.id).toMatch(/^call_[0-9a-f]{24}$/);
  expect(message.invalid_tool_calls ?? []).toEqual([]);
}

describe("stub server tool calls through ChatOpenAI", () => {
  it("Chat Completions, plain: bindTools().invoke() returns the scripted tool calls, and the stub saw the offered tools", async () => {
    stub = await startStubServer({ reply: TWO_CALLS });
    const message = await chatOpenAI().bindTools([lookupCapital]).invoke("Capitals of Montana and Idaho?");
    expectTwoCalls(message);
    expect(message.content).toBe("Looking both up.");
    expect(message.response_metadata.finish_reason).toBe("tool_calls");
    expect(stub.requests[0]).toMatchObject({ path: "/v1/chat/completions", tools: ["lookup_capital"], stream: false });
  });

  it("Chat Completions, streamed (streaming: true): the delta.tool_calls chunks reassemble into the same calls", async () => {
    stub = await startStubServer({ reply: TWO_CALLS });
    // .stream() reads the SSE chunks directly; .invoke() with streaming would also estimate tokens with tiktoken,
    // which downloads its encoding — this test must stay offline.
    const model = chatOpenAI({ streaming: true }).bindTools([lookupCapital]);
    let message: AIMessageChunk | undefined;
    for await (const chunk of await model.stream("Capitals of Montana and Idaho?")) message = message ? message.concat(chunk) : chunk;
    expect(message).toBeInstanceOf(AIMessageChunk);
    expectTwoCalls(message!);
    expect(message!.content).toBe("Looking both up.");
    expect(stub.requests[0]?.stream).toBe(true);
  });

  it("Responses API, plain and streamed: function_call output items become the same tool calls", async () => {
    stub = await startStubServer({ reply: TWO_CALLS });
    const model = chatOpenAI({ useResponsesApi: true }).bindTools([lookupCapital]);
    expectTwoCalls(await model.invoke("Capitals?"));
    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await model.stream("Capitals?")) streamed = streamed ? streamed.concat(chunk) : chunk;
    expectTwoCalls(streamed!);
    expect(stub.requests.map((r) => [r.path, r.stream, r.tools])).toEqual([
      ["/v1/responses", false, ["lookup_capital"]],
      ["/v1/responses", true, ["lookup_capital"]],
    ]);
  });
});

describe("stub server drives a createAgent agent with a real tool", () => {
  it("the scripted tool call runs the tool with its arguments, and the next request carries the tool result", async () => {
    lookedUp.length = 0;
    stub = await startStubServer({
      reply: [{ toolCalls: [{ name: "lookup_capital", arguments: { state: "Montana" }, id: "call_capital_1" }] }, "The capital of Montana is Helena."],
    });
    const agent = createAgent({ model: chatOpenAI(), tools: [lookupCapital] });
    const result = await agent.invoke({ messages: [{ role: "user", content: "What is the capital of Montana?" }] });

    expect(lookedUp).toEqual(["Montana"]);
    expect(result.messages.at(-1)?.content).toBe("The capital of Montana is Helena.");
    expect(stub.requests).toHaveLength(2);
    const [first, second] = stub.requests;
    expect(first).toMatchObject({ tools: ["lookup_capital"], prompt: "What is the capital of Montana?" });
    expect(second!.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(second!.messages[1]).toMatchObject({ toolCalls: [{ id: "call_capital_1", name: "lookup_capital", arguments: '{"state":"Montana"}' }] });
    expect(second!.messages[2]).toEqual({ role: "tool", content: "Helena is the capital of Montana.", toolCallId: "call_capital_1" });
  });
});

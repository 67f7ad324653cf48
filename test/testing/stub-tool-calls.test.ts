import { afterEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { startStubServer, type StubMessage, type StubServer } from "../../src/testing/index.js";

// The wire shapes of scripted tool calls, field by field (the LangChain test checks that real clients accept them).

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const json = (response: Response): Promise<any> => response.json();
const post = (path: string, body: unknown) =>
  fetch(`${stub!.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const TOOLS = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }, { type: "function", function: { name: "add" } }];
const chat = (extra: Record<string, unknown> = {}) => post("/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "user", content: "q" }], tools: TOOLS, ...extra });
const sse = async (response: Response) => (await response.text()).split("\n\n").filter(Boolean);
const CALL: StubMessage = { toolCalls: [{ name: "lookup", arguments: { city: "Helena, MT" }, id: "call_1" }] };

describe("startStubServer: scripted tool calls", () => {
  it("sends tool_calls in a chat.completion with finish_reason tool_calls and null content", async () => {
    stub = await startStubServer({ reply: CALL });
    const body = await json(await chat());
    expect(body.choices[0]).toEqual({
      index: 0,
      message: { role: "assistant", content: null, refusal: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"city":"Helena, MT"}' } }] },
      logprobs: null,
      finish_reason: "tool_calls",
    });
    expect(body.usage.completion_tokens).toBe(Math.ceil(("lookup" + '{"city":"Helena, MT"}').length / 4));
    expect(stub.requests[0]?.tools).toEqual(["lookup", "add"]);
  });

  it("streams delta.tool_calls chunks: index, id, type and name first, then the arguments in pieces", async () => {
    const args = { expression: "a long expression that spans several chunks" };
    stub = await startStubServer({ reply: { content: "Let me add.", toolCalls: [CALL.toolCalls[0]!, { name: "add", arguments: args }] } });
    const events = await sse(await chat({ stream: true }));
    expect(events.at(-1)).toBe("data: [DONE]");
    const deltas = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, "")).choices[0]);
    expect(deltas[0].delta).toEqual({ role: "assistant", content: "" });
    expect(deltas.map((d: any) => d.delta.content ?? "").join("")).toBe("Let me add.");
    const toolDeltas = deltas.flatMap((d: any) => d.delta.tool_calls ?? []);
    const heads = toolDeltas.filter((t: any) => t.id !== undefined);
    expect(heads).toHaveLength(2);
    expect(heads[0]).toEqual({ index: 0, id: "call_1", type: "function", function: { name: "lookup", arguments: "" } });
    expect(heads[1]).toMatchObject({ index: 1, type: "function", function: { name: "add", arguments: "" } });
    expect(heads[1].id).toMatch(/^call_[0-9a-f]{24}$/);
    const argsOf = (index: number) => toolDeltas.filter((t: any) => t.index === index).map((t: any) => t.function.arguments).join("");
    expect(JSON.parse(argsOf(1))).toEqual(args);
    expect(toolDeltas.filter((t: any) => t.index === 1).length).toBeGreaterThan(2); // really sent in pieces
    expect(deltas.at(-1)).toEqual({ index: 0, delta: {}, finish_reason: "tool_calls" });
  });

  it("takes tool calls from a reply list and from a reply function, mixed with texts", async () => {
    stub = await startStubServer({ reply: [CALL, "done"] });
    expect((await json(await chat())).choices[0].finish_reason).toBe("tool_calls");
    expect((await json(await chat())).choices[0]).toMatchObject({ message: { content: "done" }, finish_reason: "stop" });
    await stub.close();

    stub = await startStubServer({
      reply: (request) => (request.messages.some((m) => m.role === "tool") ? "answered" : { toolCalls: [{ name: request.tools[0]!, arguments: "{}" }] }),
    });
    const first = await json(await chat());
    const call = first.choices[0].message.tool_calls[0];
    expect(call.function).toEqual({ name: "lookup", arguments: "{}" });
    const followUp = [{ role: "user", content: "q" }, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: call.id, content: "found" }];
    expect((await json(await chat({ messages: followUp }))).choices[0].message.content).toBe("answered");
    expect(stub.requests[1]?.messages.slice(1)).toEqual([
      { role: "assistant", content: "", toolCalls: [{ id: call.id, name: "lookup", arguments: "{}" }] },
      { role: "tool", content: "found", toolCallId: call.id },
    ]);
  });

  it("answers the Responses API with function_call output items, plain and streamed", async () => {
    stub = await startStubServer({ reply: { content: "ok", toolCalls: CALL.toolCalls } });
    const input = { model: "m", input: "q", tools: [{ type: "function", name: "lookup" }] };
    const body = await json(await post("/responses", input));
    expect(body.output.map((o: any) => o.type)).toEqual(["message", "function_call"]);
    expect(body.output[1]).toMatchObject({ call_id: "call_1", name: "lookup", arguments: '{"city":"Helena, MT"}', status: "completed" });
    expect(body.output[1].id).toMatch(/^fc_/);
    expect(stub.requests[0]?.tools).toEqual(["lookup"]);

    const events = (await sse(await post("/responses", { ...input, stream: true }))).map((e) => JSON.parse(e.split("\ndata: ")[1]!));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "response.output_item.added")).toHaveLength(2);
    const added = events.find((e) => e.type === "response.output_item.added" && e.item.type === "function_call");
    expect(added).toMatchObject({ output_index: 1, item: { call_id: "call_1", name: "lookup", arguments: "" } });
    const streamedArgs = events.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta).join("");
    expect(streamedArgs).toBe('{"city":"Helena, MT"}');
    expect(events.find((e) => e.type === "response.function_call_arguments.done")).toMatchObject({ output_index: 1, arguments: streamedArgs });
    expect(types.at(-1)).toBe("response.completed");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it("rejects malformed scripted replies up front, naming the entry", async () => {
    const bad = [
      [{ toolCalls: [{ arguments: {} }] }, /reply is invalid: toolCalls\[0\]\.name must be a non-empty string/],
      [["ok", { toolCalls: [{ name: "x", arguments: 3 }] }], /reply\[1\] is invalid: toolCalls\[0\]\.arguments must be an object or a JSON string/],
      [[{ content: "no calls" }], /reply\[0\] is invalid: a reply must be a string or \{ content\?: string, toolCalls/],
      [42, /a reply must be a string .*got number/],
    ] as const;
    for (const [reply, message] of bad) {
      const error = await startStubServer({ reply: reply as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("answers HTTP 500 naming the problem when a reply function returns something else", async () => {
    stub = await startStubServer({ reply: () => ({ content: "forgot the calls" }) as never });
    const response = await chat();
    expect(response.status).toBe(500);
    expect((await json(response)).error.message).toMatch(/reply function returned a bad reply: a reply must be a string or \{ content/);
  });
});

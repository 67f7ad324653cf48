import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { toEditable } from "../../src/optim/editable-value.js";
import { checkArguments, toolSpecsOf } from "../../src/optim/tool-specs.js";
import { GENAI } from "../../src/trace/attributes.js";
import type { ModuleCall } from "../../src/trace/module-call.js";

const book = { name: "book", parameters: { type: "object", properties: { time: { type: "string" }, room: { type: "string", enum: ["A", "B"] } }, required: ["time"], additionalProperties: false } };
const toolCallMessage = () =>
  new AIMessage({
    content: "Booking it.",
    id: "msg-1",
    tool_calls: [{ id: "call_1", name: "book", args: { time: "09:00" }, type: "tool_call" }],
    additional_kwargs: { tool_calls: [{ id: "call_1", type: "function", function: { name: "book", arguments: '{"time":"09:00"}' } }] },
  });

describe("toEditable", () => {
  it("leaves strings as they are", () => {
    const e = toEditable("plain");
    expect([e.text, e.structured, e.rebuild("new").value]).toEqual(["plain", false, "new"]);
  });

  it("shows an AIMessage's content and tool calls as blocks, and rebuilds an AIMessage with the edited arguments, same ids", () => {
    const e = toEditable(toolCallMessage(), { tools: [book] });
    expect(e.text).toBe('Booking it.\n\n<TOOL_CALL name="book">\n{\n  "time": "09:00"\n}\n</TOOL_CALL>');
    expect(e.constraints.join(" ")).toMatch(/TOOL_CALL.*same name/);
    const { value, issues } = e.rebuild(e.text.replace("09:00", "10:00").replace("Booking it.", "Booking at ten."));
    expect(issues).toEqual([]);
    expect(AIMessage.isInstance(value)).toBe(true);
    const m = value as AIMessage;
    expect([m.content, m.id, m.tool_calls]).toEqual(["Booking at ten.", "msg-1", [{ id: "call_1", name: "book", args: { time: "10:00" }, type: "tool_call" }]]);
    // the provider-format copy would contradict the edited call
    expect(m.additional_kwargs.tool_calls).toBeUndefined();
  });

  it("keeps the original call and says why when the edit renames the tool, breaks the JSON, drops the block or misfits the schema", () => {
    const e = toEditable(toolCallMessage(), { tools: [book] });
    const cases: Array<[string, RegExp]> = [
      [e.text.replace('name="book"', 'name="cancel"'), /renamed the tool to "cancel"/],
      [e.text.replace('"09:00"', "09:00"), /not a JSON object/],
      ["Booking it.", /missing from the edit/],
      [e.text.replace('"time": "09:00"', '"time": "10:00", "room": "C"'), /room: expected one of "A", "B", got "C"/],
      [e.text.replace('"time": "09:00"', '"when": "10:00"'), /time: required argument is missing/],
    ];
    for (const [text, why] of cases) {
      const { value, issues } = e.rebuild(text);
      expect((value as AIMessage).tool_calls).toEqual([{ id: "call_1", name: "book", args: { time: "09:00" }, type: "tool_call" }]);
      expect(issues).toEqual([expect.stringMatching(why)]);
    }
  });

  it("accepts arguments fenced in ```json, and reports extra tool calls instead of running them", () => {
    const e = toEditable(toolCallMessage());
    const fenced = e.rebuild('<TOOL_CALL name="book">\n```json\n{"time":"11:00"}\n```\n</TOOL_CALL>\n<TOOL_CALL name="book">{"time":"12:00"}</TOOL_CALL>');
    expect((fenced.value as AIMessage).tool_calls?.map((c) => c.args)).toEqual([{ time: "11:00" }]);
    expect(fenced.issues).toEqual([expect.stringMatching(/added 1 tool call/)]);
  });

  it("edits a recorded message ({ role, content, toolCalls }) into the same shape", () => {
    const recorded = { role: "assistant", content: "", id: "r1", toolCalls: [{ id: "call_1", name: "book", arguments: '{"time":"09:00"}' }] };
    const e = toEditable(recorded, { tools: [book] });
    expect(e.rebuild(e.text.replace("09:00", "10:00")).value).toEqual({ ...recorded, toolCalls: [{ id: "call_1", name: "book", arguments: '{"time":"10:00"}' }] });
  });

  it("edits the messages of a { messages } state update (several in <MESSAGE> blocks), keeping their classes and the other keys", () => {
    const update = { messages: [new AIMessage({ content: "Sydney.", id: "a" }), new ToolMessage({ content: "ok", tool_call_id: "t1" })], step: 2 };
    const e = toEditable(update);
    expect(e.text).toBe('<MESSAGE index="0">\nSydney.\n</MESSAGE>\n\n<MESSAGE index="1">\nok\n</MESSAGE>');
    const { value, issues } = e.rebuild(e.text.replace("Sydney.", "Canberra."));
    const v = value as typeof update;
    expect(issues).toEqual([]);
    expect(v.step).toBe(2);
    expect(AIMessage.isInstance(v.messages[0])).toBe(true);
    expect([v.messages[0]!.content, v.messages[0]!.id]).toEqual(["Canberra.", "a"]);
    expect(ToolMessage.isInstance(v.messages[1])).toBe(true);
    expect((v.messages[1] as ToolMessage).tool_call_id).toBe("t1");
    expect(e.rebuild('<MESSAGE index="1">\nfine\n</MESSAGE>').issues).toEqual(["message 0 was missing from the edit; it was kept as it was"]);
  });

  it("edits a Command's update and rebuilds a Command with the same goto", () => {
    const command = new Command({ update: { messages: [new HumanMessage("hi")] }, goto: "writer" });
    const e = toEditable(command);
    expect(e.text).toBe("hi");
    const rebuilt = e.rebuild("hello").value as Command;
    expect(rebuilt).toBeInstanceOf(Command);
    expect(rebuilt.goto).toEqual(["writer"]);
    const messages = (rebuilt.update as { messages: HumanMessage[] }).messages;
    expect(HumanMessage.isInstance(messages[0])).toBe(true);
    expect(messages[0]!.content).toBe("hello");
  });

  it("edits plain JSON as JSON, keeping the value when the edit does not parse", () => {
    const e = toEditable({ city: "Sydney", n: [1] });
    expect(e.text).toBe('{\n  "city": "Sydney",\n  "n": [\n    1\n  ]\n}');
    expect(e.rebuild('{"city":"Canberra","n":[1]}')).toEqual({ value: { city: "Canberra", n: [1] }, issues: [] });
    expect(e.rebuild("city: Canberra")).toEqual({ value: { city: "Sydney", n: [1] }, issues: [expect.stringMatching(/did not parse/)] });
  });

  it("replays other values as their text (the span's rendering)", () => {
    const e = toEditable(new Map([["a", 1]]), { fallbackText: "map a=1" });
    expect([e.text, e.structured, e.rebuild("map a=2").value]).toEqual(["map a=1", false, "map a=2"]);
  });
});

describe("tool specs", () => {
  it("reads gen_ai.tool.definitions from a call, in flat or OpenAI { function } form", () => {
    const call = { attributes: { [GENAI.toolDefinitions]: JSON.stringify([{ type: "function", ...book }, { type: "function", function: { name: "other" } }]) } } as unknown as ModuleCall;
    expect(toolSpecsOf(call)).toEqual([book, { name: "other" }]);
    expect(toolSpecsOf({ attributes: {} } as unknown as ModuleCall)).toBeUndefined();
    expect(toolSpecsOf({ attributes: { [GENAI.toolDefinitions]: "not json" } } as unknown as ModuleCall)).toBeUndefined();
  });

  it("checks types, required, enum, unknown keys, nested items and anyOf", () => {
    expect(checkArguments({ time: "10:00" }, book.parameters)).toBeUndefined();
    expect(checkArguments({ time: 10 }, book.parameters)).toBe("time: expected string, got number");
    expect(checkArguments({ time: "1", extra: 1 }, book.parameters)).toBe("extra: unknown argument");
    const list = { type: "object", properties: { people: { type: "array", items: { type: "object", properties: { age: { type: "integer" } } } } } };
    expect(checkArguments({ people: [{ age: 3 }, { age: 3.5 }] }, list)).toBe("people[1].age: expected integer, got number");
    const either = { anyOf: [{ type: "string" }, { type: "null" }] };
    expect(checkArguments(null, either)).toBeUndefined();
    expect(checkArguments(1, either)).toBe("arguments: expected string, got number");
    expect(checkArguments({ x: 1 }, { type: "object", properties: { x: { format: "odd-unknown-keyword" } } })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { fromGenAiMessages, genAiMessagesJson, toGenAiMessages } from "../../src/trace/genai-messages.js";
import type { RecordedMessage } from "../../src/trace/module-call.js";

/** The hand-written JSON writer must say exactly what serializing toGenAiMessages says. */
const reference = (messages: readonly RecordedMessage[], finish?: string) =>
  JSON.stringify(toGenAiMessages(messages).map((m) => (finish === undefined ? m : { ...m, finish_reason: finish })));

const cases: Array<[string, RecordedMessage[]]> = [
  ["plain text", [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi \"there\"\n\t\u2028" }]],
  ["ids", [{ role: "assistant", content: "Sure.", id: "chatcmpl-1" }]],
  ["tool calls with JSON and non-JSON arguments", [
    { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "add", arguments: '{"a":1,"b":[2,3]}' }, { id: "call_2", name: "echo", arguments: "not json" }] },
  ]],
  ["text and a tool call", [{ role: "assistant", content: "Let me check.", toolCalls: [{ id: "c", name: "t", arguments: "{}" }] }]],
  ["tool results", [{ role: "tool", content: "84", toolCallId: "call_1" }]],
  ["empty", []],
];

describe("genAiMessagesJson", () => {
  it.each(cases)("%s: byte-identical to JSON.stringify(toGenAiMessages(…))", (_name, messages) => {
    expect(genAiMessagesJson(messages)).toBe(reference(messages));
    expect(genAiMessagesJson(messages, "stop")).toBe(reference(messages, "stop"));
  });

  it("round-trips through fromGenAiMessages", () => {
    const messages = cases.flatMap(([, m]) => m);
    const back = fromGenAiMessages(genAiMessagesJson(messages))!;
    expect(back.map((m) => [m.role, m.content, m.id, m.toolCallId])).toEqual(messages.map((m) => [m.role, m.content, m.id, m.toolCallId]));
  });
});

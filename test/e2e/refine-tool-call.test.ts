// Issue 8, defect 1: refining a model call whose output is a tool call. The optimizer used to edit the rendered text
// `[tool call book_meeting({...})]`, the replay turned it into a plain AIMessage without tool_calls, the tool never
// ran, and refine reported `changed: true`. Here the real ChatOpenAI talks to the local stub server, and the test
// checks what really happened downstream: the tool ran again with the edited argument and the final answer changed.
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, tool } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { param, refine, TextLoss, trace, type EngineRequest } from "../../src/index.js";
import { tracegradCallbacks, tracegradMiddleware } from "../../adapters/langchain/index.js";
import { FakeEngine, formatUpdate, readTextgradRequest } from "../../src/testing/index.js";
import { renderFeedbackSection } from "../../src/prompts/feedback-sections.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer;
beforeAll(async () => {
  // the scheduler model: books at 09:00 whatever the user asked, then reports the tool's result
  stub = await startStubServer({
    reply: (request) => {
      const last = request.messages.at(-1);
      if (last?.role === "tool") return `Done: ${last.content}`;
      return { toolCalls: [{ id: "call_book_1", name: "book_meeting", arguments: { title: "Standup", time: "09:00" } }] };
    },
  });
});
afterAll(() => stub.close());

function scheduler() {
  const booked: Array<{ title: string; time: string }> = [];
  const bookMeeting = tool(
    async ({ title, time }: { title: string; time: string }) => {
      booked.push({ title, time });
      return `Booked "${title}" at ${time}.`;
    },
    { name: "book_meeting", description: "Book a meeting", schema: z.object({ title: z.string(), time: z.string() }) },
  );
  const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  const systemPrompt = param("scheduler.system", "You book meetings with the book_meeting tool.", { role: "system prompt of the scheduler" });
  const agent = createAgent({ model, tools: [bookMeeting], middleware: [tracegradMiddleware({ systemPrompt, name: "scheduler" })] });
  const ask = () => agent.invoke({ messages: [{ role: "user", content: "Book the standup at 10:00." }] }, { callbacks: [tracegradCallbacks()] });
  return { booked, ask };
}

const finalText = (state: { messages: Array<{ content: unknown }> }) => String(state.messages.at(-1)?.content);

/** Judge, backward engine and optimizer: the booking at 09:00 is wrong; the optimizer writes `newArguments`. */
function judge(newArguments: (variable: string) => string) {
  return (req: EngineRequest): string => {
    const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
    if (request?.kind === "optimizer") return formatUpdate(newArguments(request.variable ?? ""), request.tags);
    if (request?.kind === "backward") {
      const feedback = /09:00/.test(req.prompt) ? "The user asked for 10:00, but the meeting is booked at 09:00." : "";
      // one request may ask about all the trainable inputs of a node: one section each
      return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, feedback)).join("\n") : feedback;
    }
    return /10:00/.test(req.prompt) ? "Correct." : "Wrong: the meeting was booked at 09:00; the user asked for 10:00.";
  };
}

describe("refine a createAgent tool call over the real ChatOpenAI (local stub)", () => {
  it("edits the tool call's arguments, and the re-run executes the tool with them", async () => {
    const { booked, ask } = scheduler();
    const run = await trace(() => ask(), { output: finalText });
    expect(finalText(run.output)).toBe('Done: Booked "Standup" at 09:00.');
    const requestsBefore = stub.requests.length;

    const shown: string[] = [];
    const engine = new FakeEngine(
      judge((variable) => {
        shown.push(variable);
        return variable.replace("09:00", "10:00");
      }),
    );
    const refined = await refine(run, { engine, loss: (out) => new TextLoss("Judge the booking.", { engine }).forward(out) });

    // the optimizer saw the tool call as a delimited, editable block — not `[tool call book_meeting(…)]`
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('<TOOL_CALL name="book_meeting">');
    expect(shown[0]).toContain('"time": "09:00"');
    expect(shown[0]).not.toContain("[tool call");
    const first = refined.modules[0]!;
    expect([first.module, first.callIndex, first.changed]).toEqual(["scheduler.model", 0, true]);
    expect(first.after).toContain('"time": "10:00"');
    expect(first.issues).toEqual([]);
    // the tool really ran again, with the edited argument
    expect(booked).toEqual([
      { title: "Standup", time: "09:00" },
      { title: "Standup", time: "10:00" },
    ]);
    // call 0 was replayed (no request), call 1 ran for real and the client sent the edited call and its result
    expect(stub.requests.length - requestsBefore).toBe(1);
    const resent = stub.requests.at(-1)!.messages;
    expect(resent.find((m) => m.role === "assistant")?.toolCalls?.[0]).toMatchObject({ id: "call_book_1", name: "book_meeting" });
    expect(JSON.parse(resent.find((m) => m.role === "assistant")!.toolCalls![0]!.arguments)).toEqual({ title: "Standup", time: "10:00" });
    expect(resent.at(-1)).toMatchObject({ role: "tool", toolCallId: "call_book_1", content: 'Booked "Standup" at 10:00.' });
    // the final answer changed, and refine verified it with the loss
    expect(finalText(refined.run.output)).toBe('Done: Booked "Standup" at 10:00.');
    expect(first.evaluation).toBe("Correct.");
    expect(refined.evaluation).toBe("Correct.");
    expect(refined.modules.slice(1).every((m) => !m.changed)).toBe(true);
    // the caller's run is left as it was traced
    expect([...run.graph.variables.values()].some((v) => v.value.startsWith("[tool call book_meeting("))).toBe(true);
  });

  it("keeps the original call, reports it and re-runs nothing when the edited arguments break the tool's schema", async () => {
    const { booked, ask } = scheduler();
    const run = await trace(() => ask(), { output: finalText });
    const engine = new FakeEngine(judge((variable) => variable.replace('"09:00"', "10")));
    const refined = await refine(run, { engine, loss: (out) => new TextLoss("Judge the booking.", { engine }).forward(out) });

    const first = refined.modules[0]!;
    expect(first.proposed).toContain('"time": 10');
    expect(first.changed).toBe(false);
    expect(first.after).toBe(first.before);
    expect(first.issues).toEqual([expect.stringMatching(/tool call 0 \(book_meeting\).*do not fit the tool's schema \(time: expected string, got number\).*original call was kept/)]);
    expect(booked).toEqual([{ title: "Standup", time: "09:00" }]);
    expect(refined.run).toBe(run);
    expect(refined.evaluation).toMatch(/^Wrong/);
  });
});

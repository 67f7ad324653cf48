// Issue 8, task 7 (evidence): a createAgent supervisor with two createAgent sub-agents exposed as tools, over the real
// ChatOpenAI and an HTTP stub. Before, every model call read `chat gpt-4o-mini` and nothing told the agents apart;
// here each agent and its model calls are named, the sub-agents' tools really run, all three prompts are parameters,
// and refining the prompts fixes the sub-agent whose answer was wrong — the re-run sends its new prompt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage } from "@langchain/core/messages";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { param, refine, TextLoss, trace, type EngineRequest } from "../../src/index.js";
import { renderFeedbackSection } from "../../src/prompts/feedback-sections.js";
import { FakeEngine, formatUpdate, readTextgradRequest, startStubServer, type StubRequest, type StubServer } from "../../src/testing/index.js";
import { instrumentLangChain, tracegradMiddleware } from "../../adapters/langchain/index.js";

const SUPERVISOR = "You are the supervisor. Delegate to calendar_agent, then email_agent.";
const CALENDAR = "You are the calendar agent. Give the day by its name.";
const EMAIL = "You are the email agent. Email the attendee.";
const FIXED_CALENDAR = "You are the calendar agent. Give the day as an ISO date (YYYY-MM-DD).";

/** The stub plays all three models, told apart by the system prompt each agent sends. */
function reply(req: StubRequest) {
  const system = req.system ?? "";
  const results = req.messages.filter((m) => m.role === "tool").map((m) => m.content);
  if (system.includes("supervisor")) {
    if (results.length === 0) return { toolCalls: [{ name: "calendar_agent", arguments: { request: "Book a meeting with Bob on Monday" } }] };
    if (results.length === 1) return { toolCalls: [{ name: "email_agent", arguments: { request: `Tell Bob: ${results[0]}` } }] };
    return `Done. ${results.join(" ")}`;
  }
  if (system.includes("calendar")) {
    if (results.length === 0) return { toolCalls: [{ name: "create_event", arguments: { title: "Meeting with Bob", day: system.includes("ISO") ? "2026-12-07" : "Monday" } }] };
    return `Booked: ${results[0]}.`;
  }
  if (results.length === 0) return { toolCalls: [{ name: "send_email", arguments: { to: "bob@example.com" } }] };
  return `Emailed: ${results[0]}.`;
}

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer({ reply });
});
afterAll(() => stub.close());

function build() {
  const model = () => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  const prompts = {
    supervisor: param("supervisor.system", SUPERVISOR, { role: "system prompt of the supervisor" }),
    calendar: param("calendar.system", CALENDAR, { role: "system prompt of the calendar agent" }),
    email: param("email.system", EMAIL, { role: "system prompt of the email agent" }),
  };
  const executed: Array<{ tool: string; args: unknown }> = [];
  const createEvent = tool(async (args: { title: string; day: string }) => (executed.push({ tool: "create_event", args }), `event "${args.title}" on ${args.day}`), {
    name: "create_event", description: "Creates a calendar event.", schema: z.object({ title: z.string(), day: z.string() }),
  });
  const sendEmail = tool(async (args: { to: string }) => (executed.push({ tool: "send_email", args }), `mail sent to ${args.to}`), {
    name: "send_email", description: "Sends an email.", schema: z.object({ to: z.string() }),
  });
  const calendarAgent = createAgent({ name: "calendar", model: model(), tools: [createEvent], middleware: [tracegradMiddleware({ systemPrompt: prompts.calendar, name: "calendar" })] });
  const emailAgent = createAgent({ name: "email", model: model(), tools: [sendEmail], middleware: [tracegradMiddleware({ systemPrompt: prompts.email, name: "email" })] });
  type SubAgent = { invoke(input: { messages: HumanMessage[] }): Promise<{ messages: Array<{ content: unknown }> }> };
  const asTool = (agent: SubAgent, name: string) =>
    tool(async ({ request }: { request: string }) => String((await agent.invoke({ messages: [new HumanMessage(request)] })).messages.at(-1)?.content), {
      name, description: `Delegates to the ${name}.`, schema: z.object({ request: z.string() }),
    });
  const supervisor = createAgent({
    name: "supervisor",
    model: model(),
    tools: [asTool(calendarAgent, "calendar_agent"), asTool(emailAgent, "email_agent")],
    middleware: [tracegradMiddleware({ systemPrompt: prompts.supervisor, name: "supervisor" })],
  });
  const ask = () => supervisor.invoke({ messages: [new HumanMessage("Set up a meeting with Bob on Monday and tell him.")] });
  return { prompts, executed, ask };
}

/** Judge, backward engine and optimizer: a day name instead of an ISO date is wrong; only the calendar prompt changes. */
const engine = new FakeEngine((req: EngineRequest) => {
  const request = readTextgradRequest({ system: req.system, prompt: req.prompt });
  if (request?.kind === "optimizer") {
    const variable = request.variable ?? "";
    return formatUpdate(variable === CALENDAR ? FIXED_CALENDAR : variable, request.tags);
  }
  if (request?.kind === "backward") {
    const feedback = /on Monday\b/.test(req.prompt) ? "The calendar agent gave a day name; dates must be ISO (YYYY-MM-DD)." : "";
    return request.roles ? request.roles.map((_, i) => renderFeedbackSection(i + 1, feedback)).join("\n") : feedback;
  }
  return /2026-12-07/.test(req.prompt) ? "Correct." : "Wrong: the event must have an ISO date.";
});

const finalText = (out: { messages: Array<{ content: unknown }> }) => String(out.messages.at(-1)?.content);

describe("a createAgent supervisor with two sub-agents as tools, over ChatOpenAI", () => {
  it("is traced with named agents and model calls, tool_call edges and all three prompts; refine fixes the calendar prompt", async () => {
    const { prompts, executed, ask } = build();
    const run = await trace(async () => {
      instrumentLangChain();
      return ask();
    }, { output: finalText });
    expect(finalText(run.output)).toBe('Done. Booked: event "Meeting with Bob" on Monday. Emailed: mail sent to bob@example.com.');
    expect(executed).toEqual([
      { tool: "create_event", args: { title: "Meeting with Bob", day: "Monday" } },
      { tool: "send_email", args: { to: "bob@example.com" } },
    ]);

    const agents = run.spans.filter((s) => s.attributes["tracegrad.kind"] === "agent").map((s) => s.name).sort();
    expect(agents).toEqual(["invoke_agent calendar", "invoke_agent email", "invoke_agent supervisor"]);
    const llmModules = run.spans.filter((s) => s.attributes["tracegrad.kind"] === "llm").map((s) => s.attributes["tracegrad.module.id"]);
    expect(new Set(llmModules)).toEqual(new Set(["supervisor.model", "calendar.model", "email.model"]));

    // tool_call edges: the supervisor's model → each sub-agent (the builder folds the delegating tool into the agent
    // it runs), each sub-agent's model → its own tool
    const nameOf = new Map(run.graph.nodes.map((n) => [n.id, n.name]));
    const spanModule = new Map(run.spans.map((s) => [s.spanContext().spanId, String(s.attributes["tracegrad.module.id"])]));
    const toolEdges = run.graph.edges.filter((e) => e.kind === "tool_call").map((e) => `${spanModule.get(e.from)} -> ${nameOf.get(e.to)}`);
    expect(toolEdges).toEqual(expect.arrayContaining([
      "supervisor.model -> invoke_agent calendar",
      "supervisor.model -> invoke_agent email",
      "calendar.model -> execute_tool create_event",
      "email.model -> execute_tool send_email",
    ]));
    expect([...run.graph.parameters].sort((a, b) => a.id!.localeCompare(b.id!))).toEqual([prompts.calendar, prompts.email, prompts.supervisor]);

    const before = stub.requests.length;
    const refined = await refine(run, { target: "prompts", engine, loss: (out) => new TextLoss("Judge the meeting.", { engine }).forward(out) });
    const changed = refined.prompts.filter((p) => p.changed).map((p) => p.id);
    expect(changed).toEqual(["calendar.system"]);
    expect(prompts.calendar.value).toBe(FIXED_CALENDAR);
    expect(prompts.supervisor.value).toBe(SUPERVISOR);

    // refine's own re-run already sent the new prompt over the wire, and a fresh run of the unmodified agent does too
    const byRefine = stub.requests.slice(before).map((r) => r.system ?? "");
    expect(byRefine).toContain(FIXED_CALENDAR);
    expect(finalText(refined.run.output)).toContain("2026-12-07");
    const rerun = await trace(async () => {
      instrumentLangChain();
      return ask();
    }, { output: finalText });
    const sent = stub.requests.slice(before).map((r) => r.system ?? "");
    expect(sent).toContain(FIXED_CALENDAR);
    expect(finalText(rerun.output)).toContain("2026-12-07");
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { trace as otel } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { trace } from "../../../src/trace/run-trace.js";
import { traceModule } from "../../../src/trace/trace-module.js";
import { instrumentLangChain, isTracegradTracer, uninstrumentLangChain } from "../../../adapters/langchain/index.js";
import { attr, byKind, one, parentOf } from "./helpers.js";

// The user's own global OTel setup: tracegrad must never write into it.
const userExporter = new InMemorySpanExporter();
otel.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: userExporter })] }));
afterAll(() => otel.disable());

describe("instrumentLangChain", () => {
  it("captures a bare model.invoke() with no callbacks passed, and nothing leaks into the global provider", async () => {
    const model = new FakeListChatModel({ responses: ["pong"] });
    const run = await trace(async () => {
      instrumentLangChain();
      return model.invoke("ping");
    });
    expect(run.output.content).toBe("pong");
    const llm = one(run.spans, "llm");
    expect(JSON.parse(attr(llm, "gen_ai.input.messages") as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "ping" }] }]);
    expect(attr(llm, "output.value")).toBe("pong");
    expect(parentOf(llm, run.spans)?.name).toBe("tracegrad.run");
    expect(userExporter.getFinishedSpans()).toHaveLength(0);
  });

  it("is idempotent in a scope, and a new handler replaces the old one when options are given", () => {
    const a = instrumentLangChain();
    const b = instrumentLangChain();
    expect(b).toBe(a);
    expect(isTracegradTracer(a)).toBe(true);
    const c = instrumentLangChain({ onError: () => {} });
    expect(c).not.toBe(a);
    expect(instrumentLangChain()).toBe(c);
  });

  it("records nothing outside trace() and can be switched off", async () => {
    instrumentLangChain();
    const model = new FakeListChatModel({ responses: ["a", "b"] });
    await expect(model.invoke("untraced")).resolves.toMatchObject({ content: "a" });
    uninstrumentLangChain();
    const run = await trace(() => model.invoke("traced, but uninstrumented"));
    expect(byKind(run.spans, "llm")).toHaveLength(0);
    expect(userExporter.getFinishedSpans()).toHaveLength(0);
  });

  it("nests LangChain runs under the active traceModule span, also inside a tool body", async () => {
    instrumentLangChain();
    const inner = new FakeListChatModel({ responses: ["inner answer"] });
    const summarize = traceModule("summarize", async (text: string) => (await inner.invoke(text)).content as string);
    const lookup = tool(async ({ q }: { q: string }) => summarize(`notes about ${q}`), {
      name: "lookup",
      description: "Looks things up",
      schema: z.object({ q: z.string() }),
    });
    const model = fakeModel().respondWithTools([{ name: "lookup", args: { q: "otters" }, id: "call_1" }]).respond(new AIMessage("done"));
    const agent = createAgent({ model, tools: [lookup] });
    const run = await trace(() => agent.invoke({ messages: [{ role: "user", content: "otters?" }] }));

    const moduleSpan = run.spans.find((s) => s.attributes["tracegrad.module.id"] === "summarize" && s.attributes["tracegrad.kind"] === "module")!;
    expect(moduleSpan).toBeDefined();
    const innerLlm = byKind(run.spans, "llm").find((s) => s.attributes["output.value"] === "inner answer")!;
    expect(parentOf(innerLlm, run.spans)).toBe(moduleSpan);
    expect(one(run.spans, "tool").name).toBe("execute_tool lookup");
    expect(byKind(run.spans, "llm")).toHaveLength(3);
    expect(userExporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe("instrumentLangChain and param() prompts", () => {
  it("binds a model call to the prompt in its system message without recording every known prompt as read there", async () => {
    const { param } = await import("../../../src/trace/param.js");
    const { SystemMessage, HumanMessage } = await import("@langchain/core/messages");
    const notesPrompt = param("notes.system", "Write short notes.", { role: "system prompt of the note taker" });
    const answerPrompt = param("answer.system", "Answer from the notes.", { role: "system prompt of the answerer" });
    const model = new FakeListChatModel({ responses: ["some notes", "the answer"] });
    const notes = traceModule("notes", async (q: string) => (await model.invoke([new SystemMessage(notesPrompt.value), new HumanMessage(q)])).content as string);
    const answer = traceModule("answer", async (n: string) => (await model.invoke([new SystemMessage(answerPrompt.value), new HumanMessage(n)])).content as string);
    const run = await trace(async () => {
      instrumentLangChain();
      return answer(await notes("q"));
    });
    const module = (name: string) => run.spans.find((s) => s.name === name)!;
    expect(attr(module("notes"), "tracegrad.param.ids")).toEqual(["notes.system"]);
    // the answer step read only its own prompt: matching the system message against notes.system is not a read of it
    expect(attr(module("answer"), "tracegrad.param.ids")).toEqual(["answer.system"]);
    const target = (id: string) => run.graph.edges.filter((e) => e.from === `param:${id}`).map((e) => run.graph.nodes.find((n) => n.id === e.to)!.spanId);
    const answerSpans = new Set(run.spans.filter((s) => s.name === "answer" || parentOf(s, run.spans)?.name === "answer").map((s) => s.spanContext().spanId));
    expect(target("notes.system").some((id) => answerSpans.has(id!))).toBe(false);
  });
});

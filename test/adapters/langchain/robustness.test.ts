import { afterEach, describe, expect, it, vi } from "vitest";
import type { Span, Tracer } from "@opentelemetry/api";
import { RunnableLambda } from "@langchain/core/runnables";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import { TracegradTracer, tracegradCallbacks, tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { byKind, one } from "./helpers.js";

const echo = tool(async ({ text }: { text: string }) => `echo: ${text}`, { name: "echo", description: "Echoes", schema: z.object({ text: z.string() }) });

function agentRun() {
  const model = fakeModel().respondWithTools([{ name: "echo", args: { text: "hi" }, id: "call_e" }]).respond(new AIMessage("final"));
  return { model, agent: createAgent({ model, tools: [echo] }) };
}

/** A tracer whose spans throw from every method: stands in for a broken exporter or span processor. */
function throwingSpanTracer(): Tracer {
  const fail = () => {
    throw new Error("span method failed");
  };
  const span = new Proxy({}, { get: (_t, key) => (key === "spanContext" ? () => ({ traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 1 }) : fail) }) as Span;
  return { startSpan: () => span, startActiveSpan: fail } as unknown as Tracer;
}

const warn = vi.spyOn(console, "warn");
const error = vi.spyOn(console, "error");
afterEach(() => {
  // LangChain logs handler exceptions with console.warn/error: none may reach it
  const logged = [...warn.mock.calls, ...error.mock.calls];
  warn.mockClear();
  error.mockClear();
  expect(logged).toEqual([]);
});

describe("handler faults never change the agent's result", () => {
  it("circular run inputs: the chain's result is unchanged, the fault is reported, spans are still written", async () => {
    const faults: string[] = [];
    const input: Record<string, unknown> = { value: "kept" };
    input.self = input;
    const chain = RunnableLambda.from((x: typeof input) => `${x.value as string}!`).withConfig({ runName: "circular" });
    const run = await trace(() => chain.invoke(input, { callbacks: [tracegradCallbacks({ onError: (_e, where) => faults.push(where) })] }));
    expect(run.output).toBe("kept!");
    expect(faults.some((w) => w.includes('"circular"'))).toBe(true);
    expect(one(run.spans, "chain").attributes["input.value"]).toContain("[Circular]");
  });

  it("a tracer whose startSpan throws: the agent's result is unchanged and onError hears about it", async () => {
    const { agent } = agentRun();
    const baseline = await agentRun().agent.invoke({ messages: [{ role: "user", content: "say hi" }] });
    const faults: unknown[] = [];
    const broken = { startSpan: () => { throw new Error("startSpan exploded"); } } as unknown as Tracer;
    const out = await agent.invoke({ messages: [{ role: "user", content: "say hi" }] }, { callbacks: [new TracegradTracer({ tracer: broken, onError: (e) => faults.push(e) })] });
    expect(out.messages.map((m) => m.content)).toEqual(baseline.messages.map((m) => m.content));
    expect(faults.length).toBeGreaterThan(0);
    expect(String(faults[0])).toContain("startSpan exploded");
  });

  it("spans whose every method throws, and an onError hook that throws too", async () => {
    const { agent } = agentRun();
    let calls = 0;
    const hook = () => {
      calls++;
      throw new Error("the hook itself is broken");
    };
    const out = await agent.invoke({ messages: [{ role: "user", content: "say hi" }] }, { callbacks: [new TracegradTracer({ tracer: throwingSpanTracer(), onError: hook })] });
    expect(out.messages.at(-1)?.content).toBe("final");
    expect(out.messages.find((m) => m.getType() === "tool")?.content).toBe("echo: hi");
    expect(calls).toBeGreaterThan(0);
  });

  it("BaseTracer's own bookkeeping errors (an end without a start) go to onError, not to LangChain's log", async () => {
    const faults: string[] = [];
    const handler = new TracegradTracer({ onError: (_e, where) => faults.push(where) });
    await expect(handler.handleLLMEnd({ generations: [] }, "no-such-run")).resolves.toBeUndefined();
    await expect(handler.handleToolEnd("x", "no-such-run")).resolves.toBeUndefined();
    expect(faults).toEqual(["LangChain handleLLMEnd", "LangChain handleToolEnd"]);
  });

  it("a replay plan that throws: the model is called for real and the fault is reported", async () => {
    const system = param("p", "Be kind.", { role: "system prompt" });
    const model = fakeModel().respond(new AIMessage("live"));
    const agent = createAgent({ model, tools: [], middleware: [tracegradMiddleware({ systemPrompt: system })] });
    const faults: string[] = [];
    const replay = {
      lookup: () => {
        throw new Error("plan broken");
      },
    };
    const run = await trace(() => agent.invoke({ messages: [{ role: "user", content: "x" }] }, { callbacks: [tracegradCallbacks()] }), {
      replay,
      onError: (_e, where) => faults.push(where),
    });
    expect(run.output.messages.at(-1)?.content).toBe("live");
    expect(model.callCount).toBe(1);
    expect(faults).toEqual(["replay lookup of agent.model #0"]);
  });

  it("the model's own errors still reach the caller, and its span records them", async () => {
    const model = new FakeListChatModel({ responses: ["x"] });
    const failing = RunnableLambda.from(() => {
      throw new Error("agent bug");
    }).withConfig({ runName: "buggy" });
    const chain = model.pipe(failing);
    let spans: readonly unknown[] = [];
    await expect(
      trace(() => chain.invoke("hi", { callbacks: [tracegradCallbacks()] }), { onAgentError: (_e, s) => (spans = s) }),
    ).rejects.toThrow("agent bug");
    const buggy = (spans as Parameters<typeof byKind>[0]).find((s) => s.name === "buggy")!;
    expect(buggy.status?.code).toBe(2);
    expect(buggy.status?.message).toBe("agent bug");
  });
});

import { describe, expect, it } from "vitest";
import { AIMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { TraceCaptureError } from "../../src/errors.js";
import { instrumentLangChain, uninstrumentLangChain } from "../../adapters/langchain/index.js";
import { MISSING_LANGCHAIN_SPANS } from "../../src/trace/missing-langchain-spans.js";
import { trace, type RunContext } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";

describe("trace(): the run context", () => {
  it("hands the function a unique runId and counts attempts across rerun()s", async () => {
    const seen: RunContext[] = [];
    const run = await trace((ctx) => {
      seen.push(ctx);
      return "done";
    });
    const second = await run.rerun();
    const third = await second.rerun();
    const fresh = await trace((ctx) => ctx.attempt);

    expect(seen.map((c) => c.attempt)).toEqual([0, 1, 2]);
    expect(seen.map((c) => c.runId)).toEqual([run.runId, second.runId, third.runId]);
    expect(new Set([run.runId, second.runId, third.runId, fresh.runId]).size).toBe(4);
    expect(run.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect([run.attempt, second.attempt, third.attempt, fresh.attempt, fresh.output]).toEqual([0, 1, 2, 0, 0]);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });
});

describe("trace(fn, { output })", () => {
  const state = { messages: [{ role: "user", content: "2+2?" }, { role: "assistant", content: "4" }] };

  it("makes the selected text the graph's output and leaves run.output untouched", async () => {
    const run = await trace(() => state, { output: (s) => s.messages.at(-1)!.content });
    expect(run.output).toBe(state);
    expect(run.graph.output.value).toBe("4");
    const untouched = await trace(() => state);
    expect(untouched.graph.output.value).toContain("2+2?");
  });

  it("is kept by rerun() and selects from the new result", async () => {
    let n = 0;
    const run = await trace(() => ({ messages: [{ content: `answer ${n++}` }] }), { output: (s) => s.messages[0]!.content });
    const again = await run.rerun();
    expect([run.graph.output.value, again.graph.output.value]).toEqual(["answer 0", "answer 1"]);
  });

  it("reports a throwing or non-string selector to onError, naming the option, and falls back to the default", async () => {
    const faults: { error: unknown; where: string }[] = [];
    const onError = (error: unknown, where: string) => faults.push({ error, where });
    const thrown = await trace(() => state, {
      onError,
      output: () => {
        throw new Error("no messages");
      },
    });
    const wrongType = await trace(() => state, { onError, output: (s) => s.messages.at(-1) as unknown as string });

    expect(thrown.output).toBe(state);
    expect(thrown.graph.output.value).toContain("2+2?");
    expect(wrongType.graph.output.value).toContain("2+2?");
    expect(faults.map((f) => f.where)).toEqual(["output selector", "output selector"]);
    expect(faults.every((f) => TraceCaptureError.isInstance(f.error))).toBe(true);
    expect((faults[0]!.error as Error).message).toMatch(/trace\(fn, \{ output \}\).*threw \(no messages\)/);
    expect((faults[1]!.error as Error).message).toMatch(/output selector returned an object, not a string/);
  });
});

describe("trace(fn, { output }) validation", () => {
  it("rejects a selector that is not a function before the agent runs", async () => {
    let ran = false;
    const options = { output: "messages" } as unknown as { output: (r: unknown) => string };
    await expect(trace(() => (ran = true), options)).rejects.toThrow(/trace\(fn, \{ output \}\) takes a function/);
    expect(ran).toBe(false);
  });
});

describe("trace(): LangChain objects without LangChain spans", () => {
  it("warns when the agent returns a LangChain message no instrumentation recorded (a second copy of @langchain/core)", async () => {
    const warnings: string[] = [];
    const bare = await trace(() => new AIMessage("x"), { onWarning: (w) => warnings.push(w) });
    const inState = await trace(() => ({ messages: [new AIMessage("x")] }));
    // a traced module around it does not count: the LangChain calls inside are still unrecorded
    const wrapped = await trace(traceModule("agent", async () => ({ messages: [new AIMessage("x")] })));

    expect(bare.graph.warnings).toContain(MISSING_LANGCHAIN_SPANS);
    expect(warnings).toContain(MISSING_LANGCHAIN_SPANS);
    expect(inState.graph.warnings).toContain(MISSING_LANGCHAIN_SPANS);
    expect(wrapped.graph.warnings).toContain(MISSING_LANGCHAIN_SPANS);
    expect(MISSING_LANGCHAIN_SPANS).toMatch(/another|second copy of @langchain\/core/);
    expect(MISSING_LANGCHAIN_SPANS).toContain("tracegradCallbacks()");
  });

  it("does not warn when the model call was recorded, nor for plain outputs", async () => {
    const warnings: string[] = [];
    const model = new FakeListChatModel({ responses: ["pong"] });
    const run = await trace(
      async () => {
        instrumentLangChain();
        const reply = await model.invoke("ping");
        uninstrumentLangChain();
        return reply;
      },
      { onWarning: (w) => warnings.push(w) },
    );
    const plain = await trace(() => ({ messages: [{ content: "x" }] }));

    expect(run.output.content).toBe("pong");
    expect(run.graph.nodes.some((n) => n.kind === "llm")).toBe(true);
    expect(run.graph.warnings).not.toContain(MISSING_LANGCHAIN_SPANS);
    expect(warnings).not.toContain(MISSING_LANGCHAIN_SPANS);
    expect(plain.graph.warnings).not.toContain(MISSING_LANGCHAIN_SPANS);
  });
});

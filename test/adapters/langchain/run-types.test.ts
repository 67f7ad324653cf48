import { describe, expect, it } from "vitest";
import { Document } from "@langchain/core/documents";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { PromptTemplate } from "@langchain/core/prompts";
import { RunnableLambda } from "@langchain/core/runnables";
import { FakeLLM, FakeListChatModel, FakeRetriever } from "@langchain/core/utils/testing";
import { trace } from "../../../src/trace/run-trace.js";
import { tracegradCallbacks } from "../../../adapters/langchain/index.js";
import { attr, byKind, one } from "./helpers.js";

describe("run types", () => {
  it("retriever: the query in, the documents' text out", async () => {
    const retriever = new FakeRetriever({ output: [new Document({ pageContent: "Otters hold hands." }), new Document({ pageContent: "They sleep afloat." })] });
    const run = await trace(() => retriever.invoke("otters", { callbacks: [tracegradCallbacks()] }));
    const span = one(run.spans, "retriever");
    expect(attr(span, "openinference.span.kind")).toBe("RETRIEVER");
    expect(attr(span, "gen_ai.operation.name")).toBe("retrieval");
    expect(attr(span, "input.value")).toBe("otters");
    expect(attr(span, "output.value")).toBe("Otters hold hands.\n\nThey sleep afloat.");
  });

  it("string prompt → text LLM → parser: a completion span, the string template, a parser chain span", async () => {
    const chain = PromptTemplate.fromTemplate("Tell me about {topic}.").pipe(new FakeLLM({})).pipe(new StringOutputParser());
    const run = await trace(() => chain.invoke({ topic: "otters" }, { callbacks: [tracegradCallbacks()] }));
    expect(run.output).toBe("Tell me about otters.");
    expect(attr(one(run.spans, "prompt"), "llm.prompt_template.template")).toBe("Tell me about {topic}.");
    const llm = one(run.spans, "llm");
    expect(llm.name).toBe("text_completion FakeLLM");
    expect(attr(llm, "gen_ai.operation.name")).toBe("text_completion");
    expect(attr(llm, "input.value")).toBe("Tell me about otters.");
    expect(attr(llm, "output.value")).toBe("Tell me about otters.");
    const parser = byKind(run.spans, "chain").find((s) => s.name === "StrOutputParser")!;
    expect(attr(parser, "output.value")).toBe("Tell me about otters.");
  });

  it("call indexes count runs of the same name within one trace", async () => {
    const model = new FakeListChatModel({ responses: ["a", "b", "c"] });
    const step = RunnableLambda.from(async (x: string) => (await model.invoke(x)).content as string).withConfig({ runName: "step" });
    const chain = step.pipe(step).pipe(step);
    const run = await trace(() => chain.invoke("go", { callbacks: [tracegradCallbacks()] }));
    const steps = byKind(run.spans, "chain").filter((s) => s.name === "step");
    expect(steps.map((s) => attr(s, "tracegrad.call.index")).sort()).toEqual([0, 1, 2]);
    expect(byKind(run.spans, "llm").map((s) => attr(s, "tracegrad.call.index")).sort()).toEqual([0, 1, 2]);
  });
});

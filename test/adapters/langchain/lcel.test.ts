import { describe, expect, it } from "vitest";
import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { trace } from "../../../src/trace/run-trace.js";
import { param } from "../../../src/trace/param.js";
import { readCalls } from "../../../src/trace/read-calls.js";
import { optimizablePrompt, tracegradCallbacks } from "../../../adapters/langchain/index.js";
import { attr, byKind, json, one, parentOf } from "./helpers.js";

describe("LCEL prompt.pipe(model)", () => {
  it("records the prompt run with every message template and the LLM run with its messages", async () => {
    const prompt = ChatPromptTemplate.fromMessages([["system", "You are {persona}."], ["human", "{question}"]]);
    const chain = prompt.pipe(new FakeListChatModel({ responses: ["Blue light scatters more."] })).withConfig({ runName: "answerer" });
    const run = await trace(() => chain.invoke({ persona: "a physicist", question: "Why is the sky blue?" }, { callbacks: [tracegradCallbacks()] }));

    expect(run.output.content).toBe("Blue light scatters more.");
    const promptSpan = one(run.spans, "prompt");
    expect(attr(promptSpan, "llm.prompt_template.template")).toBe("system: You are {persona}.\n\nuser: {question}");
    expect(json(promptSpan, "llm.prompt_template.variables")).toEqual({ persona: "a physicist", question: "Why is the sky blue?" });
    expect(attr(promptSpan, "output.value")).toBe("You are a physicist.\nWhy is the sky blue?");

    const llm = one(run.spans, "llm");
    expect(llm.name).toBe("chat FakeListChatModel");
    expect(attr(llm, "gen_ai.operation.name")).toBe("chat");
    expect(json(llm, "gen_ai.input.messages")).toEqual([
      { role: "system", parts: [{ type: "text", content: "You are a physicist." }] },
      { role: "user", parts: [{ type: "text", content: "Why is the sky blue?" }] },
    ]);
    const [out] = json(llm, "gen_ai.output.messages");
    expect(out).toMatchObject({ role: "assistant", parts: [{ type: "text", content: "Blue light scatters more." }], id: run.output.id });
    expect(json(llm, "gen_ai.system_instructions")).toEqual([{ type: "text", content: "You are a physicist." }]);
    expect(attr(llm, "tracegrad.llm.system")).toBe("You are a physicist.");
    expect(attr(llm, "output.value")).toBe("Blue light scatters more.");

    // tree: tracegrad.run → answerer → { prompt, llm }
    const chainSpan = one(run.spans, "chain");
    expect(chainSpan.name).toBe("answerer");
    expect(parentOf(promptSpan, run.spans)).toBe(chainSpan);
    expect(parentOf(llm, run.spans)).toBe(chainSpan);
    expect(parentOf(chainSpan, run.spans)?.name).toBe("tracegrad.run");
    expect(new Set(run.spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("keeps every template of a larger chat prompt, placeholders included", async () => {
    const prompt = ChatPromptTemplate.fromMessages([
      ["system", "Rules: {rules}"],
      new MessagesPlaceholder("history"),
      ["ai", "Noted."],
      ["human", "{q}"],
    ]);
    const chain = prompt.pipe(new FakeListChatModel({ responses: ["ok"] }));
    const run = await trace(() =>
      chain.invoke({ rules: "be brief", history: [new HumanMessage("hi"), new AIMessage("hello")], q: "go" }, { callbacks: [tracegradCallbacks()] }),
    );
    expect(attr(one(run.spans, "prompt"), "llm.prompt_template.template")).toBe("system: Rules: {rules}\n\nplaceholder: {history}\n\nassistant: Noted.\n\nuser: {q}");
  });

  it("reads back as calls: the LLM call has its system prompt, messages and reply", async () => {
    const prompt = ChatPromptTemplate.fromMessages([["system", "Be terse."], ["human", "{q}"]]);
    const chain = prompt.pipe(new FakeListChatModel({ responses: ["42"] }));
    const run = await trace(() => chain.invoke({ q: "answer?" }, { callbacks: [tracegradCallbacks()] }));
    const { calls } = readCalls(run.spans);
    const llm = calls.find((c) => c.kind === "llm")!;
    expect(llm.dialect).toBe("tracegrad");
    expect(llm.system).toBe("Be terse.");
    expect(llm.input).toBe("answer?");
    expect(llm.output).toBe("42");
    expect(llm.messages?.map((m) => m.role)).toEqual(["system", "user"]);
    expect(calls.find((c) => c.kind === "prompt")).toBeDefined();
  });

  it("records nothing outside trace()", async () => {
    const handler = tracegradCallbacks();
    const chain = ChatPromptTemplate.fromMessages([["human", "{q}"]]).pipe(new FakeListChatModel({ responses: ["a"] }));
    const out = await chain.invoke({ q: "x" }, { callbacks: [handler] });
    expect(out.content).toBe("a");
    // and a later traced call with the same handler is recorded normally
    const run = await trace(() => chain.invoke({ q: "y" }, { callbacks: [handler] }));
    expect(byKind(run.spans, "llm")).toHaveLength(1);
  });
});

describe("optimizablePrompt", () => {
  it("reads the system message from the parameter at each invoke and records the parameter", async () => {
    const system = param("answerer.system", "Answer in one word.", { role: "system prompt of the answerer" });
    const model = fakeModel().respond(new AIMessage("Rayleigh")).respond(new AIMessage("Rayleigh scattering, mostly."));
    const chain = optimizablePrompt(system, "{question}").pipe(model);

    const first = await trace(() => chain.invoke({ question: "Why is the sky blue?" }, { callbacks: [tracegradCallbacks()] }));
    system.setValue("Answer in a full sentence. Braces {like} these stay literal.");
    const second = await trace(() => chain.invoke({ question: "Why is the sky blue?" }, { callbacks: [tracegradCallbacks()] }));

    expect(model.calls[0]!.messages[0]!.content).toBe("Answer in one word.");
    expect(model.calls[1]!.messages[0]!.content).toBe("Answer in a full sentence. Braces {like} these stay literal.");

    const promptSpan = one(second.spans, "prompt");
    expect(attr(promptSpan, "tracegrad.param.ids")).toEqual(["answerer.system"]);
    expect(attr(promptSpan, "tracegrad.param.answerer.system.value")).toBe("Answer in a full sentence. Braces {like} these stay literal.");
    expect(attr(promptSpan, "tracegrad.param.answerer.system.role")).toBe("system prompt of the answerer");
    expect(attr(promptSpan, "tracegrad.param.answerer.system.version")).not.toBe(attr(one(first.spans, "prompt"), "tracegrad.param.answerer.system.version"));
    expect(attr(promptSpan, "llm.prompt_template.template")).toBe("system: Answer in a full sentence. Braces {like} these stay literal.\n\nuser: {question}");
    expect(second.params.get("answerer.system")).toBe(system);
    // the graph hands back the user's own Variable, feeding the LLM call it shaped
    expect(second.graph.parameters).toContain(system);
    const llmNode = second.graph.nodes.find((n) => n.kind === "llm")!;
    expect(second.graph.edges).toContainEqual(expect.objectContaining({ from: "param:answerer.system", to: llmNode.id }));
  });

  it("can interpolate the system prompt when asked", async () => {
    const system = param("greeter.system", "You greet {name}.", { role: "system prompt of the greeter" });
    const model = fakeModel().respond(new AIMessage("Hi Ada"));
    const chain = optimizablePrompt(system, "{text}", { interpolateSystem: true, name: "greeter_prompt" }).pipe(model);
    const run = await trace(() => chain.invoke({ name: "Ada", text: "hello" }, { callbacks: [tracegradCallbacks()] }));
    expect(model.calls[0]!.messages[0]!.content).toBe("You greet Ada.");
    expect(one(run.spans, "prompt").name).toBe("greeter_prompt");
  });
});

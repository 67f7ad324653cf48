import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent, tool } from "langchain";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { param, trace } from "../../../src/index.js";
import { toolSpecsOf } from "../../../src/optim/tool-specs.js";
import { tracegradCallbacks, tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { toolDefinitionsJson } from "../../../adapters/langchain/tool-definitions.js";

const book = tool(async ({ time }: { time: string }) => `booked ${time}`, { name: "book", description: "Book", schema: z.object({ time: z.string() }) });

describe("tool definitions of createAgent model calls", () => {
  it("converts zod-schema tools and OpenAI-format dicts; skips what has no name", () => {
    const json = toolDefinitionsJson([book, { type: "function", function: { name: "raw", parameters: { type: "object" } } }, { nameless: true }]);
    const defs = JSON.parse(json!) as Array<{ name: string; parameters: { properties?: unknown; required?: unknown } }>;
    expect(defs.map((d) => d.name)).toEqual(["book", "raw"]);
    expect(defs[0]!.parameters).toMatchObject({ type: "object", properties: { time: { type: "string" } }, required: ["time"] });
    expect(toolDefinitionsJson([])).toBeUndefined();
    expect(toolDefinitionsJson(undefined)).toBeUndefined();
  });

  it("are recorded on the middleware's model spans, where refine reads them", async () => {
    const model = fakeModel().respond(new AIMessage("hi"));
    const systemPrompt = param("td.system", "Be brief.", { role: "system prompt" });
    const agent = createAgent({ model, tools: [book], middleware: [tracegradMiddleware({ systemPrompt })] });
    const run = await trace(() => agent.invoke({ messages: [{ role: "user", content: "hello" }] }, { callbacks: [tracegradCallbacks()] }));
    const llm = run.graph.calls.find((c) => c.kind === "llm")!;
    expect(toolSpecsOf(llm)).toEqual([{ name: "book", parameters: expect.objectContaining({ required: ["time"] }) }]);
  });
});

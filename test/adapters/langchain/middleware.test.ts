import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeModel } from "@langchain/core/testing";
import { AIMessage } from "@langchain/core/messages";
import { createAgent } from "langchain";
import { InvalidArgumentError } from "../../../src/errors.js";
import { param } from "../../../src/trace/param.js";
import { trace } from "../../../src/trace/run-trace.js";
import { tracegradMiddleware } from "../../../adapters/langchain/index.js";
import { ask } from "./helpers.js";

const adaptersDir = new URL("../../../adapters/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("tracegradMiddleware", () => {
  it("is a middleware object createAgent accepts, built without langchain's createMiddleware", async () => {
    const prompt = param("agent.system", "Answer in one word.", { role: "system prompt of the agent" });
    const middleware = tracegradMiddleware({ systemPrompt: prompt, name: "helper" });
    expect((middleware as unknown as Record<symbol, unknown>)[Symbol.for("AgentMiddleware")]).toBe(true);
    expect(middleware.name).toBe("tracegrad:helper");
    const model = fakeModel().respond(new AIMessage("Sunny."));
    const agent = createAgent({ model, tools: [], middleware: [middleware] });
    const run = await trace(() => agent.invoke(ask));
    expect(run.output.messages.at(-1)?.content).toBe("Sunny.");
    expect(run.params.get("agent.system")).toBe(prompt);
    expect(model.calls[0]!.messages[0]!.text).toBe("Answer in one word.");
  });

  it("rejects a systemPrompt that is not a Variable at the call, naming the fix", () => {
    const call = () => tracegradMiddleware({ systemPrompt: "Answer in one word." as never });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow("param(name, text, { role })");
    expect(() => tracegradMiddleware(undefined as never)).toThrow(InvalidArgumentError);
  });

  it("rejects a blank name", () => {
    const prompt = param("agent.system", "x", { role: "system prompt of the agent" });
    expect(() => tracegradMiddleware({ systemPrompt: prompt, name: " " })).toThrow(InvalidArgumentError);
  });
});

describe("adapters/ without the langchain package", () => {
  it("imports nothing from \"langchain\" at run time (type imports only), so LCEL-only apps can load it", () => {
    const files = sourceFiles(adaptersDir);
    expect(files.length).toBeGreaterThan(5);
    const runtime = /^\s*import\s+(?!type\b)[^;]*?\bfrom\s+["']langchain(\/[^"']*)?["']|^\s*export\s+(?!type\b)[^;]*?\bfrom\s+["']langchain(\/[^"']*)?["']|\bimport\(\s*["']langchain(\/[^"']*)?["']\s*\)/m;
    const offenders = files.filter((f) => runtime.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

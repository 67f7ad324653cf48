import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildGraph, extractTagged, TextLoss, TGD, type EngineRequest } from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** Judge, backward engine and optimizer in one script. */
function reply(req: EngineRequest): string {
  if (/IMPROVED_VARIABLE/.test(req.system ?? "")) return `<IMPROVED_VARIABLE>${extractTagged(req.prompt, "VARIABLE")} Show the multiplication.</IMPROVED_VARIABLE>`;
  if (extractTagged(req.prompt, "ROLE") !== undefined) return "Show the multiplication step before the result.";
  return "The answer is right but does not show how it was computed.";
}

describe("a run traced by a third-party instrumentation can be optimized", () => {
  it("OpenInference spans of a LangChain tool-calling chain: graph, backward to its prompt template, and a TGD step", async () => {
    const graph = buildGraph(fixture("openinference.otlp.json"));
    const kinds = graph.edges.map((e) => e.kind);
    expect(kinds).toContain("tool_call");
    const template = graph.parameters[0];
    expect(template, "the prompt template becomes a trainable parameter").toBeDefined();

    const engine = new FakeEngine(reply);
    const loss = await new TextLoss("Evaluate the final answer.", { engine }).forward(graph.output);
    const report = await loss.backward({ engine });
    expect(report.calls).toBeGreaterThan(0);
    const llms = graph.nodes.filter((n) => n.kind === "llm").map((n) => graph.variables.get(n.id)!);
    expect(llms.every((v) => v.gradients.length > 0)).toBe(true);
    expect(template!.gradients.length).toBeGreaterThan(0);

    const before = template!.value;
    await new TGD({ parameters: [template!], engine }).step();
    expect(template!.value).toBe(`${before} Show the multiplication.`);
  });

  it.each(["genai-current", "genai-legacy", "vercel-ai", "langsmith-otel"])("%s spans rebuild into a graph whose output can take a loss", async (name) => {
    const graph = buildGraph(fixture(`${name}.otlp.json`));
    expect(graph.nodes.some((n) => n.kind === "llm")).toBe(true);
    expect(graph.output.value).not.toBe("");
    const engine = new FakeEngine(reply);
    const loss = await new TextLoss("Evaluate the final answer.", { engine }).forward(graph.output);
    await loss.backward({ engine });
    const reached = graph.nodes.filter((n) => n.kind === "llm" && graph.variables.get(n.id)!.gradients.length > 0);
    expect(reached.length).toBeGreaterThan(0);
  });
});

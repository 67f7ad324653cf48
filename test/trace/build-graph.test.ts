import { describe, expect, it } from "vitest";
import {
  buildGraph,
  extractTagged,
  LLMCall,
  param,
  TextLoss,
  toOtlpJson,
  trace,
  tracedEngine,
  traceModule,
  Variable,
  type EngineRequest,
  type GraphEdge,
  type ModuleCall,
  type TraceGraph,
} from "../../src/index.js";
import { FakeEngine } from "../../src/testing/index.js";
import { TraceFormatError } from "../../src/errors.js";

/** A deterministic model: forward calls echo a transformation, backward calls name the role they were asked about. */
function scriptedReply(req: EngineRequest): string {
  const role = extractTagged(req.prompt, "ROLE");
  if (role !== undefined) return `Feedback for ${role}: be more specific.`;
  if (/Evaluate/.test(req.system ?? "")) return "The answer lacks a unit.";
  return `[${req.system}] answer to ${req.prompt}`;
}

/** Variables reachable from `root` as a canonical tree, collapsing pass-through nodes (they add no computation). */
function canonical(root: Variable): unknown {
  const walk = (v: Variable): unknown => {
    const trainable = v.predecessors.filter((p) => p.requiresGrad);
    if (v.backwardRule?.name === "passThrough.backward" && trainable.length === 1) return walk(trainable[0]!);
    return { role: v.role, value: v.value, rule: v.backwardRule?.name ?? null, inputs: trainable.map(walk) };
  };
  return walk(root);
}

describe("buildGraph: oracle against a hand-built pipeline", () => {
  it("a two-call pipeline captured from spans equals the same pipeline built with Variables, and backward sends identical prompts", async () => {
    const S1 = "You draft answers.";
    const S2 = "You polish drafts.";
    const Q = "How tall is the Eiffel tower?";

    // captured: ordinary code, traced
    const p1 = param("drafter.system", S1, { role: "system prompt of the drafter" });
    const p2 = param("polisher.system", S2, { role: "system prompt of the polisher" });
    const traced = tracedEngine(new FakeEngine(scriptedReply, { model: "fake" }), { name: "chat fake" });
    const pipeline = traceModule(
      "pipeline",
      async (q: string) => {
        const draft = (await traced.generate({ system: p1.value, prompt: q })).text;
        return (await traced.generate({ system: p2.value, prompt: draft })).text;
      },
      { params: [p1, p2], role: "final answer" },
    );
    const run = await trace(() => pipeline(Q));
    const graph = run.graph;
    const draftNode = graph.nodes.find((n) => n.kind === "llm" && n.value.startsWith(`[${S1}]`))!;
    const draftRole = graph.variables.get(draftNode.id)!.role;

    // hand-built: the same computation with TextGrad's primitives
    const handEngine = new FakeEngine(scriptedReply, { model: "fake" });
    const sys1 = new Variable(S1, { role: "system prompt of the drafter", requiresGrad: true });
    const sys2 = new Variable(S2, { role: "system prompt of the polisher", requiresGrad: true });
    const question = new Variable(Q, { role: "input to the agent", requiresGrad: false });
    const draft = await new LLMCall({ engine: handEngine, systemPrompt: sys1 }).forward(question, { role: draftRole });
    const answer = await new LLMCall({ engine: handEngine, systemPrompt: sys2 }).forward(draft, { role: "final answer" });

    expect(canonical(graph.output)).toEqual(canonical(answer));
    expect(graph.parameters).toEqual([p1, p2]);

    const instruction = "Evaluate the answer for precision.";
    const graphBackward = new FakeEngine(scriptedReply);
    const handBackward = new FakeEngine(scriptedReply);
    await (await new TextLoss(instruction, { engine: graphBackward }).forward(graph.output)).backward({ engine: graphBackward });
    await (await new TextLoss(instruction, { engine: handBackward }).forward(answer)).backward({ engine: handBackward });

    const prompts = (e: FakeEngine) => e.calls.map((c) => [c.system, c.prompt]);
    expect(graphBackward.calls.length).toBe(5); // loss forward + loss→answer + answer→{system, draft} + draft→system
    expect(prompts(graphBackward)).toEqual(prompts(handBackward));
    expect(p1.gradientText()).toBe(sys1.gradientText());
    expect(p2.gradients.length).toBe(1);
  });
});

let clock = 0;
function call(partial: Partial<ModuleCall> & { spanId: string }): ModuleCall {
  clock += 10;
  return {
    traceId: "t1",
    name: partial.spanId,
    kind: "llm",
    dialect: "genai",
    startTime: clock,
    endTime: clock + 5,
    input: "",
    output: "",
    params: [],
    inputRefs: [],
    attributes: {},
    ...partial,
  };
}

const edgeOf = (g: TraceGraph, from: string, to: string): GraphEdge | undefined => g.edges.find((e) => e.from === from && e.to === to);
const long = (s: string) => `${s} — ${"a sentence long enough to be matched as a substring of a later input. ".repeat(2)}`;

describe("buildGraph: edge evidence, most certain first", () => {
  it("links a model, the tool it asked for and the model that read the result by tool_call id", () => {
    const g = buildGraph([
      call({ spanId: "ask", input: "weather in Paris?", output: "", outputMessages: [{ role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "weather", arguments: "{}" }] }] }),
      call({ spanId: "tool", kind: "tool", toolCallId: "call_1", input: "{}", output: "sunny" }),
      call({ spanId: "answer", input: "…", messages: [{ role: "tool", content: "sunny", toolCallId: "call_1" }], output: "It is sunny." }),
    ]);
    expect(edgeOf(g, "ask", "tool")).toMatchObject({ kind: "tool_call", confidence: 1 });
    expect(edgeOf(g, "tool", "answer")).toMatchObject({ kind: "tool_call", confidence: 1 });
  });

  it("links a model's output message to a later model that received it by message id", () => {
    const g = buildGraph([
      call({ spanId: "a", input: "q", output: "first thoughts", outputMessages: [{ role: "assistant", content: "first thoughts", id: "msg-7" }] }),
      call({ spanId: "b", input: "unrelated text", messages: [{ role: "assistant", content: "(elided)", id: "msg-7" }], output: "done" }),
    ]);
    expect(edgeOf(g, "a", "b")).toMatchObject({ kind: "message_id", confidence: 0.95 });
  });

  it("matches content exactly (short texts) or as a ≥32-character substring, only forwards in time", () => {
    const producer = long("Knowledge");
    const early = call({ spanId: "short", output: "Paris" });
    const p = call({ spanId: "p", output: producer });
    const exact = call({ spanId: "exact", input: "Paris", output: "x1" });
    const sub = call({ spanId: "sub", input: `Context: ${producer} Question: why?`, output: "x2" });
    const late = call({ spanId: "late", output: long("Later") });
    const tooEarly = { ...call({ spanId: "early", input: `${long("Later")}`, output: "x3" }), startTime: late.startTime + 1, endTime: late.startTime + 2 };
    const shortInside = call({ spanId: "inside", input: "The capital is Paris, of course.", output: "x4" });
    const g = buildGraph([early, p, exact, sub, late, tooEarly, shortInside]);
    expect(edgeOf(g, "short", "exact")).toMatchObject({ kind: "content", confidence: 0.9 });
    expect(edgeOf(g, "p", "sub")).toMatchObject({ kind: "content", confidence: 0.7 });
    expect(edgeOf(g, "late", "early")).toBeUndefined(); // the producer had not ended when the consumer started
    expect(edgeOf(g, "short", "inside")?.kind).not.toBe("content"); // 5 characters inside a sentence is not evidence
  });

  it("falls back to call-tree order only for calls nothing else connects", () => {
    const g = buildGraph([
      call({ spanId: "one", input: "alpha", output: "beta" }),
      call({ spanId: "two", input: "gamma", output: "delta" }),
      call({ spanId: "three", input: "delta", output: "epsilon" }),
    ]);
    expect(edgeOf(g, "one", "two")).toMatchObject({ kind: "tree", confidence: 0.3 });
    expect(edgeOf(g, "two", "three")?.kind).toBe("content");
    expect(edgeOf(g, "one", "three")).toBeUndefined();
  });

  it("links calls by call-tree order only within one trace, to the nearest sibling that had finished", () => {
    // two traces overlapping in time (neither inside the other, so they stay apart), as top-level calls of agents
    // traced without a root span
    const at = (spanId: string, traceId: string, start: number, end: number) => ({ ...call({ spanId, traceId, input: `in ${spanId}`, output: `out ${spanId}` }), startTime: start, endTime: end });
    const g = buildGraph([
      at("a1", "t1", 0, 10),
      at("b1", "t2", 11, 20),
      at("long", "t1", 12, 29), // still running when a2 starts
      at("a2", "t1", 21, 30),
      at("b2", "t2", 25, 50),
    ]);
    expect(g.warnings.join("\n")).not.toMatch(/joined into one trace/);
    expect(edgeOf(g, "a1", "a2")).toMatchObject({ kind: "tree", confidence: 0.3 });
    // no call-tree edge crosses traces, whatever ran in between, and none comes from a call still running
    const treeEdges = g.edges.filter((e) => e.kind === "tree" && e.confidence === 0.3 && e.from !== "input").map((e) => `${e.from}->${e.to}`);
    expect(treeEdges.sort()).toEqual(["a1->a2", "a1->long", "b1->b2"]);
  });

  it("prefers explicit value references, and keeps one path per value into nested calls", () => {
    const writer = call({ spanId: "writer", kind: "module", output: long("Notes"), valueId: "v-writer" });
    const reader = call({ spanId: "reader", kind: "module", input: long("Notes"), inputRefs: ["v-writer"], output: "summary", endTime: clock + 100 });
    const inner = { ...call({ spanId: "inner", parentSpanId: "reader", input: long("Notes"), output: "summary" }) };
    const g = buildGraph([writer, reader, inner]);
    // reader only returns what inner wrote, so the certain edge moves onto inner (the call that read the notes) and
    // no second, weaker path is added: feedback reaches the writer once
    expect(edgeOf(g, "writer", "inner")).toMatchObject({ kind: "explicit", confidence: 1 });
    expect(edgeOf(g, "writer", "reader")).toBeUndefined();
    expect(g.edges.filter((e) => e.from === "writer").length).toBe(1);
    expect(g.variables.get("reader")!.backwardRule?.name).toBe("passThrough.backward");
  });

  it("tolerates children listed before parents, missing parents and spans of other traces, and says so", () => {
    const parent = call({ spanId: "parent", kind: "module", input: "q", output: "final answer text" });
    const child = { ...call({ spanId: "child", parentSpanId: "parent", input: "q", output: "final answer text" }) };
    const orphan = call({ spanId: "orphan", parentSpanId: "gone", input: "zzz", output: long("Other") });
    const foreign = call({ spanId: "foreign", traceId: "t2", input: long("Other"), output: "y" });
    const g = buildGraph([child, foreign, orphan, parent]);
    expect(edgeOf(g, "child", "parent")).toMatchObject({ kind: "content" });
    expect(edgeOf(g, "orphan", "foreign")).toBeUndefined();
    expect(g.warnings.join("\n")).toMatch(/"orphan" \(orphan\) has parent gone, which is not in the trace/);
  });

  it("drops an edge that closes a cycle, names it, and still builds", () => {
    const a = call({ spanId: "a", kind: "module", output: "A", valueId: "va", inputRefs: ["vb"] });
    const b = call({ spanId: "b", kind: "module", output: "B", valueId: "vb", inputRefs: ["va"] });
    const g = buildGraph([a, b]);
    expect(g.warnings.some((w) => /closes a cycle/.test(w))).toBe(true);
    expect(g.variables.size).toBe(4); // a, b, input, output
  });

  it("builds a 10,000-call chain without overflowing the stack", () => {
    const calls: ModuleCall[] = [];
    for (let i = 0; i < 10_000; i++) calls.push(call({ spanId: `s${i}`, kind: "module", output: `v${i}`, valueId: `v${i}`, inputRefs: i > 0 ? [`v${i - 1}`] : [] }));
    const g = buildGraph(calls);
    expect(g.edges.filter((e) => e.kind === "explicit").length).toBe(9_999);
    let depth = 0;
    for (let v: Variable | undefined = g.output; v; v = v.predecessors.find((p) => p.requiresGrad)) depth++;
    expect(depth).toBe(10_001);
  });

  it("cuts edges on request (dropEdge), so feedback cannot cross them", () => {
    const calls = [call({ spanId: "a", output: "alpha" }), call({ spanId: "b", input: "alpha", output: "beta" })];
    const g = buildGraph(calls, { dropEdge: (e) => e.from === "a" });
    expect(edgeOf(g, "a", "b")).toBeUndefined();
    expect(g.variables.get("b")!.predecessors.map((p) => p.id)).not.toContain("a");
  });

  it("rejects input it cannot read with a typed error", () => {
    expect(() => buildGraph("not json")).toThrow(TraceFormatError);
    expect(() => buildGraph("not json")).toThrow(/line 1 is not JSON/);
  });
});

describe("buildGraph: OTLP round trip", () => {
  it("an annotated OTLP export rebuilds the same edges (written back as span links)", async () => {
    const notes = traceModule("notes", async (q: string) => `Background for ${q}: ${"water boils at 100 degrees Celsius at sea level. ".repeat(2)}`);
    const answer = traceModule("answer", async (q: string, n: string) => `Using ${n.slice(0, 40)}… the answer to ${q} is 100.`);
    const run = await trace(async () => answer("boiling point?", await notes("boiling point?")));
    const json = JSON.stringify(toOtlpJson(run.spans, { graph: run.graph }));
    const again = buildGraph(json);
    const key = (e: GraphEdge) => `${e.from}->${e.to}:${e.kind}`;
    expect(again.edges.map(key).sort()).toEqual(run.graph.edges.map(key).sort());
    expect(again.output.value).toBe(run.output);
  });
});

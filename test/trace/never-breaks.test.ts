// Tracing never breaks the agent: whatever goes wrong on our side is reported to onError, and the agent's result is
// exactly what an untraced run returns. (The user-provider case passes a tracer from a provider with failing processors.)
import { describe, expect, it } from "vitest";
import type { Context, Tracer } from "@opentelemetry/api";
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { TG } from "../../src/trace/attributes.js";
import { tracegradSpanProcessor } from "../../src/trace/capture.js";
import { trace } from "../../src/trace/run-trace.js";
import { hashText, MAX_ATTRIBUTE_CHARS } from "../../src/trace/safe-text.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { TraceCaptureError } from "../../src/errors.js";

function collector() {
  const errors: { error: unknown; where: string }[] = [];
  return { errors, onError: (error: unknown, where: string) => errors.push({ error, where }) };
}

/** Runs `agent` untraced and traced; the results must be deep-equal, and the traced run's faults are returned. */
async function compare<T>(agent: () => Promise<T> | T, options: { tracer?: Tracer } = {}) {
  const untraced = await agent();
  const { errors, onError } = collector();
  const run = await trace(agent, { ...options, onError });
  expect(run.output).toEqual(untraced);
  return { run, errors };
}

describe("tracing never breaks the agent", () => {
  it("survives a value whose serialization throws", async () => {
    let calls = 0;
    const hostile = { toJSON() {
      throw new Error("no JSON for you");
    }, label: "hostile" };
    const mod = traceModule("mod", (x: typeof hostile) => {
      calls++;
      return { label: x.label, get boom(): string {
        throw new Error("getter exploded");
      } };
    });
    const { run, errors } = await compare(() => mod(hostile).label);
    expect(calls).toBe(2); // once untraced, once traced: never twice per call
    expect(errors.map((e) => e.where)).toEqual(expect.arrayContaining(['module "mod" input', 'module "mod" output']));
    expect(errors.every((e) => e.error instanceof TraceCaptureError)).toBe(true);
    expect(run.spans.find((s) => s.name === "mod")!.attributes["input.value"]).toBe("[object Object]");
  });

  it("survives a Proxy that throws on every operation", async () => {
    let calls = 0;
    const trap = () => {
      throw new Error("trap");
    };
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap });
    const mod = traceModule("proxied", (_p: object) => ++calls);
    const untraced = mod(proxy);
    const { errors, onError } = collector();
    const run = await trace(() => mod(proxy), { onError });
    expect(untraced).toBe(1);
    expect(run.output).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
  });

  it("records circular values with a marker and reports them", async () => {
    type Node = { name: string; self?: Node; kids: Node[] };
    const build = (): Node => {
      const n: Node = { name: "root", kids: [] };
      n.self = n;
      n.kids.push({ name: "kid", kids: [n] });
      return n;
    };
    const mod = traceModule("circular", (n: Node) => {
      const out = build();
      out.name = `${n.name}-out`;
      return out;
    });
    const { run, errors } = await compare(() => mod(build()).name);
    const span = run.spans.find((s) => s.name === "circular")!;
    expect(span.attributes["input.value"]).toBe('{"name":"root","kids":[{"name":"kid","kids":["[Circular]"]}],"self":"[Circular]"}');
    expect(errors.some((e) => e.error instanceof TraceCaptureError && /circular/.test((e.error as Error).message))).toBe(true);
  });

  it("bounds a 5 MB value on the span but hashes all of it", async () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const mod = traceModule("big", (s: string) => `${s}y`);
    const { run, errors } = await compare(() => mod(big).length);
    const span = run.spans.find((s) => s.name === "big")!;
    const input = String(span.attributes["input.value"]);
    expect(input.length).toBeLessThan(MAX_ATTRIBUTE_CHARS + 100);
    expect(input).toMatch(/truncated 4242880 of 5242880 chars\]$/);
    expect(span.attributes[TG.inputHashes]).toEqual([hashText(big)]);
    expect(span.attributes[TG.valueHash]).toBe(hashText(`${big}y`));
    expect(errors.filter((e) => /attribute cap/.test((e.error as Error).message)).map((e) => e.where)).toEqual(['module "big" input', 'module "big" output']);
  });

  it("keeps going when the onError hook and the replay plan throw", async () => {
    const mod = traceModule("mod2", (x: number) => x * 2);
    const run = await trace(() => mod(21), {
      onError: () => {
        throw new Error("hook failed");
      },
      replay: {
        lookup: () => {
          throw new Error("plan failed");
        },
      },
    });
    expect(run.output).toBe(42);
  });

  it("survives throwing processors and exporters in the user's provider (its tracer passed to trace())", async () => {
    const failingExporter: SpanExporter = {
      export: () => {
        throw new Error("exporter down");
      },
      shutdown: () => Promise.resolve(),
    };
    const flaky: SpanProcessor = {
      onStart: (span: Span, _ctx: Context) => {
        if (span.name === "flaky-start") throw new Error("onStart failed");
      },
      onEnd: (_span: ReadableSpan) => {
        throw new Error("onEnd failed");
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const provider = new TracerProvider({ spanProcessors: [tracegradSpanProcessor(), new SimpleSpanProcessor({ exporter: failingExporter }), flaky] });

    const inner = traceModule("inner", async (q: string) => ({ q, answer: q.toUpperCase() }));
    const flakyStart = traceModule("flaky-start", (o: { answer: string }) => `${o.answer}!`);
    const agent = async () => flakyStart(await inner("hello"));
    const { run, errors } = await compare(agent, { tracer: provider.getTracer("my-app") });
    expect(run.output).toBe("HELLO!");
    expect(errors.some((e) => e.where.includes("span end"))).toBe(true);
    expect(errors.some((e) => e.where === 'module "flaky-start" span start')).toBe(true);
    // spans our processor saw before the failing ones are still captured
    expect(run.spans.map((s) => s.name)).toContain("inner");
  });
});

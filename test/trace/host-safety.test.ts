// Nothing tracegrad does to inspect a value may throw into the host: hostile return values (Proxies with throwing
// traps, revoked Proxies, native Promises with a poisoned `then`) pass through exactly as they do untraced.
import { describe, expect, it } from "vitest";
import type { Engine, EngineResponse } from "../../src/engine/types.js";
import { trace } from "../../src/trace/run-trace.js";
import { traceModule } from "../../src/trace/trace-module.js";
import { tracedEngine } from "../../src/trace/traced-engine.js";

function collector() {
  const errors: { error: unknown; where: string }[] = [];
  return { errors, onError: (error: unknown, where: string) => errors.push({ error, where }) };
}

/** A native Promise whose own `then` throws (awaiting it still works: `await` uses the intrinsic then). */
function poisonedPromise<T>(value: T): Promise<T> {
  const p = Promise.resolve(value);
  Object.defineProperty(p, "then", {
    value: () => {
      throw new Error("poisoned then");
    },
  });
  return p;
}

describe("hostile values pass through traced calls untouched", () => {
  it("a Proxy whose getPrototypeOf trap throws", async () => {
    const hostile = new Proxy({ a: 1 }, {
      getPrototypeOf() {
        throw new Error("no prototype for you");
      },
    });
    const mod = traceModule("mod", () => hostile);
    const agent = () => (mod() === hostile ? "same" : "different");
    expect(agent()).toBe("same");
    const { onError } = collector();
    const run = await trace(agent, { onError });
    expect(run.output).toBe("same");
    expect(run.spans.map((s) => s.name)).toContain("mod");
  });

  it("a revoked Proxy", async () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const mod = traceModule("mod", () => proxy);
    const agent = () => (mod() === proxy ? "same" : "different");
    expect(agent()).toBe("same");
    const { onError } = collector();
    const run = await trace(agent, { onError });
    expect(run.output).toBe("same");
  });

  it("a native Promise whose own then throws, from a module: the same promise, settled as untraced", async () => {
    let returned: unknown;
    let inner: unknown;
    const mod = traceModule("mod", () => (inner = poisonedPromise("value")));
    const agent = async () => {
      returned = mod();
      return await (returned as Promise<string>);
    };
    expect(await agent()).toBe("value");
    const { errors, onError } = collector();
    const run = await trace(agent, { onError });
    expect(run.output).toBe("value");
    expect(returned).toBe(inner);
    // the intrinsic then ignores the poisoned own property, so the span still records the output
    expect(run.spans.find((s) => s.name === "mod")?.attributes["output.value"]).toBe("value");
    expect(errors).toEqual([]);
  });

  it("a native Promise whose own then throws, from an engine", async () => {
    const response: EngineResponse = { text: "hi" };
    let pending: unknown;
    const engine: Engine = { model: "m", generate: () => (pending = poisonedPromise(response)) as Promise<EngineResponse> };
    const traced = tracedEngine(engine);
    let returned: unknown;
    const agent = async () => {
      returned = traced.generate({ prompt: "q" });
      return (await returned as EngineResponse).text;
    };
    expect(await agent()).toBe("hi");
    const { errors, onError } = collector();
    const run = await trace(agent, { onError });
    expect(run.output).toBe("hi");
    expect(returned).toBe(pending);
    expect(run.spans.find((s) => s.name === "chat m")?.attributes["output.value"]).toBe("hi");
    expect(errors).toEqual([]);
  });
});

describe("hostile values are written without throwing", () => {
  const trapAll = () => {
    const boom = () => {
      throw new Error("trap");
    };
    return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
  };

  it("a Proxy whose every trap throws, as an argument and as the output", async () => {
    const out = trapAll();
    let calls = 0;
    const mod = traceModule("mod", (_x: unknown) => {
      calls++;
      return out;
    });
    const agent = () => (mod(trapAll()) === out ? "same" : "different");
    const { errors, onError } = collector();
    const run = await trace(agent, { onError });
    expect(run.output).toBe("same");
    expect(calls).toBe(1);
    // the call is still traced; what could not be serialized is reported
    expect(run.spans.map((s) => s.name)).toContain("mod");
    expect(errors.length).toBeGreaterThan(0);
  });
});

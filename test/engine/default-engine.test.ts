import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/engine/default-engine.js";
import { ConfigError, InvalidArgumentError } from "../../src/errors.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

const VARS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "TRACEGRAD_MODEL"] as const;
let saved: Record<string, string | undefined>;
let stub: StubServer | undefined;

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
  for (const name of VARS) delete process.env[name];
});
afterEach(async () => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await stub?.close();
  stub = undefined;
});

describe("defaultEngine", () => {
  it("throws ConfigError at call time, naming the variables and an Ollama example, when nothing is set", async () => {
    const engine = defaultEngine(); // creating it is fine; only calling needs configuration
    expect(engine.model).toBe("gpt-4o-mini");
    const error = await engine.generate({ prompt: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "TRACEGRAD_MODEL", "http://localhost:11434/v1"]) expect(message).toContain(name);
  });

  it("talks to OPENAI_BASE_URL with TRACEGRAD_MODEL and temperature 0, without an API key", async () => {
    stub = await startStubServer({ reply: "local hello" });
    process.env.OPENAI_BASE_URL = stub.url;
    process.env.TRACEGRAD_MODEL = "llama3.1";
    const engine = defaultEngine();
    expect(engine.model).toBe("llama3.1");
    const reply = await engine.generate({ system: "s", prompt: "hi" });
    expect(reply).toMatchObject({ text: "local hello", model: "llama3.1", usage: { outputTokens: 3 } });
    expect(stub.requests[0]).toMatchObject({ model: "llama3.1", prompt: "hi", system: "s", body: { temperature: 0 } });
  });

  it("takes its variables from an injected env and options over env", async () => {
    stub = await startStubServer({ reply: "ok" });
    const engine = defaultEngine({ env: { OPENAI_BASE_URL: stub.url, TRACEGRAD_MODEL: "ignored" }, model: "qwen2.5", temperature: 0.3 });
    await engine.generate({ prompt: "hi" });
    expect(stub.requests[0]).toMatchObject({ model: "qwen2.5", body: { temperature: 0.3 } });
    expect(engine.cacheIdentity).toContain(stub.url);
  });

  it("retries a 429 without Retry-After (ChatOpenAI's own retries would not)", async () => {
    stub = await startStubServer({ reply: "second time lucky", failures: [{ status: 429 }] });
    const engine = defaultEngine({ env: { OPENAI_BASE_URL: stub.url }, maxRetries: 1 });
    expect((await engine.generate({ prompt: "hi" })).text).toBe("second time lucky");
    expect(stub.requests).toHaveLength(2);
  });

  it("honours timeoutMs; maxRetries: 0 gives up after one attempt", async () => {
    stub = await startStubServer({ reply: "ok", failures: ["timeout"] });
    const started = Date.now();
    const engine = defaultEngine({ env: { OPENAI_BASE_URL: stub.url }, timeoutMs: 150, maxRetries: 0 });
    await expect(engine.generate({ prompt: "hi" })).rejects.toThrow(/timed out/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("validates options up front", () => {
    expect(() => defaultEngine({ maxRetries: -1 })).toThrow(InvalidArgumentError);
    expect(() => defaultEngine({ timeoutMs: 0 })).toThrow(/timeoutMs must be a number > 0/);
  });
});

// defaultEngine() starts loading @langchain/openai when it is created; ready() lets a caller wait for that (and the
// configuration check) before timed work, while configuration errors still surface on use, never at creation.
import { afterEach, describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/engine/default-engine.js";
import { ConfigError } from "../../src/errors.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe("defaultEngine().ready()", () => {
  it("resolves before any generate, without calling the model; generate then answers", async () => {
    stub = await startStubServer({ reply: "hello" });
    const engine = defaultEngine({ env: { OPENAI_BASE_URL: stub.url } });
    await engine.ready();
    expect(stub.requests).toHaveLength(0);
    expect((await engine.generate({ prompt: "hi" })).text).toBe("hello");
    await engine.ready(); // idempotent
    expect(stub.requests).toHaveLength(1);
  });

  it("with nothing configured, creation is fine and the first generate (and ready) throw ConfigError", async () => {
    const engine = defaultEngine({ env: {} });
    await expect(engine.generate({ prompt: "hi" })).rejects.toBeInstanceOf(ConfigError);
    await expect(engine.ready()).rejects.toBeInstanceOf(ConfigError);
  });
});

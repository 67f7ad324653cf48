import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ChatOpenAI } from "@langchain/openai";
import { afterEach, describe, expect, it } from "vitest";
import { withCache } from "../../src/engine/cache.js";
import { chatModelEngine } from "../../src/engine/chat-model-engine.js";
import { REDACTED, redactSecrets } from "../../src/engine/redact-secrets.js";
import { startStubServer, type StubServer } from "../../src/testing/stub-server.js";

let stub: StubServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("redactSecrets", () => {
  it("redacts secrets at any depth by name, keeps the rest", () => {
    const input = {
      model: "gpt-4o-mini",
      maxTokens: 50,
      max_tokens: 50,
      nested: { deeper: { "api-key": "a", apiKey: "b", api_key: "c", key: "d", accessToken: "e", clientSecret: "f", password: "g" } },
      list: [{ authorization: "Bearer h", credentials: { user: "u" }, monkey: "banana" }],
    };
    expect(redactSecrets(input)).toEqual({
      model: "gpt-4o-mini",
      maxTokens: 50,
      max_tokens: 50,
      nested: { deeper: { "api-key": REDACTED, apiKey: REDACTED, api_key: REDACTED, key: REDACTED, accessToken: REDACTED, clientSecret: REDACTED, password: REDACTED } },
      list: [{ authorization: REDACTED, credentials: REDACTED, monkey: "banana" }],
    });
  });

  it("redacts everything under headers, query and auth containers, and credentials in URLs", () => {
    const input = {
      configuration: { defaultHeaders: { "x-custom": "s1" }, defaultQuery: { "api-version": "2024-02-01", sig: "s2" }, auth: { scheme: "s3" } },
      headers: new Headers({ "x-api-key": "s4" }),
      baseURL: "https://user:s5@example.com/v1?api-key=s6&deployment=d",
      plainUrl: "https://example.com/v1",
    };
    const out = JSON.stringify(redactSecrets(input));
    for (const secret of ["s1", "s2", "s3", "s4", "s5", "s6"]) expect(out).not.toContain(`"${secret}`);
    expect(out).not.toMatch(/s5@|=s6/);
    expect(out).toContain("deployment=d");
    expect(out).toContain('"plainUrl":"https://example.com/v1"');
  });

  it("survives cycles", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(redactSecrets(a)).toEqual({ name: "a", self: "[circular]" });
  });
});

describe("secrets never reach cache files", () => {
  it("keeps Azure-style keys in defaultQuery and defaultHeaders out of every cache file, and the requests still carry them", async () => {
    stub = await startStubServer({ reply: "ok" });
    dir = mkdtempSync(path.join(tmpdir(), "tracegrad-secrets-"));
    const chat = new ChatOpenAI({
      model: "gpt-4o-mini",
      apiKey: "sk-canary-000",
      maxRetries: 0,
      configuration: { baseURL: stub.url, defaultQuery: { "api-key": "sk-canary-123" }, defaultHeaders: { "x-api-key": "sk-canary-456" } },
    });
    const engine = withCache(chatModelEngine(chat), { dir });
    await engine.generate({ prompt: "one" });
    await engine.generate({ system: "s", prompt: "two", temperature: 0.5 });
    expect(stub.requests).toHaveLength(2);
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text).not.toContain("sk-canary");
      expect(text).toContain("gpt-4o-mini");
    }
    expect(engine.cacheIdentity).not.toContain("sk-canary");
  });
});

describe("redactSecrets on class instances", () => {
  it("walks their own fields and toJSON, and drops Map-like values whole", () => {
    class Options {
      password = "p1";
      region = "eu";
    }
    const out = redactSecrets({ options: new Options(), json: { toJSON: () => ({ token: "t1", ok: 1 }) }, map: new Map([["k", "m1"]]) });
    expect(out).toEqual({ options: { password: REDACTED, region: "eu" }, json: { token: REDACTED, ok: 1 }, map: REDACTED });
  });
});

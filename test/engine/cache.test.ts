import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheKey, withCache } from "../../src/engine/cache.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import { CacheDirError } from "../../src/errors.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-cache-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const counting = () => new FakeEngine((request) => `reply to ${request.prompt} #${Math.random().toFixed(6)}`, { model: "m" });

describe("withCache", () => {
  it("answers a repeated request from memory with cached: true", async () => {
    const inner = counting();
    const engine = withCache(inner);
    const first = await engine.generate({ prompt: "hi" });
    const second = await engine.generate({ prompt: "hi" });
    expect(first.cached).toBe(false);
    expect(second).toEqual({ ...first, cached: true });
    expect(inner.calls).toHaveLength(1);
    expect(engine.model).toBe("m");
  });

  it("keys on sampling parameters, system prompt and history, not on the signal", async () => {
    const inner = counting();
    const engine = withCache(inner);
    const base: EngineRequest = { prompt: "hi", temperature: 0 };
    const variants: EngineRequest[] = [
      base,
      { ...base, temperature: 0.7 },
      { ...base, topP: 0.5 },
      { ...base, maxTokens: 10 },
      { ...base, seed: 1 },
      { ...base, stop: ["END"] },
      { ...base, system: "be brief" },
      { ...base, history: [{ role: "assistant", content: "earlier" }] },
    ];
    for (const request of variants) await engine.generate(request);
    expect(inner.calls).toHaveLength(variants.length);
    const again = await engine.generate({ temperature: 0, prompt: "hi", signal: new AbortController().signal });
    expect(again.cached).toBe(true);
    expect(inner.calls).toHaveLength(variants.length);
  });

  it("keys on the model name and the engine's cacheIdentity", () => {
    const request = { prompt: "hi" };
    const a: Engine = { model: "a", generate: async () => ({ text: "" }) };
    const b: Engine = { model: "b", generate: async () => ({ text: "" }) };
    const a2 = { ...a, cacheIdentity: '{"temperature":1}' };
    expect(new Set([cacheKey(a, request), cacheKey(b, request), cacheKey(a2, request)]).size).toBe(3);
    expect(cacheKey(a, request)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("makes one call for identical concurrent requests", async () => {
    const inner = new FakeEngine(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return `slow ${request.prompt}`;
    });
    const engine = withCache(inner);
    const replies = await Promise.all(Array.from({ length: 5 }, () => engine.generate({ prompt: "same" })));
    expect(inner.calls).toHaveLength(1);
    expect(new Set(replies.map((r) => r.text))).toEqual(new Set(["slow same"]));
    expect(replies.filter((r) => !r.cached)).toHaveLength(1);
  });

  it("does not cache failures", async () => {
    let fail = true;
    const inner = new FakeEngine(() => {
      if (fail) {
        fail = false;
        throw new Error("boom");
      }
      return "ok";
    });
    const engine = withCache(inner);
    await expect(engine.generate({ prompt: "x" })).rejects.toThrow("boom");
    expect((await engine.generate({ prompt: "x" })).text).toBe("ok");
    expect(inner.calls).toHaveLength(2);
  });

  it("persists to disk across instances, one JSON file per key", async () => {
    const first = counting();
    const reply = await withCache(first, { dir }).generate({ system: "s", prompt: "hi", temperature: 0 });
    const files = readdirSync(dir);
    expect(files).toEqual([`${cacheKey(first, { system: "s", prompt: "hi", temperature: 0 })}.json`]);
    const stored = JSON.parse(readFileSync(path.join(dir, files[0]!), "utf8"));
    expect(stored.reply.text).toBe(reply.text);
    expect(stored.messages).toEqual([
      { role: "system", content: "s" },
      { role: "user", content: "hi" },
    ]);

    const second = counting();
    const again = await withCache(second, { dir }).generate({ system: "s", prompt: "hi", temperature: 0 });
    expect(second.calls).toHaveLength(0);
    expect(again).toEqual({ ...reply, cached: true });
  });

  it("treats a corrupt file as a miss and overwrites it", async () => {
    const inner = counting();
    const file = path.join(dir, `${cacheKey(inner, { prompt: "hi" })}.json`);
    writeFileSync(file, '{"version": 1, "reply": {"te');
    const reply = await withCache(inner, { dir }).generate({ prompt: "hi" });
    expect(inner.calls).toHaveLength(1);
    expect(reply.cached).toBe(false);
    expect(JSON.parse(readFileSync(file, "utf8")).reply.text).toBe(reply.text);
  });

  it("survives concurrent writers of the same key and leaves no temp files", async () => {
    const engines = Array.from({ length: 4 }, () => withCache(counting(), { dir }));
    await Promise.all(engines.map((engine) => engine.generate({ prompt: "race" })));
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(dir, files[0]!), "utf8")).reply.text).toMatch(/^reply to race/);
  });

  it("throws CacheDirError synchronously for a directory that cannot be created", () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "");
    const bad = path.join(file, "cache");
    expect(() => withCache(counting(), { dir: bad })).toThrow(CacheDirError);
    expect(() => withCache(counting(), { dir: bad })).toThrow(/cannot use cache directory ".*a-file\/cache" \(ENOTDIR\).*Pass \{ dir \}/);
  });
});

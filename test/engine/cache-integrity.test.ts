import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheKey, withCache } from "../../src/engine/cache.js";
import type { Engine, EngineRequest } from "../../src/engine/types.js";
import { FakeEngine } from "../../src/testing/fake-engine.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-cache-integrity-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const echo = () => new FakeEngine((request) => `answer to ${request.prompt}`, { model: "m" });
const tempFiles = () => readdirSync(dir).filter((name) => name.endsWith(".tmp"));

describe("withCache never answers the wrong question", () => {
  it("treats a well-formed entry of request A stored under B's file name as a miss, and overwrites it", async () => {
    const inner = echo();
    const a: EngineRequest = { prompt: "A" };
    const b: EngineRequest = { prompt: "B" };
    await withCache(inner, { dir }).generate(a);
    renameSync(path.join(dir, `${cacheKey(inner, a)}.json`), path.join(dir, `${cacheKey(inner, b)}.json`));

    const reply = await withCache(inner, { dir }).generate(b);
    expect(reply).toMatchObject({ text: "answer to B", cached: false });
    expect(inner.calls.map((c) => c.prompt)).toEqual(["A", "B"]);
    const stored = JSON.parse(readFileSync(path.join(dir, `${cacheKey(inner, b)}.json`), "utf8"));
    expect(stored).toMatchObject({ key: cacheKey(inner, b), reply: { text: "answer to B" } });
  });

  it("treats an entry whose key field matches but whose messages were edited as a miss", async () => {
    const inner = echo();
    const b: EngineRequest = { prompt: "B" };
    await withCache(inner, { dir }).generate(b);
    const file = path.join(dir, `${cacheKey(inner, b)}.json`);
    const edited = JSON.parse(readFileSync(file, "utf8"));
    edited.messages = [{ role: "user", content: "A" }];
    writeFileSync(file, JSON.stringify(edited));
    expect((await withCache(inner, { dir }).generate(b)).cached).toBe(false);
    expect(inner.calls).toHaveLength(2);
  });

  it("still serves its own entries across instances", async () => {
    const inner = echo();
    await withCache(inner, { dir }).generate({ system: "s", prompt: "p", temperature: 0, stop: ["x"] });
    const again = await withCache(inner, { dir }).generate({ system: "s", prompt: "p", temperature: 0, stop: ["x"] });
    expect(again).toMatchObject({ text: "answer to p", cached: true });
    expect(inner.calls).toHaveLength(1);
  });
});

describe("withCache shares a call without sharing aborts", () => {
  /** An engine whose calls wait until `release()`, honouring their signal. */
  function gated() {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: EngineRequest[] = [];
    const engine: Engine = {
      model: "gated",
      async generate(request) {
        calls.push(request);
        await new Promise<void>((resolve, reject) => {
          request.signal?.addEventListener("abort", () => reject(request.signal?.reason), { once: true });
          void gate.then(resolve);
        });
        return { text: `reply to ${request.prompt}` };
      },
    };
    return { engine, calls, release: () => release() };
  }

  it("B (no signal) still gets the reply when A, sharing the call, aborts", async () => {
    const { engine, calls, release } = gated();
    const cache = withCache(engine);
    const controller = new AbortController();
    const a = cache.generate({ prompt: "same", signal: controller.signal });
    const b = cache.generate({ prompt: "same" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(a).rejects.toMatchObject({ name: "AbortError" });
    release();
    await expect(b).resolves.toMatchObject({ text: "reply to same" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.signal?.aborted).toBe(false);
  });

  it("cancels the shared call when every caller has aborted, and a later caller starts afresh", async () => {
    const { engine, calls, release } = gated();
    const cache = withCache(engine);
    const one = new AbortController();
    const two = new AbortController();
    const a = cache.generate({ prompt: "same", signal: one.signal });
    const b = cache.generate({ prompt: "same", signal: two.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    one.abort();
    expect(calls[0]?.signal?.aborted).toBe(false);
    two.abort();
    await expect(a).rejects.toMatchObject({ name: "AbortError" });
    await expect(b).rejects.toMatchObject({ name: "AbortError" });
    expect(calls[0]?.signal?.aborted).toBe(true);
    const c = cache.generate({ prompt: "same" });
    release();
    await expect(c).resolves.toMatchObject({ text: "reply to same", cached: false });
    expect(calls).toHaveLength(2);
  });

  it("rejects at once a caller whose signal is already aborted, without a call", async () => {
    const { engine, calls } = gated();
    await expect(withCache(engine).generate({ prompt: "p", signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(0);
  });
});

describe("withCache cleans up after killed writers", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));

  it("removes the temp files of a writer killed with SIGKILL mid-write, at the next setup", async () => {
    // The child keeps rewriting entries as fast as it can; killed at a random point, it leaves temp files behind.
    // To make the outcome certain rather than racy, it also plants one temp file named like its own in-flight writes.
    const script = `
      import { writeFileSync } from "node:fs";
      import { withCache } from "./src/engine/cache.ts";
      const dir = process.argv.at(-1);
      const engine = withCache({ model: "m", generate: async (r) => ({ text: r.prompt.repeat(2000) }) }, { dir });
      const { createHash } = await import("node:crypto");
      const { hostname } = await import("node:os");
      const host = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
      writeFileSync(dir + "/" + "a".repeat(64) + ".json." + host + "-" + process.pid + "-abcdef.tmp", "{half");
      process.stdout.write("ready\\n");
      for (let i = 0; ; i++) await engine.generate({ prompt: "p" + i });
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`the writer exited early (code ${String(code)})`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(tempFiles().length).toBeGreaterThanOrEqual(1);

    withCache(echo(), { dir });
    expect(tempFiles()).toEqual([]);
    expect(readdirSync(dir).length).toBeGreaterThan(0); // finished entries stay
  });

  it("removes temp files older than 10 minutes whoever wrote them, never a live writer's fresh one", () => {
    const key = "b".repeat(64);
    const oldForeign = path.join(dir, `${key}.json.0badc0de-4242-aaaaaa.tmp`);
    const oldLegacy = path.join(dir, `${key}.json.4243-bbbbbb.tmp`);
    const freshForeign = path.join(dir, `${key}.json.0badc0de-4244-cccccc.tmp`);
    const freshLegacy = path.join(dir, `${key}.json.4245-dddddd.tmp`);
    const live = path.join(dir, `${key}.json.${process.pid}-eeeeee.tmp`);
    for (const file of [oldForeign, oldLegacy, freshForeign, freshLegacy, live]) writeFileSync(file, "{");
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(oldForeign, old, old);
    utimesSync(oldLegacy, old, old);
    withCache(echo(), { dir });
    expect([oldForeign, oldLegacy].map(existsSync)).toEqual([false, false]);
    expect([freshForeign, freshLegacy, live].map(existsSync)).toEqual([true, true, true]);
  });
});

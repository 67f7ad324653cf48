import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { context, trace as otelTrace } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Param,
  PromptNotFoundError,
  PromptStoreError,
  fileStore,
  promptRegistry,
  trace,
  traceModule,
  type PromptStore,
  type TracegradError,
} from "../../src/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-registry-param-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function clock() {
  let t = Date.parse("2026-12-05T10:00:00Z");
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** A file store whose reads can be made to fail, as a remote store going down would. */
function flakyStore(): PromptStore & { down: boolean } {
  const inner = fileStore({ dir });
  const store = {
    down: false,
    get: (name: string) => (store.down ? Promise.reject(new Error("connection refused")) : inner.get(name)),
    getSync: (name: string) => {
      if (store.down) throw new Error("connection refused");
      return inner.getSync!(name);
    },
    list: () => inner.list(),
    publish: inner.publish,
    setLabel: inner.setLabel,
  };
  return store;
}

const role = "system prompt of the planner";

describe("registry.param: the labelled text, refreshed after a TTL, robust to store failures", () => {
  it("is a Param; .value is the production text, loaded synchronously on first read", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("planner.system", "Plan v1.", { labels: ["production"] });
    await registry.publish("planner.system", "Plan v2.");
    const planner = registry.param("planner.system", { role, fallback: "code copy" });
    expect(planner).toBeInstanceOf(Param);
    expect(planner.value).toBe("Plan v1.");
    expect(planner.isFallback).toBe(false);
    expect(planner.lastUse).toEqual({ name: "planner.system", version: 1, label: "production" });
    const latest = registry.param("planner.system", { role, fallback: "code copy", label: "latest" });
    expect(latest.value).toBe("Plan v2.");
  });

  it("serves the cached copy until the TTL passes, then the newly labelled version", async () => {
    const c = clock();
    const registry = promptRegistry({ dir, now: c.now });
    await registry.publish("p", "one", { labels: ["production"] });
    const p = registry.param("p", { role, fallback: "code copy" });
    expect(p.value).toBe("one");

    const otherProcess = promptRegistry({ dir }); // its writes do not touch this registry's cache
    const v2 = await otherProcess.publish("p", "two");
    await otherProcess.setLabel("p", "production", v2);
    c.advance(59_000);
    expect(p.value).toBe("one");
    c.advance(1_000);
    expect(p.value).toBe("two");
    expect(p.lastUse?.version).toBe(2);

  });

  it("serves the last good copy when the store fails (with a warning), then the fallback", async () => {
    const c = clock();
    const warnings: TracegradError[] = [];
    const store = flakyStore();
    const registry = promptRegistry({ store, now: c.now, onWarning: (w) => warnings.push(w) });
    await registry.publish("p", "stored text", { labels: ["production"] });
    const p = registry.param("p", { role, fallback: "code copy" });
    expect(p.value).toBe("stored text");

    store.down = true;
    c.advance(60_000);
    expect(p.value).toBe("stored text");
    expect(p.isFallback).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(PromptStoreError.isInstance(warnings[0])).toBe(true);
    expect(warnings[0]!.message).toMatch(/connection refused.*the last good copy is served/);
    expect(p.value).toBe("stored text");
    expect(warnings).toHaveLength(1); // once per TTL, not once per read

    const fresh = promptRegistry({ store, now: c.now, onWarning: (w) => warnings.push(w) });
    const q = fresh.param("p", { role, fallback: "code copy" });
    expect(q.value).toBe("code copy");
    expect(q.isFallback).toBe(true);
    expect(warnings.at(-1)!.message).toMatch(/the fallback text is served/);

    store.down = false;
    c.advance(60_000);
    expect(q.value).toBe("stored text");
    expect(q.isFallback).toBe(false);
  });

  it("serves the fallback with a PromptNotFoundError warning for a prompt or label that does not exist", async () => {
    const warnings: TracegradError[] = [];
    const registry = promptRegistry({ dir, onWarning: (w) => warnings.push(w) });
    const p = registry.param("not.published", { role, fallback: "code copy" });
    expect(p.value).toBe("code copy");
    expect(p.isFallback).toBe(true);
    expect(PromptNotFoundError.isInstance(warnings[0])).toBe(true);
    expect(warnings[0]!.message).toMatch(/does not exist in the registry.*registry\.publish\("not\.published"/);

    await registry.publish("only.candidate", "cand", { labels: ["candidate"] });
    expect(registry.param("only.candidate", { role, fallback: "code copy" }).value).toBe("code copy");
    expect(warnings.at(-1)!.message).toMatch(/has no label "production"/);
  });

  it("with an asynchronous store: the fallback (warned) until loaded, refresh() warms it", async () => {
    const warnings: TracegradError[] = [];
    const inner = fileStore({ dir });
    const store: PromptStore = { get: inner.get, list: inner.list, publish: inner.publish, setLabel: inner.setLabel };
    const registry = promptRegistry({ store, onWarning: (w) => warnings.push(w) });
    await registry.publish("p", "stored", { labels: ["production"] });
    const p = registry.param("p", { role, fallback: "code copy" });
    expect(p.value).toBe("code copy");
    expect(warnings[0]!.message).toMatch(/not loaded yet.*await param\.refresh\(\)/);
    await p.refresh();
    expect(p.value).toBe("stored");
  });

  it("a local setValue() (an optimizer's apply) is served and recorded as label 'local' until followRegistry()", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("p", "stored", { labels: ["production"] });
    const p = registry.param("p", { role, fallback: "code copy" });
    p.setValue("refined locally");
    expect(p.value).toBe("refined locally");
    expect(p.lastUse).toEqual({ name: "p", version: undefined, label: "local" });
    p.followRegistry();
    expect(p.value).toBe("stored");
  });

  it("rejects bad options with typed errors", async () => {
    const registry = promptRegistry({ dir });
    expect(() => registry.param("p", { role: "", fallback: "x" })).toThrow(/needs a role/);
    expect(() => registry.param("p", { role, fallback: undefined as never })).toThrow(/needs a fallback/);
    expect(() => registry.param("p", { role, fallback: "x", canary: { label: "candidate", share: 1.5 } })).toThrow(/share must be a number in \[0, 1\]/);
    expect(() => registry.param("p", { role, fallback: "x", canary: { label: "production", share: 0.1 } })).toThrow(/is the label read anyway/);
    expect(() => registry.param("p", { role, fallback: "x", autoRollback: { traces: [], feedback: [] } })).toThrow(/autoRollback needs a canary/);
  });
});

describe("registry.param in a traced run", () => {
  it("records gen_ai.prompt.name, tracegrad.prompt.version and .label on the span that read it, and joins the graph as a parameter", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("planner.system", "Plan carefully.", { labels: ["production"] });
    const planner = registry.param("planner.system", { role, fallback: "code copy" });
    const plan = traceModule("planner", async (q: string) => `${planner.value} -> ${q}`);
    const run = await trace(() => plan("2+2?"));

    const span = run.spans.find((s) => s.name === "planner")!;
    expect(span.attributes).toMatchObject({
      "gen_ai.prompt.name": "planner.system",
      "tracegrad.prompt.version": 1,
      "tracegrad.prompt.label": "production",
      "tracegrad.prompt.planner.system.version": 1,
      "tracegrad.param.ids": ["planner.system"],
      "tracegrad.param.planner.system.value": "Plan carefully.",
    });
    expect(run.output).toBe("Plan carefully. -> 2+2?");
    expect(run.params.get("planner.system")).toBe(planner);
    expect(run.graph.parameters).toContain(planner);
    expect(run.graph.edges.some((e) => e.from === "param:planner.system" && e.to === span.spanContext().spanId)).toBe(true);
  });

  it("building a canary run's graph keeps the text the run read (the graph does not re-read the prompt)", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("p", "prod text", { labels: ["production"] });
    await registry.publish("p", "cand text", { labels: ["candidate"] });
    const p = registry.param("p", { role, fallback: "code copy", canary: { label: "candidate", share: 1 } });
    const step = traceModule("step", async () => p.value);
    const run = await trace(async () => step());
    expect(run.output).toBe("cand text");
    const param = run.graph.parameters.find((x) => x.id === "p")!;
    expect(param).toBe(p);
    expect(run.graph.nodes.find((n) => n.id === "param:p")?.value).toBe("cand text");
    // outside any run a read serves production; building the graph must not have done one and reset the text
    expect(p.lastUse).toMatchObject({ label: "candidate" });
  });

  it("chooses the canary by trace id: one version per run, the same choice for the same id, about `share` of runs", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("p", "prod text", { labels: ["production"] });
    await registry.publish("p", "cand text", { labels: ["candidate"] });
    const p = registry.param("p", { role, fallback: "code copy", canary: { label: "candidate", share: 0.2 } });
    const q = registry.param("p", { role, fallback: "code copy", canary: { label: "candidate", share: 0.2 } });
    const step = traceModule("step", async () => p.value);

    const runs = 400;
    let canary = 0;
    for (let i = 0; i < runs; i++) {
      const run = await trace(async () => [await step(), await step(), p.value, q.value]);
      const reads = new Set(run.output);
      expect(reads.size).toBe(1); // never a mix inside one run
      const traceId = run.spans[0]!.spanContext().traceId;
      expect([...reads][0]).toBe(expectedBucket(traceId) < 0.2 ? "cand text" : "prod text");
      if (reads.has("cand text")) canary++;
    }
    expect(canary / runs).toBeGreaterThan(0.14);
    expect(canary / runs).toBeLessThan(0.26);

    // a given trace id always gets the same version, whichever param object or process reads it
    const read = (traceId: string, param = p) =>
      context.with(otelTrace.setSpanContext(context.active(), { traceId, spanId: "00f067aa0ba902b7", traceFlags: 1 }), () => param.value);
    const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(32, "a"));
    await trace(async () => {
      for (const id of ids) {
        expect(read(id)).toBe(read(id, q));
        expect(read(id)).toBe(expectedBucket(id) < 0.2 ? "cand text" : "prod text");
      }
    });
  });
});

/** The documented rule: the first 48 bits of sha256(traceId) as a fraction of 2^48. */
function expectedBucket(traceId: string): number {
  return Number.parseInt(createHash("sha256").update(traceId).digest("hex").slice(0, 12), 16) / 2 ** 48;
}

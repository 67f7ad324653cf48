import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  PromptNotFoundError,
  PromptStoreError,
  promptRegistry,
  type PromptDocument,
  type PromptStore,
} from "../../src/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-registry-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const clock = () => {
  let t = Date.parse("2026-12-05T10:00:00Z");
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe("promptRegistry: names, immutable versions, movable labels", () => {
  it("numbers versions 1, 2, 3, moves latest by itself and labels on request", async () => {
    const registry = promptRegistry({ dir, now: clock().now });
    expect(await registry.publish("planner.system", "v1 text", { labels: ["production"] })).toBe(1);
    expect(await registry.publish("planner.system", "v2 text", { labels: ["candidate"], parent: 1, source: { run: "runs/prod-1", step: 4 } })).toBe(2);
    expect(await registry.publish("planner.system", "v3 text")).toBe(3);

    expect(await registry.get("planner.system")).toEqual({
      name: "planner.system",
      version: 1,
      text: "v1 text",
      labels: ["production"],
      parent: undefined,
      source: undefined,
      createdAt: "2026-12-05T10:00:00.000Z",
    });
    const v2 = await registry.get("planner.system", { label: "candidate" });
    expect(v2).toMatchObject({ version: 2, text: "v2 text", parent: 1, source: { run: "runs/prod-1", step: 4 }, labels: ["candidate"] });
    expect((await registry.get("planner.system", { label: "latest" })).version).toBe(3);
    expect((await registry.get("planner.system", { version: 2 })).text).toBe("v2 text");

    await registry.setLabel("planner.system", "production", 3);
    await registry.setLabel("planner.system", "production", 1); // rollback = move the label back
    const all = await registry.versions("planner.system");
    expect(all.map((v) => [v.version, v.text, v.labels])).toEqual([
      [1, "v1 text", ["production"]],
      [2, "v2 text", ["candidate"]],
      [3, "v3 text", ["latest"]],
    ]);
    expect(await registry.list()).toEqual(["planner.system"]);
  });

  it("writes one pretty, stable JSON file per prompt, folders for '/', keys in a fixed order", async () => {
    const registry = promptRegistry({ dir, now: clock().now });
    await registry.publish("agents/planner.system", "hello", { labels: ["production", "candidate"], source: { z: 1, a: { y: 2, b: 3 } } });
    const file = path.join(dir, "agents", "planner.system.json");
    const text = readFileSync(file, "utf8");
    expect(text).toBe(
      [
        "{",
        '  "name": "agents/planner.system",',
        '  "labels": {',
        '    "candidate": 1,',
        '    "latest": 1,',
        '    "production": 1',
        "  },",
        '  "versions": [',
        "    {",
        '      "version": 1,',
        '      "createdAt": "2026-12-05T10:00:00.000Z",',
        '      "source": {',
        '        "a": {',
        '          "b": 3,',
        '          "y": 2',
        "        },",
        '        "z": 1',
        "      },",
        '      "text": "hello"',
        "    }",
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
    expect(await registry.list()).toEqual(["agents/planner.system"]);
    expect(readdirSync(path.join(dir, "agents"))).toEqual(["planner.system.json"]); // no lock or temp file left
  });

  it("throws typed errors, never falls back: unknown name, label, version; label and version at once", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("p", "one", { labels: ["production"] });
    await expect(registry.get("nope")).rejects.toSatisfy((e) => PromptNotFoundError.isInstance(e) && /no prompt named "nope"/.test((e as Error).message));
    await expect(registry.get("p", { label: "staging" })).rejects.toSatisfy((e) => PromptNotFoundError.isInstance(e) && /no label "staging" \(labels: latest, production\)/.test((e as Error).message));
    await expect(registry.get("p", { version: 2 })).rejects.toSatisfy(PromptNotFoundError.isInstance.bind(PromptNotFoundError));
    await expect(registry.get("p", { label: "production", version: 1 } as never)).rejects.toSatisfy(
      (e) => InvalidArgumentError.isInstance(e) && /both label "production" and version 1/.test((e as Error).message),
    );
    await expect(registry.versions("nope")).rejects.toSatisfy(PromptNotFoundError.isInstance.bind(PromptNotFoundError));
    await expect(registry.setLabel("p", "production", 5)).rejects.toSatisfy(PromptNotFoundError.isInstance.bind(PromptNotFoundError));
    await expect(registry.setLabel("nope", "production", 1)).rejects.toSatisfy(PromptNotFoundError.isInstance.bind(PromptNotFoundError));
    await expect(registry.publish("p", "two", { parent: 7 })).rejects.toSatisfy(PromptNotFoundError.isInstance.bind(PromptNotFoundError));
    await expect(registry.setLabel("p", "latest", 1)).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e) && /moved by the registry/.test((e as Error).message));
    await expect(registry.publish("../etc/passwd", "x")).rejects.toSatisfy(InvalidArgumentError.isInstance.bind(InvalidArgumentError));
    await expect(registry.publish("p", "x", { labels: ["has space"] })).rejects.toSatisfy(InvalidArgumentError.isInstance.bind(InvalidArgumentError));
    expect(() => promptRegistry({})).toThrow(/exactly one of \{ dir \}/);
    // nothing above wrote anything
    expect((await registry.versions("p")).map((v) => v.version)).toEqual([1]);
  });

  it("reports a corrupt prompt file as a PromptStoreError naming the file", async () => {
    const registry = promptRegistry({ dir });
    await registry.publish("p", "one", { labels: ["production"] });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(dir, "p.json"), '{"name":"p","labels":{"production":3},"versions":[]}');
    await expect(registry.get("p")).rejects.toSatisfy((e) => PromptStoreError.isInstance(e) && /p\.json is not a prompt document/.test((e as Error).message));
  });

  it("takes any PromptStore in place of the file store", async () => {
    const docs = new Map<string, PromptDocument>();
    const store: PromptStore = {
      get: async (name) => docs.get(name),
      list: async () => [...docs.keys()].sort(),
      publish: async (name, draft) => {
        const doc = docs.get(name) ?? { name, labels: {}, versions: [] };
        const version = doc.versions.length + 1;
        const labels = { ...doc.labels };
        for (const l of draft.labels) labels[l] = version;
        docs.set(name, { name, labels, versions: [...doc.versions, { version, text: draft.text, createdAt: draft.createdAt }] });
        return version;
      },
      setLabel: async (name, label, version) => {
        const doc = docs.get(name)!;
        docs.set(name, { ...doc, labels: { ...doc.labels, [label]: version } });
      },
    };
    const registry = promptRegistry({ store });
    await registry.publish("remote.prompt", "r1", { labels: ["production"] });
    await registry.publish("remote.prompt", "r2");
    expect((await registry.get("remote.prompt")).text).toBe("r1");
    expect(docs.get("remote.prompt")!.labels).toEqual({ production: 1, latest: 2 });
    expect(readdirSync(dir)).toEqual([]); // the file store was not used
  });
});

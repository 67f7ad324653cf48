// npm run demo:production (runProductionDemo): what it prints is what happened — the registry's production labels
// moved to the published versions, and a fresh deployment reading them scores what the demo reported.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promptRegistry } from "../../src/index.js";
import { deployChameleon, serveChameleon } from "../../examples/chameleon/production.js";
import { runProductionDemo } from "../../examples/chameleon/production-demo.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tg-production-demo-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run demo:production (runProductionDemo)", () => {
  it("publishes, canaries and promotes; a fresh deployment on the promoted prompts scores what it printed", async () => {
    const lines: string[] = [];
    const demo = await runProductionDemo({ dir, print: (l) => lines.push(l) });
    expect(demo.published.length).toBeGreaterThan(0);
    expect(demo.promoted).toEqual(demo.published.map((p) => p.name));
    expect(demo.accuracy.after).toBeGreaterThan(demo.accuracy.before);

    const registry = promptRegistry({ dir: join(dir, "prompts") });
    for (const p of demo.published) expect((await registry.get(p.name)).version).toBe(p.version);
    const measured = await serveChameleon(deployChameleon(registry, createChameleonModel(chameleonWorld)), 48, { traces: join(dir, "check.jsonl"), feedback: join(dir, "check-feedback.jsonl") }, "check");
    expect(measured).toBe(demo.accuracy.after);
    expect(lines.at(-1)).toBe(`week 3: 48 runs on the promoted prompts: ${(100 * measured).toFixed(1)}% correct (week 1: ${(100 * demo.accuracy.before).toFixed(1)}%)`);
  }, 180_000); // ~500 agent runs
});

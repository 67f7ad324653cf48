import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileStore, promptRegistry } from "../../src/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tracegrad-registry-procs-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A child process publishing `count` versions (or forever, count = 0), printing "v <number> <text>" after each. */
function publisher(who: string, count: number): ChildProcess & { acked: Map<number, string>; lines: Promise<void> } {
  const script = `
    import { fileStore } from "./src/registry/file-store.ts";
    import { promptRegistry } from "./src/registry/prompt-registry.ts";
    const [dir, who, count] = process.argv.slice(-3);
    const registry = promptRegistry({ store: fileStore({ dir, staleLockMs: 2000 }) });
    for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
      const text = who + "-" + i + " " + "x".repeat(2000 + i);
      const v = await registry.publish("shared.prompt", text, { labels: i % 5 === 0 ? ["candidate"] : [], source: { who, i } });
      process.stdout.write("v " + v + " " + who + "-" + i + "\\n");
    }
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir, who, String(count)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  }) as ChildProcess & { acked: Map<number, string>; lines: Promise<void> };
  child.acked = new Map();
  let buffer = "";
  child.stdout!.setEncoding("utf8");
  child.lines = new Promise((resolve) => {
    child.stdout!.on("data", (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const [, v, tag] = buffer.slice(0, nl).split(" ");
        child.acked.set(Number(v), tag!);
        buffer = buffer.slice(nl + 1);
      }
    });
    child.stdout!.on("end", () => resolve());
  });
  return child;
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the file store under several processes", () => {
  it("two processes publishing at once: versions 1..N, all distinct, none lost, the file valid JSON", async () => {
    const a = publisher("a", 25);
    const b = publisher("b", 25);
    expect(await exited(a)).toBe(0);
    expect(await exited(b)).toBe(0);
    await Promise.all([a.lines, b.lines]);

    const raw = readFileSync(path.join(dir, "shared.prompt.json"), "utf8");
    const doc = JSON.parse(raw);
    expect(doc.versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const tags = doc.versions.map((v: { text: string }) => v.text.split(" ")[0]);
    expect(new Set(tags).size).toBe(50);
    expect(tags.filter((t: string) => t.startsWith("a-")).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `a-${i}`).sort());
    // what each process was told matches what is stored
    for (const child of [a, b]) for (const [v, tag] of child.acked) expect(tags[v - 1]).toBe(tag);
    expect(doc.labels.latest).toBe(50);
    const registry = promptRegistry({ dir });
    expect((await registry.get("shared.prompt", { label: "latest" })).version).toBe(50);
    expect(readdirSync(dir).sort()).toEqual(["shared.prompt.json"]); // no lock dir, no temp file left
  }, 60_000);

  it("SIGKILL during publish, at several points, leaves every acknowledged version readable and the next publish works", async () => {
    const allAcked = new Map<number, string>();
    let midWrite = 0; // kills that left a temp file or a held lock: the kill really landed inside a publish
    for (const [i, delay] of [0, 3, 7, 13, 29].entries()) {
      const child = publisher(`k${i}`, 0);
      // wait for a few acknowledgements, then kill at a varying offset into the next publishes
      while (child.acked.size < 2 + i) await sleep(5);
      await sleep(delay);
      child.kill("SIGKILL");
      await exited(child);
      await child.lines;
      for (const [v, tag] of child.acked) allAcked.set(v, tag);
      if (readdirSync(dir).some((n) => n.endsWith(".tmp") || n.endsWith(".lock"))) midWrite++;

      const doc = JSON.parse(readFileSync(path.join(dir, "shared.prompt.json"), "utf8")); // never a torn file
      const tags: string[] = doc.versions.map((v: { text: string }) => v.text.split(" ")[0]);
      expect(doc.versions.map((v: { version: number }) => v.version)).toEqual(tags.map((_, j) => j + 1));
      for (const [v, tag] of allAcked) expect(tags[v - 1]).toBe(tag);
      const registry = promptRegistry({ dir });
      for (const v of allAcked.keys()) expect((await registry.get("shared.prompt", { version: v })).text.startsWith(`${allAcked.get(v)} `)).toBe(true);
    }
    expect(midWrite).toBeGreaterThan(0);
    // a killed writer's lock goes stale and is taken over; its temp files are swept
    const registry = promptRegistry({ store: fileStore({ dir, staleLockMs: 2000 }) });
    const before = (await registry.versions("shared.prompt")).length;
    expect(await registry.publish("shared.prompt", "after the kills")).toBe(before + 1);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  }, 90_000);
});

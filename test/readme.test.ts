import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every ```ts block of README.md runs here (blocks marked `ts no-run` are skipped), so the README's examples cannot
 * drift from the code. Each block is written to its own module and imported; an assertion failing inside it fails here.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = `${root}test/.readme`;

describe("README examples", () => {
  it("has runnable examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((code, i) => [firstComment(code, i), code] as const))("%s", async (_name, code) => {
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/block-${hash(code)}.ts`;
    writeFileSync(file, `${code}\nexport {};\n`);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

function firstComment(code: string, i: number): string {
  const imports = code.match(/import \{([^}]*)\} from "tracegrad"/)?.[1]?.trim().split(/\s*,\s*/).slice(0, 3).join(", ");
  return `block ${i + 1}${imports ? ` (${imports}…)` : ""}`;
}

function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFeedback, readFeedback } from "../../src/index.js";
import { ROOT, runCli } from "./run-cli.js";

describe("tracegrad feedback", () => {
  it("add records one piece of feedback; import brings in a vendor export; bad fields are usage errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracegrad-cli-feedback-"));
    const langfuse = join(ROOT, "test/fixtures/feedback/langfuse-scores.json");
    const [added, imported, empty, badFrom] = await Promise.all([
      runCli(["feedback", "add", "--trace", "4bf92f3577b34da6a3ce929d0e0e4736", "--span", "00f067aa0ba902b7", "--name", "user_thumbs", "--score", "0", "--explanation", "The plan skipped the lookup."], { cwd: dir }),
      runCli(["feedback", "import", "--from", "langfuse", langfuse, "--path", "imported.jsonl"], { cwd: dir }),
      runCli(["feedback", "add", "--trace", "abc", "--name", "user_thumbs"], { cwd: dir }),
      runCli(["feedback", "import", "--from", "braintrust", langfuse], { cwd: dir }),
    ]);

    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const records = await readFeedback(join(dir, "feedback.jsonl"));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", name: "user_thumbs", score: 0, explanation: "The plan skipped the lookup.", source: "human" });
    expect(added.stdout).toBe(`recorded ${records[0]!.id} on trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7 in feedback.jsonl\n`);

    expect(imported.code).toBe(0);
    const expected = await importFeedback(langfuse, { from: "langfuse", onWarning: () => {} });
    expect(imported.stdout).toBe(`imported ${expected.length} records from ${langfuse} (langfuse) into imported.jsonl\n`);
    expect(await readFeedback(join(dir, "imported.jsonl"))).toEqual(expected);
    expect(imported.stderr).toMatch(/^warning: .*not on a trace; skipped\.$/m); // skipped rows are said, not dropped silently

    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("at least one of score, label, explanation or correction");
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toContain("Allowed choices are langfuse, langsmith, phoenix");
  }, 120_000);
});

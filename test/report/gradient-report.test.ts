import { describe, expect, it } from "vitest";
import {
  GRADIENT_REPORT_VERSION,
  gradientReportSchema,
  readGradientReport,
  renderHtmlReport,
  ReportFormatError,
  toGradientReport,
  InvalidArgumentError,
} from "../../src/index.js";
import { chameleonRun, optimizeReport, refineOutputsReport, refinePromptsReport } from "./report-runs.js";

describe("toGradientReport(refine outputs)", () => {
  it("keeps per node the feedback with its senders, the edit and its verdict, and the loss before and after", async () => {
    const { result, report, q } = await refineOutputsReport();
    expect(gradientReportSchema.safeParse(report).success).toBe(true);
    expect(report.version).toBe(GRADIENT_REPORT_VERSION);
    expect(report.run.kind).toBe("refine-outputs");
    expect(report.nodes.map((n) => n.id)).toEqual(result.initial.graph.nodes.map((n) => n.id));

    const kr = report.nodes.find((n) => n.name === "knowledgeRetrieval")!;
    expect(kr.edits).toHaveLength(1);
    expect(kr.edits[0]!.accepted).toBe(true);
    expect(kr.edits[0]!.diff.filter((d) => d.op === "+").map((d) => d.text).join("")).toContain(q.keyFact);
    expect(kr.feedback.map((f) => f.text)).toEqual(result.modules.find((m) => m.module === "knowledgeRetrieval")!.feedback);
    // senders are the downstream nodes that read its output
    const senders = new Set(kr.feedback.flatMap((f) => f.from.nodes).map((id) => report.nodes.find((n) => n.id === id)!.name));
    expect([...senders].sort()).toEqual(["queryGenerator", "solutionGenerator"]);
    expect(report.run.evaluation?.before).toContain("incorrect");
    expect(report.run.evaluation?.after).toBe(result.evaluation);
    expect(report.run.usage).toEqual(result.usage);

    const unchanged = report.nodes.find((n) => n.name === "queryGenerator")!;
    expect(unchanged.edits[0]).toMatchObject({ accepted: false, reason: expect.stringContaining("no feedback") });
  });
});

describe("toGradientReport(refine prompts)", () => {
  it("records each prompt's versions as lineage and the feedback of the nodes on the way", async () => {
    const { result, report } = await refinePromptsReport();
    expect(gradientReportSchema.safeParse(report).success).toBe(true);
    const changed = result.prompts.filter((p) => p.changed);
    expect(changed.length).toBeGreaterThan(0);
    for (const p of changed) {
      const lineage = report.run.parameters.find((x) => x.id === p.id)!;
      const child = lineage.versions.find((v) => v.value.text === p.after)!;
      expect(lineage.versions.some((v) => v.version === child.parent)).toBe(true);
    }
    const inner = report.nodes.filter((n) => n.kind === "module" && n.feedback.length > 0);
    expect(inner.length).toBeGreaterThan(0);
  });
});

describe("toGradientReport(optimize)", () => {
  it("has one step per decided step, the scores, and every proposal as an edit of its parameter", async () => {
    const { result, report } = await optimizeReport();
    expect(gradientReportSchema.safeParse(report).success).toBe(true);
    expect(report.run.steps.map((s) => s.step)).toEqual(result.steps.map((s) => s.step));
    expect(report.run.score).toEqual({ baseline: result.baseline.score, best: result.best.score });
    const param = report.nodes.find((n) => n.kind === "param" && n.name === "solver.system")!;
    expect(param.edits).toHaveLength(result.steps.flatMap((s) => s.proposals).length);
    expect(param.edits.filter((e) => e.accepted).length).toBe(result.steps.flatMap((s) => s.proposals).filter((p) => p.status === "accepted").length);
    expect(param.value.text).toBe(result.best.values["solver.system"]);
    expect(report.nodes.some((n) => n.name === "solver")).toBe(true); // drawn inside the agent's graph
  });
});

describe("readGradientReport", () => {
  it("reads back what was written, through JSON", async () => {
    const { run } = await chameleonRun();
    const report = toGradientReport(run, { now: new Date("2026-01-01T00:00:00Z") });
    expect(readGradientReport(JSON.stringify(report))).toEqual(report);
    expect(report.run.createdAt).toBe("2026-01-01T00:00:00.000Z");
  });

  it("names the path of the first bad field, and refuses another version", async () => {
    const { run } = await chameleonRun();
    const report = toGradientReport(run);
    const bad = JSON.parse(JSON.stringify(report));
    bad.nodes[1].kind = "planet";
    const error = (() => {
      try {
        readGradientReport(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(ReportFormatError.isInstance(error)).toBe(true);
    expect((error as ReportFormatError).path).toBe("nodes.1.kind");
    expect((error as Error).message).toContain("nodes.1.kind");
    expect(() => readGradientReport({ ...report, version: "tracegrad.gradient-report/0" })).toThrow(/version/);
    expect(() => readGradientReport("{not json")).toThrow(ReportFormatError);
  });

  it("keeps long values as hash and preview, and refuses a source it cannot read", async () => {
    const { run } = await chameleonRun();
    const report = toGradientReport(run);
    for (const n of report.nodes) {
      const value = run.graph.nodes.find((g) => g.id === n.id)!.value;
      expect(n.value.chars).toBe(value.length);
      if (value.length > 4000) expect(n.value.text).toBeUndefined();
      else expect(n.value.text).toBe(value);
    }
    expect(() => toGradientReport({ nothing: true } as never)).toThrow(InvalidArgumentError);
  });
});

describe("renderHtmlReport", () => {
  it("embeds the report so that no value can close the script element", async () => {
    const { run } = await chameleonRun();
    const report = toGradientReport(run);
    const evil = "</script><script>window.pwned=1</script>";
    const tampered = { ...report, nodes: report.nodes.map((n, i) => (i === 0 ? { ...n, name: evil } : n)) };
    const html = renderHtmlReport(tampered);
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data block's and the page script's own
    expect(html).not.toContain("window.pwned=1</script>");
    const json = html.slice(html.indexOf('type="application/json">') + 24, html.indexOf("</script>"));
    expect(JSON.parse(json).nodes[0].name).toBe(evil);
    expect(html).not.toMatch(/src="http|href="http|@import/);
  });
});

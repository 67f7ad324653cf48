/**
 * @module cli/graph-html
 * `graph --html`: a graph-only gradient report drawn as one self-contained HTML file.
 */
import { writeFile } from "node:fs/promises";
import { renderHtmlReport } from "../report/render-html-report.js";
import { toGradientReport } from "../report/to-gradient-report.js";
import type { TraceGraph } from "../trace/module-call.js";

/** Writes the HTML report of one trace's graph to `file`. */
export async function writeGraphHtml(traceId: string, graph: TraceGraph, file: string): Promise<void> {
  const report = toGradientReport(graph);
  await writeFile(file, renderHtmlReport({ ...report, run: { ...report.run, traceId } }));
}

/**
 * @module report/write-html-report
 * Writes a run's report to disk: the HTML page and, beside it, the gradient report JSON it was drawn from.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { StoreAccessError } from "../errors.js";
import { renderHtmlReport } from "./render-html-report.js";
import type { GradientReport } from "./report-schema.js";
import { toGradientReport, type GradientReportOptions, type ReportSource } from "./to-gradient-report.js";

/** Where {@link writeHtmlReport} wrote, as absolute paths. */
export interface WrittenReport {
  readonly html: string;
  readonly json: string;
  readonly report: GradientReport;
}

/**
 * Writes the HTML report of `source` (a refine()/optimize() result, a traced run, a graph, or a report already made)
 * to `path`, and the report JSON beside it (`report.html` → `report.json`). Missing folders are created.
 *
 * @throws StoreAccessError when a file cannot be written (`cause` holds the file system's error).
 *
 * @example
 * const { html } = await writeHtmlReport(await refine(run, { loss, engine }), "reports/run.html");
 * console.log(`report: ${html}`);
 */
export async function writeHtmlReport(source: ReportSource | GradientReport, path: string, options: GradientReportOptions = {}): Promise<WrittenReport> {
  const report = isReport(source) ? source : toGradientReport(source, options);
  const html = resolve(path);
  const json = /\.html?$/i.test(html) ? html.replace(/\.html?$/i, ".json") : `${html}.json`;
  const page = renderHtmlReport(report);
  try {
    await mkdir(dirname(html), { recursive: true });
    await writeFile(html, page);
    await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  } catch (cause) {
    throw new StoreAccessError(`writeHtmlReport(): cannot write ${html} (${(cause as Error).message}); choose a writable path.`, { subject: html, cause });
  }
  return { html, json, report };
}

function isReport(x: unknown): x is GradientReport {
  // a report has a version string; nothing else toGradientReport reads does
  return typeof x === "object" && x !== null && typeof (x as { version?: unknown }).version === "string";
}

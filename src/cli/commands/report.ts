/**
 * @module cli/commands/report
 * `tracegrad report <run dir | report JSON> -o report.html`: the self-contained HTML report of a run.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { InvalidArgumentError } from "../../errors.js";
import { readGradientReport } from "../../report/read-gradient-report.js";
import { renderHtmlReport } from "../../report/render-html-report.js";
import type { GradientReport } from "../../report/report-schema.js";
import { toGradientReport, type ReportSource } from "../../report/to-gradient-report.js";
import { RUN_REPORT_FILE } from "../run-report.js";

/** The `report` command. */
export function reportCommand(): Command {
  return new Command("report")
    .description("write the HTML report of an optimize run directory, a gradient report JSON, or an optimize() result JSON")
    .argument("<path>", `a run directory (its ${RUN_REPORT_FILE}, written by tracegrad optimize) or a JSON file`)
    .requiredOption("-o, --output <file>", "the HTML file to write")
    .action(async (path: string, options: { output: string }) => {
      const report = await loadReport(path);
      await writeFile(options.output, renderHtmlReport(report));
      process.stdout.write(`wrote ${options.output} (${report.run.kind} report: ${report.nodes.length} nodes, ${report.run.steps.length} steps)\n`);
    });
}

/** A gradient report from a run directory or a JSON file (a report as written, or a plain optimize() result). */
async function loadReport(path: string): Promise<GradientReport> {
  const file = (await stat(path)).isDirectory() ? join(path, RUN_REPORT_FILE) : path;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && file !== path) {
      throw new InvalidArgumentError(`${path} has no ${RUN_REPORT_FILE}; tracegrad optimize writes it when a run ends — run it to the end (it resumes), or pass a report JSON.`, { subject: path });
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${file} is not JSON (${(error as Error).message}); pass a gradient report (JSON.stringify(toGradientReport(result))) or a run directory.`, { subject: file });
  }
  return typeof json === "object" && json !== null && "version" in json ? readGradientReport(json) : toGradientReport(json as ReportSource);
}

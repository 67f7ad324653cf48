/**
 * @module report/read-gradient-report
 * Reads a gradient report written by this or another tool, checked against the schema of its version.
 */
import { ReportFormatError } from "../errors.js";
import { GRADIENT_REPORT_VERSION, gradientReportSchema, type GradientReport } from "./report-schema.js";

/**
 * Parses and validates a gradient report: a JSON string, or a value already parsed.
 *
 * @throws ReportFormatError when the text is not JSON, the version is not {@link GRADIENT_REPORT_VERSION}, or a field
 * does not match the schema; `error.path` names the first offending field (e.g. `"nodes.2.kind"`).
 *
 * @example
 * const report = readGradientReport(await readFile("report.json", "utf8"));
 * for (const node of report.nodes) console.log(node.name, node.feedback.length);
 */
export function readGradientReport(json: unknown): GradientReport {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new ReportFormatError(`readGradientReport(): the text is not JSON (${(cause as Error).message}); pass the contents of a report file or a parsed object.`, { path: "", cause });
    }
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof value === "object" && value !== null && version !== GRADIENT_REPORT_VERSION) {
    throw new ReportFormatError(
      `readGradientReport(): version is ${JSON.stringify(version) ?? "missing"}, this tracegrad reads "${GRADIENT_REPORT_VERSION}"; write the report again with toGradientReport() of this version.`,
      { path: "version", subject: "version" },
    );
  }
  const parsed = gradientReportSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? "s" : ""})` : "";
  throw new ReportFormatError(`readGradientReport(): ${path || "the document"}: ${issue.message}${more}. Check the field against gradientReportSchema.`, { path, subject: path || undefined, cause: parsed.error });
}

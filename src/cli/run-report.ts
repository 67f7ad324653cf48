/**
 * @module cli/run-report
 * The gradient report of a finished optimize run, kept in its checkpoint directory as `report.json`, where
 * `tracegrad report <run dir>` finds it.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OptimizeResult } from "../optim/optimize/types.js";
import { toGradientReport } from "../report/to-gradient-report.js";

/** The file name of a run's report inside its checkpoint directory. */
export const RUN_REPORT_FILE = "report.json";

/** Writes `<dir>/report.json` and returns its path. */
export async function writeRunReport(result: OptimizeResult, dir: string): Promise<string> {
  const path = join(dir, RUN_REPORT_FILE);
  await writeFile(path, `${JSON.stringify(toGradientReport(result), null, 2)}\n`);
  return path;
}

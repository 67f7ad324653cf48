/**
 * @module cli/graph-html
 * `graph --html`: a graph-only report written as one self-contained HTML file.
 */
import { InvalidArgumentError } from "../errors.js";
import type { TraceGraph } from "../trace/module-call.js";

/** Writes the HTML report of one graph to `file`. */
export async function writeGraphHtml(traceId: string, graph: TraceGraph, file: string): Promise<void> {
  void traceId;
  void graph;
  throw new InvalidArgumentError(`graph --html ${file}: the HTML report is not part of this build yet; use --json or the text tree.`, { subject: "--html" });
}

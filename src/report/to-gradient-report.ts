/**
 * @module report/to-gradient-report
 * One entry point from whatever a run produced — a refine() result, an optimize() result, a traced run or a bare
 * graph — to the gradient report.
 */
import { InvalidArgumentError } from "../errors.js";
import type { RefineResult } from "../optim/refine.js";
import type { TraceGraph } from "../trace/module-call.js";
import type { TraceRun } from "../trace/run-trace.js";
import { VERSION } from "../version.js";
import { reportOfOptimize, type OptimizeReportOptions, type OptimizeResultLike } from "./from-optimize.js";
import { reportOfOutputsRefine, reportOfPromptsRefine } from "./from-refine.js";
import { graphToReport, parametersOf } from "./report-graph.js";
import { GRADIENT_REPORT_VERSION, type GradientReport } from "./report-schema.js";

/** What a gradient report can be made from. */
export type ReportSource = RefineResult<unknown> | OptimizeResultLike | TraceRun<unknown> | TraceGraph;

/** Options of {@link toGradientReport}. */
export type GradientReportOptions = OptimizeReportOptions;

/**
 * Builds the gradient report of a run: per node its kind, name, role, value (whole, or sha256 and a preview when
 * long), the feedback it received with its senders, each proposed edit with its verdict and why, and scores or loss
 * texts before and after; per run the usage and the parameters' versions and lineage.
 *
 * - `refine()` result: the initial run's graph with every module's (or prompt's) feedback and edit.
 * - `optimize()` result: every step's proposals, the score curve and the prompt lineage; pass `{ graph }` (any traced
 *   run's graph) to draw the parameters inside the agent's graph.
 * - a traced run or a graph: the graph alone.
 *
 * @throws InvalidArgumentError when `source` is none of these.
 *
 * @example
 * const refined = await refine(run, { loss, engine });
 * const report = toGradientReport(refined);
 * await writeFile("report.json", JSON.stringify(report, null, 2));
 */
export function toGradientReport(source: ReportSource, options: GradientReportOptions = {}): GradientReport {
  if (isRefineResult(source)) return source.target === "prompts" ? reportOfPromptsRefine(source, options) : reportOfOutputsRefine(source, options);
  if (isOptimizeResult(source)) return reportOfOptimize(source, options);
  const graph = isGraph(source) ? source : isGraph((source as { graph?: unknown } | null)?.graph) ? (source as TraceRun<unknown>).graph : undefined;
  if (!graph) {
    throw new InvalidArgumentError(
      "toGradientReport() needs a refine() result, an optimize() result, a traced run (trace(() => …)) or its graph; got " +
        `${source === null ? "null" : typeof source === "object" ? `an object with ${Object.keys(source).slice(0, 6).join(", ") || "no fields"}` : typeof source}.`,
      { subject: "source" },
    );
  }
  const traceId = (source as { traceId?: unknown }).traceId;
  const { nodes, edges } = graphToReport(graph);
  return {
    version: GRADIENT_REPORT_VERSION,
    run: {
      kind: "graph",
      createdAt: (options.now ?? new Date()).toISOString(),
      tracegrad: VERSION,
      ...(typeof traceId === "string" ? { traceId } : {}),
      steps: [],
      parameters: parametersOf(nodes),
      warnings: [...graph.warnings],
    },
    nodes,
    edges,
  };
}

function isRefineResult(x: unknown): x is RefineResult<unknown> {
  const r = x as Partial<RefineResult<unknown>> | null;
  return typeof r === "object" && r !== null && (r.target === "outputs" || r.target === "prompts") && typeof r.initial === "object" && r.initial !== null && isGraph(r.initial.graph);
}

function isOptimizeResult(x: unknown): x is OptimizeResultLike {
  const r = x as Partial<OptimizeResultLike> | null;
  return typeof r === "object" && r !== null && typeof r.baseline === "object" && typeof r.best === "object" && Array.isArray(r.steps);
}

function isGraph(x: unknown): x is TraceGraph {
  const g = x as Partial<TraceGraph> | null;
  return typeof g === "object" && g !== null && Array.isArray(g.nodes) && Array.isArray(g.edges) && g.variables instanceof Map;
}

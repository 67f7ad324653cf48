/**
 * @module cli/commands/graph
 * `tracegrad graph <trace file|dir>`: the rebuilt graph of each trace, as a text tree, JSON or an HTML report.
 */
import { Command } from "commander";
import { InvalidArgumentError } from "../../errors.js";
import { buildGraph } from "../../trace/build-graph.js";
import type { StoredTrace } from "../../store/stored-trace.js";
import { loadTraces } from "../load-traces.js";
import { graphJson, renderGraphText } from "../render-graph.js";

interface GraphOptions {
  readonly json?: boolean;
  readonly html?: string;
  readonly trace?: string;
}

/** The `graph` command. */
export function graphCommand(): Command {
  return new Command("graph")
    .description("show the graph rebuilt from a trace: nodes by kind, edges with kind and confidence, warnings")
    .argument("<path>", "an OTLP JSON or JSON-lines file, or a directory of them")
    .option("--trace <id>", "only the trace with this id (a file may hold many)")
    .option("--json", "print the graph as JSON (an array, one entry per trace)")
    .option("--html <file>", "write a self-contained HTML report of the graph (one trace)")
    .action(async (path: string, options: GraphOptions, command: Command) => {
      const traces = pick(await loadTraces(path), options.trace, path);
      const graphs = traces.map((t) => ({ traceId: t.traceId, graph: buildGraph(t.spans) }));
      if (options.html !== undefined) {
        if (graphs.length > 1) command.error(`error: ${path} holds ${graphs.length} traces; pick one for --html with --trace <id> (${graphs.map((g) => g.traceId).join(", ")})`);
        const { writeGraphHtml } = await import("../graph-html.js");
        await writeGraphHtml(graphs[0]!.traceId, graphs[0]!.graph, options.html);
        process.stdout.write(`wrote ${options.html}\n`);
        return;
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(graphs.map((g) => graphJson(g.traceId, g.graph)), null, 2)}\n`);
        return;
      }
      process.stdout.write(graphs.map((g) => renderGraphText(g.traceId, g.graph)).join("\n"));
    });
}

function pick(traces: StoredTrace[], id: string | undefined, path: string): StoredTrace[] {
  if (traces.length === 0) throw new InvalidArgumentError(`${path} holds no spans; pass an OTLP JSON file written by toOtlpJson() or an OpenTelemetry Collector.`, { subject: path });
  if (id === undefined) return traces;
  const found = traces.filter((t) => t.traceId === id.toLowerCase());
  if (found.length === 0) throw new InvalidArgumentError(`no trace ${id} in ${path}; it holds ${traces.map((t) => t.traceId).join(", ")}.`, { subject: id });
  return found;
}

/**
 * @module optim/optimize/agent-source
 * The agent variant's {@link RunSource} and {@link CandidateScorer}: run the user's agent on examples under trace(),
 * concurrently, with the candidate's prompt values written into the parameters first, and score each output with
 * the metric. A run that throws scores 0 and sends no feedback (its error is kept on the sample).
 */
import { createLimiter } from "../../engine/limiter.js";
import { buildGraph } from "../../trace/build-graph.js";
import type { TraceGraph } from "../../trace/module-call.js";
import { trace } from "../../trace/run-trace.js";
import type { Variable } from "../../core/variable.js";
import { readVerdict } from "./metric-result.js";
import type { AgentOptimizeOptions } from "./options.js";
import type { CandidateScorer, ParameterSet, RunSource, SampleRun } from "./sources.js";
import type { ExampleScore, ParameterValues } from "./types.js";

/** The agent's runs as a source of samples and a scorer of candidates. */
export interface AgentSource extends RunSource, CandidateScorer {
  /** Every trainable parameter the runs so far have read, by name. */
  seen(): ReadonlyMap<string, Variable>;
  /** Runs the agent on trainset examples, in order, until every parameter in `names` has been read (or none is left). */
  discover(names: readonly string[]): Promise<ReadonlyMap<string, Variable>>;
}

/** Builds the agent variant's source; `parameters` is read lazily (it is known only after discovery). */
export function agentSource<E, O>(options: AgentOptimizeOptions<E, O>, parameters: () => ParameterSet): AgentSource {
  const limit = createLimiter(options.concurrency ?? 8);
  const seen = new Map<string, Variable>();

  const runOne = async (example: E, set: string, index: number, keepGraph: boolean): Promise<SampleRun> => {
    let run;
    try {
      run = await trace(() => options.agent(example), options.output ? { output: options.output } : {});
    } catch (error) {
      return { index, score: 0, example, error: error instanceof Error ? error.message : String(error) };
    }
    for (const [name, v] of run.params) if (v.requiresGrad && !seen.has(name)) seen.set(name, v);
    const verdict = readVerdict(await options.metric(run.output, example), set, index);
    const graph: TraceGraph | undefined = !keepGraph
      ? undefined
      : options.dropEdge
        ? buildGraph(run.spans, { params: run.params, dropEdge: options.dropEdge, ...(options.output ? { output: run.graph.output.value } : {}) })
        : run.graph;
    return { index, example, ...verdict, ...(graph ? { graph } : {}) };
  };

  const runMany = async (set: "train" | "val", indices: readonly number[], values: ParameterValues | undefined, keepGraph: boolean): Promise<SampleRun[]> => {
    if (values) parameters().apply(values);
    const examples = set === "train" ? options.trainset : options.valset;
    return Promise.all(indices.map((i) => limit(() => runOne(examples[i]!, set, i, keepGraph))));
  };

  const scoresOf = (runs: readonly SampleRun[]): ExampleScore[] =>
    runs.map(({ index, score, feedback, error }) => ({ index, score, ...(feedback === undefined ? {} : { feedback }), ...(error === undefined ? {} : { error }) }));

  return {
    samples: (indices, values) => runMany("train", indices, values, true),
    train: async (indices, values) => scoresOf(await runMany("train", indices, values, false)),
    validate: async (values) => scoresOf(await runMany("val", options.valset.map((_, i) => i), values, false)),
    seen: () => seen,
    async discover(names) {
      for (let i = 0; i < options.trainset.length && !names.every((n) => seen.has(n)); i++) await runOne(options.trainset[i]!, "train", i, false);
      return seen;
    },
  };
}

/**
 * @module optim/optimize/traces-source
 * The traces variant's {@link RunSource} and {@link CandidateScorer}. Training samples are the stored runs
 * themselves: each run's graph is rebuilt from its spans with the prompts being optimized bound in, and its recorded
 * feedback becomes the loss (at the output, or at the span it was about). Candidates are scored against the recorded
 * runs, pairwise: by counterfactual replay of the model calls that read a changed prompt (`agentEngine`), or by
 * re-running the agent on the recorded input (`agent`); a judge says which version better answers the feedback.
 */
import { toEngine } from "../../engine/engine-like.js";
import { createLimiter } from "../../engine/limiter.js";
import type { Engine, EngineRequest } from "../../engine/types.js";
import { renderRecordedFeedback } from "../../prompts/recorded-feedback.js";
import { buildGraph } from "../../trace/build-graph.js";
import type { TraceGraph } from "../../trace/module-call.js";
import { trace } from "../../trace/run-trace.js";
import type { Variable } from "../../core/variable.js";
import { InvalidArgumentError } from "../../errors.js";
import { replayChanged } from "./counterfactual-replay.js";
import { feedbackLoss } from "./feedback-loss.js";
import { pairwiseScore, type ComparedStep } from "./pairwise-verdict.js";
import type { CandidateScorer, ParameterSet, RunSource, SampleRun } from "./sources.js";
import type { LoadedExample } from "./trace-examples.js";
import type { TracesOptimizeOptions } from "./traces-options.js";
import type { ExampleScore, ParameterValues } from "./types.js";

/** What {@link tracesSource} needs. */
export interface TracesSourceInput {
  readonly options: TracesOptimizeOptions;
  readonly train: readonly LoadedExample[];
  readonly val: readonly LoadedExample[];
  readonly parameters: ParameterSet;
  readonly perfectScore: number;
  readonly warn: (warning: string) => void;
  /** Per trace id: prompts its runs used without naming them, by the text they recorded (matched to a registry version). */
  readonly recordedByValue?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The source, the scorer, and where the loop hands over its metered engine (the judge uses it unless `judge` is given). */
export interface TracesSource extends RunSource, CandidateScorer {
  useEngine(engine: Engine): void;
  /** Puts the agent's prompts back under the registry's control (agent mode). */
  release(): void;
}

/** Builds the traces variant's source and scorer. */
export function tracesSource(input: TracesSourceInput): TracesSource {
  const { options, parameters, perfectScore, warn } = input;
  const limit = createLimiter(options.concurrency ?? 8);
  const oneAtATime = createLimiter(1);
  let judge: Engine = toEngine(options.judge ?? options.engine, "optimize()", options.judge ? "judge" : "engine", "optimize()");
  const agentEngine = options.agentEngine ? toEngine(options.agentEngine, "optimize()", "agentEngine", "optimize()") : undefined;
  const replies = new Map<string, Promise<string>>(); // pure cache: one replayed call per (span, system prompt)
  const reruns = new Map<string, Promise<string>>(); // agent mode: one re-run per (run, prompt values)
  let agentParams: Map<string, Variable> | undefined;
  const seed = String(options.seed ?? 0);

  const graphOf = (e: LoadedExample): TraceGraph => {
    // a prompt matched by value is bound while its Variable holds the recorded text (buildGraph matches the exact
    // system prompt), then it gets the candidate's text back; buildGraph is synchronous, so nothing sees the swap
    const swapped: Array<[Variable, string]> = [];
    for (const [name, text] of input.recordedByValue?.get(e.trace.traceId) ?? []) {
      const v = parameters.variables.get(name);
      if (!v) continue;
      swapped.push([v, v.value]);
      v.setValue(text);
    }
    try {
      return buildGraph(e.trace.spans, { params: parameters.variables, onWarning: (w) => warn(`trace ${e.trace.traceId}: ${w}`) });
    } finally {
      for (const [v, value] of swapped) v.setValue(value);
    }
  };

  const ask = (key: string, request: EngineRequest): Promise<string> => {
    let reply = replies.get(key);
    if (!reply) replies.set(key, (reply = agentEngine!.generate(request).then((r) => r.text)));
    return reply;
  };

  const changedSteps = async (e: LoadedExample, values: ParameterValues): Promise<readonly ComparedStep[]> => {
    if (agentEngine) {
      const replay = await replayChanged(graphOf(e), values, ask);
      for (const name of replay.unreplayable) {
        warn(`optimize(): prompt "${name}" changed but reaches no recorded model call in trace ${e.trace.traceId} that can be asked again (record the model calls, e.g. with instrumentLangChain(), or pass { agent } to re-run whole runs); that run counts as unchanged`);
      }
      return replay.changed;
    }
    const graph = graphOf(e);
    const recorded = graph.output.value;
    const after = await rerun(e, graph, values);
    return after.trim() === recorded.trim() ? [] : [{ name: "the run's final output", before: recorded, after }];
  };

  const rerun = async (e: LoadedExample, graph: TraceGraph, values: ParameterValues): Promise<string> => {
    const runInput = graph.nodes.find((n) => n.kind === "input")?.value ?? e.example.input;
    const key = `${e.trace.traceId}\u0000${JSON.stringify(values)}`;
    let out = reruns.get(key);
    if (!out) {
      reruns.set(
        key,
        (out = (async () => {
          const params = await agentParamsFor(runInput);
          for (const [name, v] of params) if (values[name] !== undefined && values[name] !== v.value) v.setValue(values[name]!);
          const run = await trace(() => options.agent!(runInput));
          return run.graph.output.value;
        })()),
      );
    }
    return out;
  };

  // the agent reads the registry's own params: one run finds them, so candidates can be written into them
  const agentParamsFor = async (runInput: string): Promise<Map<string, Variable>> => {
    if (agentParams) return agentParams;
    const run = await trace(() => options.agent!(runInput));
    const found = new Map<string, Variable>();
    for (const name of parameters.names) {
      const v = run.params.get(name);
      if (v) found.set(name, v);
    }
    const missing = parameters.names.filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw new InvalidArgumentError(
        `optimize({ traces, agent }): the agent did not read the prompt(s) ${missing.map((n) => `"${n}"`).join(", ")} when re-run, so candidates cannot reach it; read them with registry.param(name, …).value inside the agent.`,
        { subject: "agent" },
      );
    }
    agentParams = found;
    return found;
  };

  const score = async (examples: readonly LoadedExample[], indices: readonly number[], values: ParameterValues): Promise<ExampleScore[]> =>
    // agent mode writes candidate values into the agent's prompts: one run at a time keeps runs from mixing candidates
    Promise.all(
      indices.map((i) =>
        (agentEngine ? limit : oneAtATime)(async () => {
          const e = examples[i]!;
          const steps = await changedSteps(e, values);
          const s = await pairwiseScore({
            judge,
            task: e.example.input,
            feedback: renderRecordedFeedback(e.records, perfectScore),
            steps,
            seed: `${seed}:${e.trace.traceId}`,
            warn,
          });
          return { index: i, score: s };
        }),
      ),
    );

  return {
    async samples(indices) {
      return indices.map((i): SampleRun => {
        const e = input.train[i]!;
        const graph = graphOf(e);
        return {
          index: i,
          example: e.example,
          score: e.score,
          feedback: renderRecordedFeedback(e.records, perfectScore),
          graph,
          loss: () => feedbackLoss(graph, e.records, perfectScore, warn),
        };
      });
    },
    validate: (values) => score(input.val, input.val.map((_, i) => i), values),
    train: (indices, values) => score(input.train, indices, values),
    useEngine(engine) {
      if (!options.judge) judge = engine;
    },
    release() {
      for (const v of agentParams?.values() ?? []) (v as { followRegistry?: () => void }).followRegistry?.();
    },
  };
}

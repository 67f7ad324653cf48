/**
 * @module optim/optimize/sources
 * The two narrow seams of the loop, kept apart so another variant can supply its own:
 * - {@link RunSource}: where the training samples that feedback comes from are produced (the agent variant runs the
 *   agent under trace(); the traces variant reads stored runs and their recorded feedback);
 * - {@link CandidateScorer}: how a candidate set of prompts is scored (the agent variant re-runs the agent; the traces
 *   variant replays stored runs counterfactually and asks a pairwise judge).
 * The loop (optim/optimize/loop) sees only these two interfaces and the parameter set.
 */
import type { TraceGraph } from "../../trace/module-call.js";
import type { Variable } from "../../core/variable.js";
import type { ExampleScore, ParameterValues } from "./types.js";

/** One scored training sample with the graph its backward starts from (absent when the run failed). */
export interface SampleRun extends ExampleScore {
  readonly example: unknown;
  readonly graph?: TraceGraph;
  /** The sample's own loss (stored feedback placed on its graph); default: the metric's verdict on the output. */
  readonly loss?: () => Variable | PromiseLike<Variable>;
}

/** Produces scored training samples, each with its traced graph, under given prompt values. */
export interface RunSource {
  samples(indices: readonly number[], values: ParameterValues): Promise<SampleRun[]>;
}

/** Scores a candidate set of prompt values, per example, on the valset or on training examples. */
export interface CandidateScorer {
  validate(values: ParameterValues): Promise<ExampleScore[]>;
  train(indices: readonly number[], values: ParameterValues): Promise<ExampleScore[]>;
}

/** The prompts being optimized, by name: the user's own Variables, so writing a value changes what the agent reads. */
export interface ParameterSet {
  readonly names: readonly string[];
  readonly variables: ReadonlyMap<string, Variable>;
  /** Writes `values` into the Variables (names not in the set are ignored). */
  apply(values: ParameterValues): void;
  /** The Variables' current values. */
  read(): ParameterValues;
}

/** A {@link ParameterSet} over `variables` (named by their ids). */
export function parameterSet(variables: readonly Variable[]): ParameterSet {
  const byName = new Map<string, Variable>();
  for (const v of variables) byName.set(v.id ?? v.role, v);
  const names = [...byName.keys()].sort();
  return {
    names,
    variables: byName,
    apply(values) {
      for (const [name, v] of byName) {
        const value = values[name];
        if (value !== undefined && value !== v.value) v.setValue(value);
      }
    },
    read() {
      return Object.fromEntries(names.map((n) => [n, byName.get(n)!.value]));
    },
  };
}

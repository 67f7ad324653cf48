/**
 * @module optim/optimize/options
 * The options of optimize(), typed and checked with zod before anything runs. Today there is one variant — an agent
 * that optimize() runs on a trainset and a valset; the type is a union so a second variant (stored traces with
 * feedback, told apart by `traces` instead of `agent`) can be added beside it without changing this one.
 */
import { z } from "zod";
import type { Variable } from "../../core/variable.js";
import type { EngineLike } from "../../engine/engine-like.js";
import type { ModelPrice, UsageBudget } from "../../engine/usage.js";
import { InvalidArgumentError, NoEngineError } from "../../errors.js";
import type { BuildGraphOptions } from "../../trace/build-graph.js";
import type { OptimizeEvent } from "./types.js";

/** What a metric returns: a score, or a score with words saying what was wrong. */
export type MetricResult = number | { readonly score: number; readonly feedback?: string };

/** One scored sample, as a custom `loss` sees it. */
export interface ScoredSample<E> {
  readonly example: E;
  readonly score: number;
  readonly feedback?: string;
}

/** The overfitting guard's settings (`guard: false` turns it off). */
export interface GuardOptions {
  /** A training answer at least this long (characters) found in a proposal, and not in the value before, rejects it. Default 4. */
  readonly minAnswerChars?: number;
  /** A run of this many consecutive words of a training input found in a proposal rejects it. Default 8. */
  readonly minSpanWords?: number;
}

/** Options shared by every variant of optimize(). */
export interface OptimizeOptionsBase<E> {
  /** Examples the minibatches are drawn from (any shape). */
  readonly trainset: readonly E[];
  /** Examples every candidate is scored on (any shape). Nothing here is ever a test set. */
  readonly valset: readonly E[];
  /** The prompts to optimize. Default: every `param()` the traced runs read. */
  readonly parameters?: readonly Variable[];
  /** The engine for backward, reduce and the updates (the agent keeps its own models). */
  readonly engine: EngineLike;
  /** How many steps. Default 10. On resume, the total (decided steps count). */
  readonly steps?: number;
  /** Minibatch size. Default 4 (capped at the trainset's size). */
  readonly batchSize?: number;
  /** "greedy" (default): one current candidate, gated on the valset. "pareto": a pool with a per-example front. */
  readonly selection?: "greedy" | "pareto";
  /** Validation gate. Default true. `false` accepts every candidate. */
  readonly gate?: boolean;
  /** A directory for the journal and the optimizer's call cache; an existing journal is resumed. */
  readonly checkpointDir?: string;
  /** A hard cap on the optimizer's own spend (resumed sessions' spend counts). Hitting it ends the run cleanly. */
  readonly budget?: UsageBudget;
  /** USD per 1M tokens by model name, for `usage.cost` and `budget.maxCost`. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Receives start, progress, step and end events. A throwing handler stops optimize() with its error. */
  readonly onEvent?: (event: OptimizeEvent) => void;
  /** Seed of the minibatch sampling and the Pareto parent choice. Default 0. */
  readonly seed?: number;
  /** The metric's name, checked on resume. Default: the metric function's name. */
  readonly metricName?: string;
  /** The score of a perfect sample (it sends no feedback). Default 1. */
  readonly perfectScore?: number;
  /** How many agent runs and engine calls at once. Default 8. */
  readonly concurrency?: number;
  /** Natural-language constraints every proposed value must follow. */
  readonly constraints?: readonly string[];
  /** Drop edges from each run's graph before backward (e.g. to cut the feedback path on purpose). */
  readonly dropEdge?: BuildGraphOptions["dropEdge"];
  /** The overfitting guard; `false` turns it off. */
  readonly guard?: GuardOptions | false;
}

/** optimize() over an agent it runs itself: each minibatch and each candidate's validation re-run the agent. */
export interface AgentOptimizeOptions<E, O> extends OptimizeOptionsBase<E> {
  /** Runs one example; optimize() runs it under trace(). */
  readonly agent: (example: E) => O | PromiseLike<O>;
  /** Scores one output: a number, or `{ score, feedback }`. */
  readonly metric: (output: Awaited<O>, example: E) => MetricResult | PromiseLike<MetricResult>;
  /** Picks the output text a loss sees from what the agent returned (as trace()'s `output`). */
  readonly output?: (result: Awaited<O>) => string;
  /**
   * Builds the loss on a failing sample's output. Default: the metric's score and feedback delivered to the output as
   * its feedback (no engine call). Pass e.g. `(out) => new TextLoss("…", { engine }).forward(out)` for an LLM judge.
   */
  readonly loss?: (output: Variable, sample: ScoredSample<E>) => Variable | PromiseLike<Variable>;
}

/** The options of optimize(). A union by variant: today only the agent variant (`agent`). */
export type OptimizeOptions<E, O> = AgentOptimizeOptions<E, O>;

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { message: `must be a function (${what})` });
const count = (min: number) => z.number().int().min(min);

const AgentOptionsSchema = z.strictObject({
  agent: fn("(example) => output"),
  trainset: z.array(z.unknown()).min(1, { message: "needs at least one example" }),
  valset: z.array(z.unknown()).min(1, { message: "needs at least one example" }),
  metric: fn("(output, example) => score or { score, feedback }"),
  parameters: z.array(z.custom<Variable>((v) => typeof v === "object" && v !== null && typeof (v as Variable).setValue === "function", { message: "must be Variables (param() prompts)" })).min(1).optional(),
  engine: z.custom<EngineLike>((v) => typeof v === "object" && v !== null && (typeof (v as { generate?: unknown }).generate === "function" || typeof (v as { invoke?: unknown }).invoke === "function"), {
    message: "must be an Engine (an object with generate(request)) or a LangChain chat model",
  }),
  steps: count(0).optional(),
  batchSize: count(1).optional(),
  selection: z.enum(["greedy", "pareto"]).optional(),
  gate: z.boolean().optional(),
  checkpointDir: z.string().min(1).optional(),
  budget: z.strictObject({ maxCalls: z.number().min(0).optional(), maxTokens: z.number().min(0).optional(), maxCost: z.number().min(0).optional() }).optional(),
  prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })).optional(),
  onEvent: fn("(event) => void").optional(),
  seed: z.number().int().optional(),
  metricName: z.string().min(1).optional(),
  perfectScore: z.number().optional(),
  concurrency: count(1).optional(),
  constraints: z.array(z.string()).optional(),
  dropEdge: fn("(edge, ends) => boolean").optional(),
  guard: z.union([z.literal(false), z.strictObject({ minAnswerChars: count(1).optional(), minSpanWords: count(2).optional() })]).optional(),
  output: fn("(result) => string").optional(),
  loss: fn("(output, sample) => loss Variable").optional(),
});

/** Every option name of the agent variant, for messages. */
export const AGENT_OPTION_NAMES: readonly string[] = Object.keys(AgentOptionsSchema.shape);

/**
 * Checks optimize()'s options before anything runs: a misspelt option, a wrong type or a value out of range is an
 * InvalidArgumentError naming the option and what it accepts; a missing engine is a NoEngineError.
 */
export function checkOptions<E, O>(options: OptimizeOptions<E, O>): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("optimize(options) needs an options object: optimize({ agent, trainset, valset, metric, engine }).", { subject: "options" });
  }
  if ("traces" in options && !("agent" in options)) {
    throw new InvalidArgumentError("optimize({ traces }) — optimizing from stored traces — is not available in this version; pass { agent, trainset, valset, metric } to run the agent.", {
      subject: "traces",
    });
  }
  if ((options as { engine?: unknown }).engine === undefined || (options as { engine?: unknown }).engine === null) {
    throw new NoEngineError("optimize() needs an engine for backward and the updates — pass { engine } (the agent keeps its own models).", { subject: "engine" });
  }
  const parsed = AgentOptionsSchema.safeParse(options);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    const at = issue.path.map(String).join(".");
    const known = at === "" ? AGENT_OPTION_NAMES : Object.keys((valueAt(AgentOptionsSchema.shape, [...issue.path, "def", "innerType", "shape"]) as object | undefined) ?? {});
    throw new InvalidArgumentError(`optimize(): unknown option${issue.keys.length > 1 ? "s" : ""} ${at === "" ? "" : `in ${at}: `}${keys}; the options are: ${known.join(", ")}.`, {
      subject: at === "" ? issue.keys[0]! : `${at}.${issue.keys[0]!}`,
    });
  }
  const field = issue.path.map(String).join(".") || "options";
  const got = valueAt(options, issue.path);
  throw new InvalidArgumentError(`optimize(): ${field} ${describeIssue(issue)} (got ${describe(got)}).`, { subject: field });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small") return `must be ${issue.origin === "array" ? "an array with at least" : "at least"} ${String(issue.minimum)}${issue.origin === "array" ? " item(s)" : ""}`;
  if (issue.code === "invalid_type") return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
  return issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) v = v === null || typeof v !== "object" ? undefined : (v as Record<PropertyKey, unknown>)[key];
  return v;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "function" ? "a function" : "an object";
}

/**
 * @module optim/optimize/options
 * The options of optimize(), typed and checked with zod before anything runs. Two variants: an agent that optimize()
 * runs on a trainset and a valset, and stored traces with recorded feedback (optim/optimize/traces-options), told
 * apart by `traces` instead of `agent`.
 */
import { z } from "zod";
import type { Variable } from "../../core/variable.js";
import { InvalidArgumentError, NoEngineError } from "../../errors.js";
import type { OptimizeOptionsBase } from "./base-options.js";
import { engineLike, fn, loopOptionFields } from "./base-schema.js";
import { TracesOptionsSchema, type TracesOptimizeOptions } from "./traces-options.js";

export type { GuardOptions, OptimizeOptionsBase } from "./base-options.js";

/** What a metric returns: a score, or a score with words saying what was wrong. */
export type MetricResult = number | { readonly score: number; readonly feedback?: string };

/** One scored sample, as a custom `loss` sees it. */
export interface ScoredSample<E> {
  readonly example: E;
  readonly score: number;
  readonly feedback?: string;
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

/** The options of optimize(), by variant: an agent it runs (`agent`), or stored traces and feedback (`traces`). */
export type OptimizeOptions<E, O> = AgentOptimizeOptions<E, O> | TracesOptimizeOptions;

/** True for the traces variant. */
export function isTracesOptions<E, O>(options: OptimizeOptions<E, O>): options is TracesOptimizeOptions {
  return typeof options === "object" && options !== null && "traces" in options && !("trainset" in options);
}

const AgentOptionsSchema = z.strictObject({
  agent: fn("(example) => output"),
  trainset: z.array(z.unknown()).min(1, { message: "needs at least one example" }),
  valset: z.array(z.unknown()).min(1, { message: "needs at least one example" }),
  metric: fn("(output, example) => score or { score, feedback }"),
  parameters: z.array(z.custom<Variable>((v) => typeof v === "object" && v !== null && typeof (v as Variable).setValue === "function", { message: "must be Variables (param() prompts)" })).min(1).optional(),
  engine: engineLike(),
  ...loopOptionFields,
  metricName: z.string().min(1).optional(),
  dropEdge: fn("(edge, ends) => boolean").optional(),
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
  if ((options as { engine?: unknown }).engine === undefined || (options as { engine?: unknown }).engine === null) {
    throw new NoEngineError("optimize() needs an engine for backward and the updates — pass { engine } (the agent keeps its own models).", { subject: "engine" });
  }
  if (isTracesOptions(options)) {
    throwOnIssue(TracesOptionsSchema, options);
    const given = [options.agentEngine, options.agent].filter((x) => x !== undefined).length;
    if (given !== 1) {
      throw new InvalidArgumentError(
        given === 0
          ? "optimize({ traces }) needs a way to try candidates: pass { agentEngine } (the agent's model; the calls that read a changed prompt are re-run on their recorded inputs) or { agent } (whole runs re-run on the recorded inputs)."
          : "optimize({ traces }): pass { agentEngine } or { agent }, not both — one way of trying candidates.",
        { subject: given === 0 ? "agentEngine" : "agent" },
      );
    }
    return;
  }
  throwOnIssue(AgentOptionsSchema, options);
}

/** Throws an InvalidArgumentError naming the first problem `schema` finds in `options`. */
function throwOnIssue(schema: typeof AgentOptionsSchema | typeof TracesOptionsSchema, options: object): void {
  const parsed = schema.safeParse(options);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    const at = issue.path.map(String).join(".");
    const known = at === "" ? Object.keys(schema.shape) : Object.keys((valueAt(schema.shape, [...issue.path, "def", "innerType", "shape"]) as object | undefined) ?? {});
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

/**
 * @module optim/refine
 * Post-hoc refinement of one traced run, Chameleon-style ("textual coordinate descent"): for each module in execution
 * order, compute the loss on the final output, send feedback backwards, rewrite that module's output with TGD, then
 * re-run only what lies downstream — upstream calls are replayed from the trace, not called again.
 * With `target: "prompts"` the run's prompts are rewritten instead, and the diff is reported.
 */
import type { Engine } from "../engine/types.js";
import type { Variable } from "../core/variable.js";
import { InvalidArgumentError } from "../errors.js";
import { withUsage } from "../engine/usage.js";
import { TGD } from "./tgd.js";
import { buildGraph, type BuildGraphOptions } from "../trace/build-graph.js";
import type { ModuleCall, TraceGraph } from "../trace/module-call.js";
import type { TraceRun } from "../trace/run-trace.js";
import { callKeyOf, downstreamReplay } from "./replay-plan.js";

/** Options of {@link refine}. */
export interface RefineOptions {
  /** Computes the loss on the run's final output (e.g. a TextLoss). Called once per module per round. */
  readonly loss: (output: Variable) => Promise<Variable>;
  /** The engine for backward and the updates (the agent keeps its own models). */
  readonly engine: Engine;
  /** Names of the modules to refine, in any order (they are visited in execution order). Default: every top-level module. */
  readonly modules?: readonly string[];
  /** How many passes over the modules. Default 1. */
  readonly rounds?: number;
  /** "outputs" (default) rewrites module outputs; "prompts" rewrites the run's parameters. */
  readonly target?: "outputs" | "prompts";
  /** Natural-language constraints for the optimizer. */
  readonly constraints?: readonly string[];
  /** Backward/optimizer concurrency. Default 8. */
  readonly concurrency?: number;
  /** Drop edges from the rebuilt graphs (e.g. to cut a path on purpose and see that nothing is fixed). */
  readonly dropEdge?: BuildGraphOptions["dropEdge"];
}

/** What happened to one module. */
export interface ModuleRefinement {
  readonly module: string;
  readonly callIndex: number;
  readonly round: number;
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
  /** The feedback the module's output received, in order. */
  readonly feedback: readonly string[];
}

/** What happened to one prompt (with `target: "prompts"`). */
export interface PromptRefinement {
  readonly id: string;
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
  readonly feedback: readonly string[];
}

/** The outcome of {@link refine}. */
export interface RefineResult<T = unknown> {
  /** The run as it ended: after the last re-run (outputs), or re-run once with the new prompts. */
  readonly run: TraceRun<T>;
  readonly initial: TraceRun<T>;
  readonly modules: readonly ModuleRefinement[];
  readonly prompts: readonly PromptRefinement[];
  /** Engine calls and tokens spent by refinement (losses, backward, updates); the agent's own calls are not counted. */
  readonly usage: { readonly calls: number; readonly inputTokens: number; readonly outputTokens: number };
}

/**
 * Refines one traced run, module by module, in execution order.
 *
 * @example
 * const run = await trace(() => agent.solve(question));
 * const refined = await refine(run, { loss: (out) => new TextLoss(`Is this the right answer to: ${question}?`, { engine }).forward(out), engine });
 * console.log(refined.run.output, refined.modules.filter((m) => m.changed));
 */
export async function refine<T>(run: TraceRun<T>, options: RefineOptions): Promise<RefineResult<T>> {
  if (!run || typeof run.rerun !== "function") {
    throw new InvalidArgumentError("refine() needs a run returned by trace(() => …): it re-runs the agent downstream of each refined module.", { subject: "run" });
  }
  const metered = withUsage(options.engine);
  const opts = { ...options, engine: metered };
  const result =
    options.target === "prompts" ? await refinePrompts(run, opts) : await refineOutputs(run, opts);
  const u = metered.usage;
  return { ...result, initial: run, usage: { calls: u.calls, inputTokens: u.inputTokens, outputTokens: u.outputTokens } };
}

type Outcome<T> = Pick<RefineResult<T>, "run" | "modules" | "prompts">;

async function refineOutputs<T>(run: TraceRun<T>, options: RefineOptions): Promise<Outcome<T>> {
  const targets = refinableCalls(run.graph, options.modules);
  const modules: ModuleRefinement[] = [];
  let current = run;
  for (let round = 1; round <= (options.rounds ?? 1); round++) {
    for (const { name, index } of targets) {
      const graph = rebuild(current, options);
      const call = graph.calls.find((c) => {
        const key = callKeyOf(c);
        return key?.name === name && key.index === index;
      });
      const variable = call ? graph.variables.get(call.spanId) : undefined;
      if (!call || !variable) continue; // the re-run took another path and never reached this call
      const before = variable.value;
      await backwardFromLoss(graph, options);
      const feedback = variable.gradients.map((g) => g.text);
      const [proposal] = feedback.length > 0 ? await optimizerFor([variable], options).propose() : [];
      const after = proposal?.value ?? before;
      const changed = after !== before;
      modules.push({ module: name, callIndex: index, round, before, after, changed, feedback });
      if (changed) current = await current.rerun({ replay: downstreamReplay(graph.calls, call, after, recordedOutput(current)) });
    }
  }
  return { run: current, modules, prompts: [] };
}

async function refinePrompts<T>(run: TraceRun<T>, options: RefineOptions): Promise<Outcome<T>> {
  const prompts: PromptRefinement[] = [];
  let current = run;
  for (let round = 1; round <= (options.rounds ?? 1); round++) {
    const graph = rebuild(current, options);
    if (graph.parameters.length === 0) {
      throw new InvalidArgumentError("refine({ target: \"prompts\" }) found no prompts in the run: declare them with param() and pass them to traceModule(…, { params }) or tracegradMiddleware({ systemPrompt }).", { subject: "target" });
    }
    await backwardFromLoss(graph, options);
    const feedback = new Map(graph.parameters.map((p) => [p, p.gradients.map((g) => g.text)]));
    const before = new Map(graph.parameters.map((p) => [p, p.value]));
    const proposals = await optimizerFor(graph.parameters, options).step();
    for (const p of graph.parameters) {
      const after = proposals.find((x) => x.parameter === p)?.value ?? p.value;
      prompts.push({ id: p.id ?? p.role, before: before.get(p)!, after, changed: after !== before.get(p), feedback: feedback.get(p)! });
    }
    for (const p of graph.parameters) p.zeroGrad();
    if (proposals.length === 0) break;
    current = await current.rerun({});
  }
  return { run: current, modules: [], prompts };
}

/** Top-level keyed calls in execution order, optionally only the named modules. */
function refinableCalls(graph: TraceGraph, only: readonly string[] | undefined): Array<{ name: string; index: number }> {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const keyed = graph.calls.filter((c) => nodeIds.has(c.spanId) && callKeyOf(c) !== undefined);
  const keyedIds = new Set(keyed.map((c) => c.spanId));
  const bySpan = new Map(graph.calls.map((c) => [c.spanId, c]));
  const nested = (c: ModuleCall) => {
    for (let p = c.parentSpanId; p; p = bySpan.get(p)?.parentSpanId) if (keyedIds.has(p)) return true;
    return false;
  };
  const known = new Set(keyed.map((c) => callKeyOf(c)!.name));
  for (const name of only ?? []) {
    if (!known.has(name)) {
      throw new InvalidArgumentError(`refine() was asked to refine module "${name}", but the run has no such traced call; it has: ${[...known].join(", ") || "(none)"}.`, { subject: name });
    }
  }
  return keyed
    .filter((c) => !nested(c) && (only === undefined || only.includes(callKeyOf(c)!.name)))
    .map((c) => callKeyOf(c)!);
}

function rebuild<T>(run: TraceRun<T>, options: RefineOptions): TraceGraph {
  if (!options.dropEdge) return run.graph;
  return buildGraph(run.spans, { params: run.params, dropEdge: options.dropEdge });
}

async function backwardFromLoss(graph: TraceGraph, options: RefineOptions): Promise<void> {
  for (const v of graph.variables.values()) v.zeroGrad();
  const loss = await options.loss(graph.output);
  await loss.backward({ engine: options.engine, concurrency: options.concurrency });
}

function optimizerFor(parameters: readonly Variable[], options: RefineOptions): TGD {
  return new TGD({
    parameters: [...parameters],
    engine: options.engine,
    constraints: options.constraints,
    concurrency: options.concurrency,
  });
}

/**
 * What a replayed call hands back: the live value it returned when the run kept one; for a model call, its recorded
 * reply message (tool calls included, or a replayed agent would take another path); else its recorded text.
 */
function recordedOutput<T>(run: TraceRun<T>): (call: ModuleCall) => unknown {
  return (call) => {
    if (run.values?.has(call.spanId)) return run.values.get(call.spanId);
    const message = call.kind === "llm" ? call.outputMessages?.at(-1) : undefined;
    return message ?? call.output;
  };
}

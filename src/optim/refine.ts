/**
 * @module optim/refine
 * Post-hoc refinement of one traced run, Chameleon-style ("textual coordinate descent"): for each module in execution
 * order, compute the loss on the final output, send feedback backwards, rewrite that module's output with TGD, then
 * re-run only what lies downstream — upstream calls are replayed from the trace, not called again.
 * With `target: "prompts"` the run's prompts are rewritten instead, and the diff is reported.
 */
import type { Engine } from "../engine/types.js";
import type { Variable } from "../core/variable.js";
import type { Gradient } from "../core/feedback.js";
import { InvalidArgumentError } from "../errors.js";
import { withUsage } from "../engine/usage.js";
import { withCache } from "../engine/cache.js";
import { TGD } from "./tgd.js";
import { checkRefineOptions, type RefineOptions } from "./refine-options.js";
import { buildGraph } from "../trace/build-graph.js";
import type { ModuleCall, TraceGraph } from "../trace/module-call.js";
import type { TraceRun } from "../trace/run-trace.js";
import { callKeyOf, downstreamReplay } from "./replay-plan.js";
import { toEditable } from "./editable-value.js";
import { toolSpecsOf } from "./tool-specs.js";

export type { RefineOptions, RefineTarget } from "./refine-options.js";

/** What happened to one module. */
export interface ModuleRefinement {
  readonly module: string;
  readonly callIndex: number;
  readonly round: number;
  /** The output as the optimizer saw it: a string as it is; a message as its content and `<TOOL_CALL>` blocks; JSON indented. */
  readonly before: string;
  /** The output the re-run got, in the same form (parts of the proposal that could not be used are as they were). */
  readonly after: string;
  /** What the optimizer proposed, before it was rebuilt into a value of the output's shape. */
  readonly proposed: string;
  /** True when the re-run really used the refined output: its call was replayed with the new value. */
  readonly changed: boolean;
  /** The feedback the module's output received, in order. */
  readonly feedback: readonly string[];
  /** The same feedback with where each piece came from (the sender's role, how the output was used). */
  readonly gradients: readonly Gradient[];
  /** The loss (its text) on the run's final output before this module's update: what its feedback answered. */
  readonly evaluationBefore: string;
  /** Parts of the proposal that were not used, and why (e.g. tool-call arguments that do not fit the tool's schema). */
  readonly issues: readonly string[];
  /** The loss (its text) on the run's final output after this module's update and re-run. */
  readonly evaluation: string;
}

/** What happened to one prompt (with `target: "prompts"`). */
export interface PromptRefinement {
  readonly id: string;
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
  readonly feedback: readonly string[];
  /** The pass over the run (1-based) this update was made in. */
  readonly round: number;
  /** The same feedback with where each piece came from (the sender's role, how the prompt was used). */
  readonly gradients: readonly Gradient[];
  /** The loss (its text) on the run's final output that this round's feedback came from. */
  readonly evaluation: string;
}

/** The feedback one node of a round's graph received on the way back to the prompts (with `target: "prompts"`). */
export interface NodeFeedback {
  readonly round: number;
  /** The node's id in that round's graph (`run.initial.graph` for round 1). */
  readonly nodeId: string;
  /** The node's name (a module's name), to find it in another round's graph. */
  readonly name: string;
  readonly gradients: readonly Gradient[];
}

/** Fields every {@link RefineResult} has, whatever its target. */
interface RefineResultBase<T> {
  /** The run as it ended: after the last re-run (outputs), or re-run once with the new prompts. */
  readonly run: TraceRun<T>;
  readonly initial: TraceRun<T>;
  /** Engine calls and tokens spent by refinement (losses, backward, updates); the agent's own calls are not counted. */
  readonly usage: { readonly calls: number; readonly inputTokens: number; readonly outputTokens: number };
}

/** The outcome of `refine(run, { target: "outputs" })` (the default): what happened to each module's output. */
export interface OutputsRefineResult<T = unknown> extends RefineResultBase<T> {
  readonly target: "outputs";
  readonly modules: readonly ModuleRefinement[];
  /** The loss (its text) on the final run's output: what refinement verified at the end. */
  readonly evaluation: string;
}

/** The outcome of `refine(run, { target: "prompts" })`: what happened to each prompt, round by round. */
export interface PromptsRefineResult<T = unknown> extends RefineResultBase<T> {
  readonly target: "prompts";
  readonly prompts: readonly PromptRefinement[];
  /** Feedback every non-prompt node received, round by round: the path the prompts' feedback travelled. */
  readonly nodeFeedback: readonly NodeFeedback[];
}

/** The outcome of {@link refine}; `target` tells the two kinds apart. */
export type RefineResult<T = unknown> = OutputsRefineResult<T> | PromptsRefineResult<T>;

/**
 * Refines one traced run, module by module, in execution order. Each module's output is edited as text — a message
 * as its content and `<TOOL_CALL>` blocks, a LangGraph update or Command as its messages — and replayed as a value of
 * the same shape; edited tool-call arguments that do not fit the tool's schema are kept as they were and reported in
 * `issues`. After each re-run the loss is evaluated again (`modules[i].evaluation`, `evaluation`).
 *
 * @throws InvalidArgumentError when the run has no replayable call (wrap modules with traceModule, or give a
 * createAgent agent tracegradMiddleware), or names a module the run does not have.
 *
 * @example
 * const run = await trace(() => agent.solve(question));
 * const refined = await refine(run, { loss: (out) => new TextLoss(`Is this the right answer to: ${question}?`, { engine }).forward(out), engine });
 * console.log(refined.run.output, refined.modules.filter((m) => m.changed));
 */
export function refine<T>(run: TraceRun<T>, options: RefineOptions & { readonly target?: "outputs" }): Promise<OutputsRefineResult<T>>;
/**
 * Refines the prompts behind one traced run: backward from the loss to the run's parameters, one TGD step, one re-run
 * per round. The user's own parameter Variables are updated.
 *
 * @example
 * const refined = await refine(run, { loss, engine, target: "prompts" });
 * for (const p of refined.prompts.filter((x) => x.changed)) console.log(p.id, p.after);
 */
export function refine<T>(run: TraceRun<T>, options: RefineOptions & { readonly target: "prompts" }): Promise<PromptsRefineResult<T>>;
/** Refines one traced run with a target known only at run time; narrow the result on `target`. */
export function refine<T>(run: TraceRun<T>, options: RefineOptions): Promise<RefineResult<T>>;
export async function refine<T>(run: TraceRun<T>, options: RefineOptions): Promise<RefineResult<T>> {
  if (!run || typeof run.rerun !== "function") {
    throw new InvalidArgumentError("refine() needs a run returned by trace(() => …): it re-runs the agent downstream of each refined module.", { subject: "run" });
  }
  checkRefineOptions(options);
  const metered = withUsage(options.engine);
  // memoized backward: a backward request is keyed by everything it shows — the node's content, its downstream
  // feedback and the prompts' current text — so a later module or round whose graph did not change reuses the reply
  const opts: Opts = { ...options, engine: metered, memo: withCache(metered) };
  const usage = () => ({ calls: metered.usage.calls, inputTokens: metered.usage.inputTokens, outputTokens: metered.usage.outputTokens });
  if (options.target === "prompts") {
    const { run: last, prompts, nodeFeedback } = await refinePrompts(run, opts);
    return { target: "prompts", run: last, initial: run, prompts, nodeFeedback, usage: usage() };
  }
  const { run: last, modules, evaluation } = await refineOutputs(run, opts);
  return { target: "outputs", run: last, initial: run, modules, evaluation, usage: usage() };
}

/** The options as refine passes them on: with the memoized engine backward uses. */
type Opts = RefineOptions & { readonly memo: Engine };

async function refineOutputs<T>(run: TraceRun<T>, options: Opts): Promise<{ run: TraceRun<T>; modules: ModuleRefinement[]; evaluation: string }> {
  const targets = refinableCalls(run.graph, options.modules);
  const modules: ModuleRefinement[] = [];
  let current = run;
  // the loss on `current`'s output, once computed: the next module's backward starts from it instead of a new one
  let evaluated: { run: TraceRun<T>; graph: TraceGraph; loss: Variable; used: boolean } | undefined;
  const lossOf = async (of: TraceRun<T>, graph: TraceGraph): Promise<Variable> => {
    if (evaluated?.run === of && evaluated.graph === graph && !evaluated.used) return evaluated.loss;
    const loss = await options.loss(graph.output);
    evaluated = { run: of, graph, loss, used: false };
    return loss;
  };
  // the evaluation of a run already judged is that judgement (a backward does not change the loss's text)
  const evaluate = async (of: TraceRun<T>): Promise<string> => {
    const graph = rebuild(of, options);
    if (evaluated?.run === of && (evaluated.graph === graph || options.dropEdge)) return evaluated.loss.value;
    return (await lossOf(of, graph)).value;
  };
  for (let round = 1; round <= (options.rounds ?? 1); round++) {
    for (const { name, index } of targets) {
      const graph = rebuild(current, options);
      const call = findCall(graph, name, index);
      const variable = call ? graph.variables.get(call.spanId) : undefined;
      if (!call || !variable) continue; // the re-run took another path and never reached this call
      const recorded = recordedOutput(current);
      const editable = toEditable(recorded(call), { tools: toolSpecsOf(call), fallbackText: variable.value });
      const before = editable.text;
      const { feedback, gradients, evaluationBefore, proposal } = await withValue(variable, before, async () => {
        const loss = await lossOf(current, graph);
        await backwardFrom(graph, loss, options);
        evaluated!.used = true;
        const gradients = [...variable.gradients];
        const feedback = gradients.map((g) => g.text);
        const constraints = [...(options.constraints ?? []), ...editable.constraints];
        const [proposal] = feedback.length > 0 ? await optimizerFor([variable], { ...options, constraints }).propose() : [];
        return { feedback, gradients, evaluationBefore: loss.value, proposal };
      });
      const proposed = proposal?.value ?? before;
      const rebuilt = proposed !== before ? editable.rebuild(proposed) : undefined;
      const after = rebuilt ? toEditable(rebuilt.value, { tools: toolSpecsOf(call), fallbackText: proposed }).text : before;
      const issues = [...(rebuilt?.issues ?? [])];
      let changed = false;
      if (rebuilt && after !== before) {
        current = await current.rerun({ replay: downstreamReplay(graph.calls, call, rebuilt.value, recorded) });
        changed = usedValue(current, name, index, after, options);
        if (!changed) issues.push(`the re-run did not use the refined output of "${name}" #${index} (the call was not replayed with it)`);
      }
      const evaluation = await evaluate(current);
      modules.push({ module: name, callIndex: index, round, before, after, proposed, changed, feedback, gradients, evaluationBefore, issues, evaluation });
    }
  }
  return { run: current, modules, evaluation: await evaluate(current) };
}

/**
 * Runs `fn` with `variable` showing `value`: backward and the optimizer must see the editable text (tool calls as
 * blocks), not the span's rendering; the run's graph is the caller's, so its value is put back afterwards.
 */
async function withValue<R>(variable: Variable, value: string, fn: () => Promise<R>): Promise<R> {
  const original = variable.value;
  if (original === value) return fn();
  variable.setValue(value);
  try {
    return await fn();
  } finally {
    variable.setValue(original);
  }
}

function findCall(graph: TraceGraph, name: string, index: number): ModuleCall | undefined {
  return graph.calls.find((c) => {
    const key = callKeyOf(c);
    return key?.name === name && key.index === index;
  });
}

/** Whether `run` replayed call `name` #`index` with the value whose editable text is `text`. */
function usedValue<T>(run: TraceRun<T>, name: string, index: number, text: string, options: RefineOptions): boolean {
  const call = findCall(rebuild(run, options), name, index);
  if (!call || call.replayed !== true) return false;
  return toEditable(recordedOutput(run)(call), { tools: toolSpecsOf(call), fallbackText: call.output }).text === text;
}

async function refinePrompts<T>(run: TraceRun<T>, options: Opts): Promise<{ run: TraceRun<T>; prompts: PromptRefinement[]; nodeFeedback: NodeFeedback[] }> {
  const prompts: PromptRefinement[] = [];
  const nodeFeedback: NodeFeedback[] = [];
  let current = run;
  for (let round = 1; round <= (options.rounds ?? 1); round++) {
    const graph = rebuild(current, options);
    if (graph.parameters.length === 0) {
      throw new InvalidArgumentError("refine({ target: \"prompts\" }) found no prompts in the run: declare them with param() and pass them to traceModule(…, { params }) or tracegradMiddleware({ systemPrompt }).", { subject: "target" });
    }
    const evaluation = (await backwardFromLoss(graph, options)).value;
    const parameters = new Set<Variable>(graph.parameters);
    const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
    for (const [nodeId, v] of graph.variables) {
      if (!parameters.has(v) && v.gradients.length > 0) nodeFeedback.push({ round, nodeId, name: names.get(nodeId) ?? nodeId, gradients: [...v.gradients] });
    }
    const gradients = new Map(graph.parameters.map((p) => [p, [...p.gradients]]));
    const feedback = new Map(graph.parameters.map((p) => [p, p.gradients.map((g) => g.text)]));
    const before = new Map(graph.parameters.map((p) => [p, p.value]));
    const proposals = await optimizerFor(graph.parameters, options).step();
    for (const p of graph.parameters) {
      const after = proposals.find((x) => x.parameter === p)?.value ?? p.value;
      prompts.push({ id: p.id ?? p.role, before: before.get(p)!, after, changed: after !== before.get(p), feedback: feedback.get(p)!, round, gradients: gradients.get(p)!, evaluation });
    }
    for (const p of graph.parameters) p.zeroGrad();
    if (proposals.length === 0) break;
    current = await current.rerun({});
  }
  return { run: current, prompts, nodeFeedback };
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
  if (known.size === 0) throw nothingReplayable(graph);
  for (const name of only ?? []) {
    if (!known.has(name)) {
      throw new InvalidArgumentError(`refine() was asked to refine module "${name}", but the run has no such traced call; it has: ${[...known].join(", ")}.`, { subject: name });
    }
  }
  return keyed
    .filter((c) => !nested(c) && (only === undefined || only.includes(callKeyOf(c)!.name)))
    .map((c) => callKeyOf(c)!);
}

/**
 * Refining outputs means replaying calls with new values; a run without a call whose wrapper honours replay plans
 * would come back unchanged, which looks like success. So it fails, naming what the run has and how to fix it.
 */
function nothingReplayable(graph: TraceGraph): InvalidArgumentError {
  const counts = new Map<string, number>();
  for (const c of graph.calls) {
    const label = `${c.moduleId ?? c.name} (${c.kind})`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const listed = [...counts].slice(0, 20).map(([label, n]) => (n > 1 ? `${label} ×${n}` : label));
  const more = counts.size > 20 ? `, … ${counts.size - 20} more` : "";
  return new InvalidArgumentError(
    `refine() found no replayable call in the run, so no output can be refined and re-run. The run has: ${listed.join(", ") || "(no calls)"}${more}. ` +
      "Make calls replayable: wrap the module (or LangGraph node) with traceModule(name, fn), or give a createAgent agent tracegradMiddleware({ systemPrompt }) so its model calls are replayable; instrumentLangChain() alone records calls but cannot replay them.",
    { subject: "run" },
  );
}

function rebuild<T>(run: TraceRun<T>, options: RefineOptions): TraceGraph {
  if (!options.dropEdge) return run.graph;
  return buildGraph(run.spans, { params: run.params, dropEdge: options.dropEdge });
}

async function backwardFromLoss(graph: TraceGraph, options: Opts): Promise<Variable> {
  const loss = await options.loss(graph.output);
  await backwardFrom(graph, loss, options);
  return loss;
}

async function backwardFrom(graph: TraceGraph, loss: Variable, options: Opts): Promise<void> {
  for (const v of graph.variables.values()) v.zeroGrad();
  await loss.backward({ engine: options.memo, concurrency: options.concurrency });
}

function optimizerFor(parameters: readonly Variable[], options: RefineOptions): TGD {
  return new TGD({
    parameters: [...parameters],
    engine: options.engine,
    constraints: options.constraints,
    concurrency: options.concurrency,
    ...(options.update === undefined ? {} : { update: options.update }),
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

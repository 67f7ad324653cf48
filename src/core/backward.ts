/**
 * @module core/backward
 * The backward scheduler. A node sends feedback back once every successor in the pass has delivered to it;
 * independent nodes run concurrently, engine calls are bounded by `concurrency`, and feedback is committed in a
 * fixed order (by successor position), so the same graph and replies give the same prompts in the same order.
 * A pass is all or nothing: if any rule fails, every piece of feedback it committed is taken back before the error
 * is thrown, so calling backward() again cannot deliver anything twice.
 */
import { InvalidArgumentError, TracegradError } from "../errors.js";
import { requireEngine, wrapEngineError } from "../engine/call-engine.js";
import { createLimiter } from "../engine/limiter.js";
import type { Engine } from "../engine/types.js";
import { BACKWARD_RETRY_ADVICE, FEEDBACK_MODES, type Delivery, type FeedbackMode, type GradNode, type Gradient } from "./feedback.js";
import { topologicalOrder } from "./graph.js";
import type { EngineLike } from "../engine/engine-like.js";

/** Options of {@link backward}. */
export interface BackwardOptions {
  /** The engine that writes feedback. */
  readonly engine: EngineLike;
  /** How many backward engine calls may run at once. Default 8. */
  readonly concurrency?: number;
  /**
   * `"per-node"` (default): one backward call per node, asking for feedback on all its trainable inputs at once.
   * `"per-input"`: TextGrad's one call per (node, trainable input), with TextGrad's prompts.
   */
  readonly feedback?: FeedbackMode;
}

/** What a backward pass did. */
export interface BackwardReport {
  /** Variables in the pass (those that require gradients and are reachable from the root). */
  readonly nodes: number;
  /** Backward rules that ran. */
  readonly rulesRun: number;
  /** Engine calls made. */
  readonly calls: number;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * Sends feedback from `loss` back through the graph: `loss` is evaluated, and each node that received feedback
 * passes it on to its trainable inputs through its backward rule. Nodes that lead to nothing trainable make no calls.
 * Same as `loss.backward(options)`.
 *
 * @throws InvalidArgumentError when `loss` is not a node; NoEngineError when `options.engine` is missing; GraphCycleError when the graph is not a DAG;
 *   EngineCallError (or the engine's own tracegrad error, e.g. BudgetExceededError) when a call fails — then no
 *   variable keeps any feedback of this pass.
 *
 * @example
 * const loss = await new TextLoss("Is the answer correct?", { engine }).forward(answer);
 * const report = await backward(loss, { engine, concurrency: 4 });
 * await backward(loss, { engine, feedback: "per-input" }); // TextGrad's call pattern and prompts
 * console.log(systemPrompt.gradientText(), report.calls);
 */
export async function backward(loss: GradNode, options: BackwardOptions): Promise<BackwardReport> {
  if (typeof loss !== "object" || loss === null || !Array.isArray(loss.predecessors)) {
    throw new InvalidArgumentError(`backward() needs the loss Variable first (got ${loss === null ? "null" : typeof loss}) — call backward(loss, { engine }).`, { subject: "loss" });
  }
  const name = loss.id ?? loss.role;
  const engine = requireEngine(options?.engine, `backward() on "${name}"`, name, "backward()");
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const feedbackMode = options.feedback ?? "per-node";
  if (!FEEDBACK_MODES.includes(feedbackMode)) {
    throw new InvalidArgumentError(`backward() on "${name}": feedback must be ${FEEDBACK_MODES.map((m) => `"${m}"`).join(" or ")} (got ${JSON.stringify(feedbackMode)}).`, { subject: "feedback" });
  }
  let calls = 0;
  const limited: Engine = {
    ...(engine.model === undefined ? {} : { model: engine.model }),
    generate: (request) => limit(() => { calls++; return engine.generate(request); }),
  };

  const targetsOf = new Map<GradNode, GradNode[]>();
  const trainableInputs = (v: GradNode): GradNode[] => {
    let t = targetsOf.get(v);
    if (!t) targetsOf.set(v, (t = [...new Set(v.predecessors.filter((p) => p.requiresGrad))]));
    return t;
  };
  if (!loss.requiresGrad) return { nodes: 0, rulesRun: 0, calls: 0 };
  const order = topologicalOrder([loss], trainableInputs, (v) => v.id ?? v.role).reverse(); // root first
  const position = new Map(order.map((v, i) => [v, i]));
  const waitingOn = new Map<GradNode, number>(order.map((v) => [v, 0]));
  for (const v of order) for (const t of trainableInputs(v)) waitingOn.set(t, waitingOn.get(t)! + 1);

  const evaluate = new Set<GradNode>([loss]);
  const inbox = new Map<GradNode, Array<{ from: number; deliveries: Delivery[] }>>();
  // what this pass added to each node, so a failure can take exactly that back
  const added = new Map<GradNode, Gradient[]>();
  let failure: unknown;
  const commit = (v: GradNode) => {
    // forward order of the senders (sample 1 before sample 2), whatever order they finished in; a sender sits
    // further from the root in `order` the earlier it ran forward
    const parcels = (inbox.get(v) ?? []).sort((a, b) => b.from - a.from);
    inbox.delete(v);
    if (failure !== undefined) return;
    for (const { deliveries } of parcels) {
      for (const d of deliveries) {
        if ("gradient" in d) {
          v.addGradient(d.gradient);
          const mine = added.get(v);
          if (mine) mine.push(d.gradient);
          else added.set(v, [d.gradient]);
        } else evaluate.add(v);
      }
    }
  };

  let rulesRun = 0;
  const running = new Set<Promise<void>>();

  const visit = async (v: GradNode): Promise<void> => {
    const targets = trainableInputs(v);
    const mode = v.gradients.length > 0 ? "chain" : evaluate.has(v) ? "evaluation" : undefined;
    let deliveries: readonly Delivery[] = [];
    if (v.backwardRule && targets.length > 0 && mode && failure === undefined) {
      rulesRun++;
      try {
        deliveries = await v.backwardRule.run({ output: v, targets, mode, engine: limited, feedback: feedbackMode });
      } catch (error) {
        // a rule's own tracegrad error (already naming the call) passes through; anything else is named here
        const what = `backward through "${v.id ?? v.role}" (${v.backwardRule.name})`;
        failure ??= TracegradError.isInstance(error) ? error : wrapEngineError(error, what, v.id ?? v.role, BACKWARD_RETRY_ADVICE);
      }
    }
    for (const t of targets) {
      const mine = deliveries.filter((d) => d.target === t);
      if (mine.length > 0) {
        const box = inbox.get(t) ?? [];
        box.push({ from: position.get(v)!, deliveries: mine });
        inbox.set(t, box);
      }
      const left = waitingOn.get(t)! - 1;
      waitingOn.set(t, left);
      if (left === 0) {
        commit(t);
        schedule(t);
      }
    }
  };
  const schedule = (v: GradNode) => {
    const p = visit(v).finally(() => running.delete(p));
    running.add(p);
  };

  schedule(loss);
  while (running.size > 0) await Promise.all([...running]);
  if (failure !== undefined) {
    for (const [v, mine] of added) takeBack(v, mine);
    throw failure;
  }
  return { nodes: order.length, rulesRun, calls };
}

/**
 * Removes the pieces of feedback in `mine` from `v`, last occurrence first, and keeps everything else in order:
 * feedback the node had before the pass, or that another pass added meanwhile, stays.
 */
function takeBack(v: GradNode, mine: readonly Gradient[]): void {
  const kept = [...v.gradients];
  for (const g of mine) {
    const at = kept.lastIndexOf(g);
    if (at >= 0) kept.splice(at, 1);
  }
  v.zeroGrad();
  for (const g of kept) v.addGradient(g);
}

/**
 * @module core/backward
 * The backward scheduler. A node sends feedback back once every successor in the pass has delivered to it;
 * independent nodes run concurrently, engine calls are bounded by `concurrency`, and feedback is committed in a
 * fixed order (by successor position), so the same graph and replies give the same prompts in the same order.
 */
import { EngineCallError, NoEngineError, TracegradError } from "../errors.js";
import type { Engine } from "../engine/types.js";
import { createLimiter } from "../engine/limiter.js";
import type { Delivery } from "./feedback.js";
import { topologicalOrder } from "./graph.js";
import type { BackwardOptions, Variable } from "./variable.js";

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

/** Runs a backward pass from `root`. Called by {@link Variable.backward}. */
export async function runBackward(root: Variable, options: BackwardOptions): Promise<BackwardReport> {
  const engine = options?.engine;
  if (!engine || typeof engine.generate !== "function") {
    throw new NoEngineError(`backward() on "${root.id ?? root.role}" needs an engine — pass { engine } to backward().`, { subject: root.id ?? root.role });
  }
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  let calls = 0;
  const limited: Engine = {
    ...(engine.model === undefined ? {} : { model: engine.model }),
    generate: (request) => limit(() => { calls++; return engine.generate(request); }),
  };

  const targetsOf = new Map<Variable, Variable[]>();
  const trainableInputs = (v: Variable): Variable[] => {
    let t = targetsOf.get(v);
    if (!t) targetsOf.set(v, (t = [...new Set(v.predecessors.filter((p) => p.requiresGrad))]));
    return t;
  };
  if (!root.requiresGrad) return { nodes: 0, rulesRun: 0, calls: 0 };
  const order = topologicalOrder([root], trainableInputs, (v) => v.id ?? v.role).reverse(); // root first
  const position = new Map(order.map((v, i) => [v, i]));
  const waitingOn = new Map<Variable, number>(order.map((v) => [v, 0]));
  for (const v of order) for (const t of trainableInputs(v)) waitingOn.set(t, waitingOn.get(t)! + 1);

  const evaluate = new Set<Variable>([root]);
  const inbox = new Map<Variable, Array<{ from: number; deliveries: Delivery[] }>>();
  const commit = (v: Variable) => {
    // forward order of the senders (sample 1 before sample 2), whatever order they finished in
    const parcels = (inbox.get(v) ?? []).sort((a, b) => b.from - a.from);
    inbox.delete(v);
    for (const { deliveries } of parcels) {
      for (const d of deliveries) {
        if ("gradient" in d) v.addGradient(d.gradient);
        else evaluate.add(v);
      }
    }
  };

  let rulesRun = 0;
  let failure: unknown;
  const running = new Set<Promise<void>>();

  const visit = async (v: Variable): Promise<void> => {
    const targets = trainableInputs(v);
    const mode = v.gradients.length > 0 ? "chain" : evaluate.has(v) ? "evaluation" : undefined;
    let deliveries: readonly Delivery[] = [];
    if (v.backwardRule && targets.length > 0 && mode && failure === undefined) {
      rulesRun++;
      try {
        deliveries = await v.backwardRule.run({ output: v, targets, mode, engine: limited });
      } catch (error) {
        failure ??= TracegradError.isInstance(error)
          ? error
          : new EngineCallError(`backward through "${v.id ?? v.role}" (${v.backwardRule.name}) failed: ${String((error as Error)?.message ?? error)}. Feedback already delivered to other variables is kept; fix the engine and call backward() again after zeroGrad().`, { subject: v.id ?? v.role, cause: error });
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
  const schedule = (v: Variable) => {
    const p = visit(v).finally(() => running.delete(p));
    running.add(p);
  };

  schedule(root);
  while (running.size > 0) await Promise.all([...running]);
  if (failure !== undefined) {
    for (const v of [...inbox.keys()]) commit(v); // keep every piece of feedback that was computed
    throw failure;
  }
  return { nodes: order.length, rulesRun, calls };
}

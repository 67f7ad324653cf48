/**
 * @module optim/replay-plan
 * The plan that re-runs an agent "downstream only": calls that ran before the refined one return what they returned
 * last time (no new model calls), the refined call returns its refined value, and everything after runs for real.
 */
import type { ReplayedCall, ReplayPlan } from "../trace/capture.js";
import type { ModuleCall } from "../trace/module-call.js";

/** Where a call is replayed: its module (or model) name and its index among calls of that name. */
export interface CallKey {
  readonly name: string;
  readonly index: number;
}

/** The replay key of a call whose wrapper honours replay plans (traceModule, the LangChain middleware's model calls). */
export function callKeyOf(call: ModuleCall): CallKey | undefined {
  if (call.callIndex === undefined || !call.replayable) return undefined;
  return { name: call.moduleId ?? call.name, index: call.callIndex };
}

const keyText = (k: CallKey) => `${k.name}#${k.index}`;

/**
 * Builds the plan for refining `target`: every keyed call that started before it (and does not enclose it) is
 * replayed with its recorded output; `target` returns `value`; the rest runs.
 */
export function downstreamReplay(
  calls: readonly ModuleCall[],
  target: ModuleCall,
  value: unknown,
  recorded: (call: ModuleCall) => unknown = (call) => call.output,
): ReplayPlan {
  const fixed = new Map<string, ReplayedCall>();
  const children = new Map<string, ModuleCall[]>();
  for (const c of calls) {
    if (!c.parentSpanId) continue;
    const list = children.get(c.parentSpanId);
    if (list) list.push(c);
    else children.set(c.parentSpanId, [c]);
  }
  const enclosing = new Set<string>();
  const bySpan = new Map(calls.map((c) => [c.spanId, c]));
  for (let p = target.parentSpanId; p; p = bySpan.get(p)?.parentSpanId) {
    if (enclosing.has(p)) break;
    enclosing.add(p);
  }
  for (const call of calls) {
    const key = callKeyOf(call);
    if (!key || call === target || enclosing.has(call.spanId) || call.startTime > target.startTime) continue;
    if (call.startTime === target.startTime && call.spanId !== target.spanId) continue;
    fixed.set(keyText(key), { output: recorded(call), nested: nestedCounts(call, children) });
  }
  const targetKey = callKeyOf(target);
  if (targetKey) fixed.set(keyText(targetKey), { output: value, nested: nestedCounts(target, children) });
  return { lookup: (name, index) => fixed.get(keyText({ name, index })) };
}

/** How many indexed calls, per name, ran inside `call` (they will not run when it is replayed). */
function nestedCounts(call: ModuleCall, children: ReadonlyMap<string, readonly ModuleCall[]>): Record<string, number> {
  const counts: Record<string, number> = {};
  const stack = [...(children.get(call.spanId) ?? [])];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c.callIndex !== undefined) {
      const name = c.moduleId ?? c.name;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    stack.push(...(children.get(c.spanId) ?? []));
  }
  return counts;
}

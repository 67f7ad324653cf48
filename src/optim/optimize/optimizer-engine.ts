/**
 * @module optim/optimize/optimizer-engine
 * The optimizer's engine as optimize() uses it: `withUsage(withCache(withUsage(engine, budget), { dir }))`.
 * - The budget sits inside the cache, so a cached reply (a call a killed session already paid for) costs nothing,
 *   and cache keys do not depend on the budget (which may change between sessions).
 * - The cache is on disk in the checkpoint directory when there is one, so a resumed step gets its answered calls back.
 * - The outer meter counts every call, cached ones included, for `result.usage`.
 * The budget given to the inner meter is what is left after the earlier sessions' spend.
 */
import { withCache } from "../../engine/cache.js";
import { toEngine, type EngineLike } from "../../engine/engine-like.js";
import type { IdentifiedEngine } from "../../engine/engine-identity.js";
import { DEFAULT_REPLY_TOKENS, withUsage, type ModelPrice, type UsageBudget, type UsageReport } from "../../engine/usage.js";
import type { OptimizeUsage } from "./types.js";

/** The metered optimizer engine. */
export type MeteredEngine = IdentifiedEngine & { readonly usage: UsageReport };

/** What {@link optimizerEngine} needs. */
export interface OptimizerEngineOptions {
  readonly engine: EngineLike;
  readonly budget?: UsageBudget;
  /** Spend of earlier sessions, taken off the budget. */
  readonly spent: OptimizeUsage;
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  readonly cacheDir?: string;
}

/** Builds the engine stack described in the module comment. */
export function optimizerEngine(options: OptimizerEngineOptions): MeteredEngine {
  const base = toEngine(options.engine, "optimize()", "engine", "optimize()");
  const budget = options.budget;
  const remaining: UsageBudget | undefined = budget && {
    ...(budget.maxCalls === undefined ? {} : { maxCalls: Math.max(0, budget.maxCalls - (options.spent.calls - options.spent.cachedCalls)) }),
    ...(budget.maxTokens === undefined ? {} : { maxTokens: Math.max(0, budget.maxTokens - options.spent.totalTokens) }),
    ...(budget.maxCost === undefined ? {} : { maxCost: Math.max(0, budget.maxCost - options.spent.cost) }),
  };
  // the reply reservation follows the whole budget, not what is left, so it is the same in every session
  const replyTokens = budget?.maxTokens === undefined ? undefined : Math.max(1, Math.min(DEFAULT_REPLY_TOKENS, Math.floor(budget.maxTokens / 4)));
  const capped = withUsage(base, { ...(remaining ? { budget: remaining } : {}), ...(options.prices ? { prices: options.prices } : {}), ...(replyTokens ? { replyTokens } : {}) });
  const cached = withCache(capped, options.cacheDir === undefined ? {} : { dir: options.cacheDir });
  return withUsage(cached, options.prices ? { prices: options.prices } : {});
}

/** The usage a report shows, reduced to {@link OptimizeUsage}. */
export function usageOf(report: UsageReport): OptimizeUsage {
  return {
    calls: report.calls,
    cachedCalls: report.cachedCalls,
    inputTokens: report.inputTokens,
    outputTokens: report.outputTokens,
    totalTokens: report.totalTokens,
    cost: report.cost,
  };
}

/** `after - before`, field by field. */
export function usageDelta(after: OptimizeUsage, before: OptimizeUsage): OptimizeUsage {
  return {
    calls: after.calls - before.calls,
    cachedCalls: after.cachedCalls - before.cachedCalls,
    inputTokens: after.inputTokens - before.inputTokens,
    outputTokens: after.outputTokens - before.outputTokens,
    totalTokens: after.totalTokens - before.totalTokens,
    cost: after.cost - before.cost,
  };
}

/**
 * @module engine/usage
 * Token and cost accounting with a hard budget. The budget is checked before each call against what is spent plus what
 * is in flight (calls run concurrently), reserving each call's reply in full, so concurrent calls cannot together pass
 * it, and a refused call is never made.
 */
import { BudgetExceededError, ConfigError, InvalidArgumentError } from "../errors.js";
import { isChatModel, toEngine, type EngineLike } from "./engine-like.js";
import { engineLabels, type IdentifiedEngine } from "./engine-identity.js";
import { estimateMessageTokens, estimateTokens } from "./estimate-tokens.js";
import { requestMessages, type Engine, type EngineRequest, type EngineResponse } from "./types.js";

/** Price of a model in USD per one million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/** Limits of {@link withUsage}. A call that would exceed any of them is refused before it is made. */
export interface UsageBudget {
  /** Input + output tokens of all calls that reached a model. */
  readonly maxTokens?: number;
  /** USD, computed from `prices`. */
  readonly maxCost?: number;
  /** Calls, cached ones included. */
  readonly maxCalls?: number;
}

/** Options of {@link withUsage}. */
export interface UsageOptions {
  readonly budget?: UsageBudget;
  /** USD per 1M tokens keyed by model name; a dated name such as "gpt-4o-mini-2024-07-18" also matches "gpt-4o-mini". */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /**
   * Tokens reserved for the reply of a request that sets no `maxTokens`, when `budget.maxTokens` or `budget.maxCost`
   * is set. Such a request is sent on with `maxTokens` set to this number, so the provider stops the reply there
   * (this also makes it part of the cache key). Default: {@link DEFAULT_REPLY_TOKENS}, lowered to a quarter of the
   * budget when that is smaller (a quarter of `maxTokens`, and as many tokens as a quarter of `maxCost` buys at the
   * model's output price), so a small budget still allows a few calls. Raise it for long replies or reasoning models.
   */
  readonly replyTokens?: number;
}

/** Tokens reserved per call beyond the message texts, for the chat format's framing. */
const FRAMING_TOKENS = { perMessage: 4, perRequest: 3 } as const;

/** The reply reservation of {@link UsageOptions.replyTokens} before it is lowered to fit a small budget. */
export const DEFAULT_REPLY_TOKENS = 4096;

/** One call in a {@link UsageReport}. */
export interface CallUsage {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD; 0 for cached calls and models without a price. */
  readonly cost: number;
  readonly cached: boolean;
  /** True when the engine reported no usage and the counts are ceil(characters / 4). */
  readonly estimated: boolean;
}

/**
 * What an engine wrapped by {@link withUsage} has used. Token and cost totals count only calls that reached a model;
 * cached calls are in `calls`, `cachedCalls` and `perCall`. Failed calls are not recorded.
 */
export interface UsageReport {
  readonly calls: number;
  readonly cachedCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** USD; 0 when no prices were given. */
  readonly cost: number;
  /** True when any token count is an estimate. */
  readonly estimated: boolean;
  readonly perCall: readonly CallUsage[];
}

/** Holds reservations for calls in flight, so concurrent calls cannot together overshoot the budget. */
interface Reservation {
  readonly tokens: number;
  readonly cost: number;
}

/**
 * Returns an engine that counts tokens, calls and cost, and enforces an optional hard budget, also under concurrency.
 * Before each call its input tokens are estimated (ceil(characters / 4), plus 4 tokens a message and 3 a call for the
 * chat format's framing) and its reply is reserved in full: the request's `maxTokens`, or `replyTokens` for a request
 * without one, which is then sent on as the request's `maxTokens` so the provider stops the reply there. The call is
 * refused with BudgetExceededError when spent + every call in flight (input and reply) + this call would pass a limit;
 * what a call did not use is released when it ends. Without a token or cost limit, requests are passed on unchanged.
 *
 * So total spend stays within `maxTokens` and `maxCost` however many calls run at once, provided the engine honours
 * `maxTokens` (LangChain chat models sent through chatModelEngine do) and reports no more input tokens than the
 * estimate (ceil(characters / 4) errs high for English prose; dense scripts and code can tokenize tighter). `maxCalls`
 * is exact; it counts calls of the wrapped engine, so with withRetry inside, one call may be several HTTP requests.
 * Failed calls are not counted (a provider may still bill a request that timed out on our side). Wrapped around
 * withCache, the check runs before it is known whether the cache will answer, so right at the limit a would-be cache
 * hit can be refused too.
 *
 * @example
 * const engine = withUsage(defaultEngine(), {
 *   budget: { maxCost: 0.5 },
 *   prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 } },
 * });
 * await engine.generate({ prompt: "Hi" });
 * console.log(engine.usage.totalTokens, engine.usage.cost);
 */
export function withUsage(model: EngineLike, options: UsageOptions = {}): IdentifiedEngine & { readonly usage: UsageReport } {
  // a LangChain chat model has a generate() of another signature: it must be wrapped before it is called (refine passes its engine here)
  const engine = isChatModel(model) ? toEngine(model, "withUsage()", "engine", "withUsage()") : (model as Engine);
  const budget = validateBudget(options.budget ?? {});
  const prices = validatePrices(options.prices ?? {});
  const perCall: CallUsage[] = [];
  const spent = { tokens: 0, cost: 0 };
  const reserved = new Set<Reservation>();
  const inFlightTotal = (pick: (r: Reservation) => number) => [...reserved].reduce((sum, r) => sum + pick(r), 0);
  const requirePrice = (): ModelPrice => {
    const price = findPrice(prices, engine.model);
    if (!price) {
      throw new ConfigError(
        `withUsage: budget.maxCost is set but prices has no entry for model "${engine.model ?? "(unnamed engine)"}"; ` +
          `add prices["${engine.model ?? "<model>"}"] = { input, output } (USD per 1M tokens).`,
        { subject: "prices" },
      );
    }
    return price;
  };
  // Only a token or cost cap needs the reply bounded; otherwise requests go on untouched.
  const capsReplies = budget.maxTokens !== undefined || budget.maxCost !== undefined;
  const defaultReplyTokens = replyTokensFor(options, budget, findPrice(prices, engine.model));

  const reserve = (request: EngineRequest, replyTokens: number): Reservation => {
    const messages = requestMessages(request);
    // Providers also bill the chat format's framing (OpenAI: ~4 tokens a message, 3 a reply); short prompts would
    // otherwise be reserved at a fraction of what they cost.
    const input = estimateMessageTokens(messages) + FRAMING_TOKENS.perMessage * messages.length + FRAMING_TOKENS.perRequest;
    const estimate = input + replyTokens;
    const call = `~${input} input + ${replyTokens} reply tokens`;
    const nothingUsed = perCall.length === 0 && reserved.size === 0;
    if (budget.maxCalls !== undefined && perCall.length + reserved.size + 1 > budget.maxCalls) {
      throw new BudgetExceededError(
        budget.maxCalls < 1
          ? `withUsage: budget.maxCalls = ${budget.maxCalls} allows no call; raise it to at least 1.`
          : `withUsage: budget.maxCalls = ${budget.maxCalls} reached (${perCall.length} made, ${reserved.size} in flight); no call was made. Raise budget.maxCalls.`,
        { subject: "budget.maxCalls" },
      );
    }
    if (budget.maxTokens !== undefined && spent.tokens + inFlightTotal((r) => r.tokens) + estimate > budget.maxTokens) {
      throw new BudgetExceededError(
        nothingUsed
          ? `withUsage: budget.maxTokens = ${budget.maxTokens} is smaller than one call (${call}); raise it, or lower replyTokens / the request's maxTokens.`
          : `withUsage: budget.maxTokens = ${budget.maxTokens} would be exceeded by the next call (spent ${spent.tokens} + in flight ` +
              `${inFlightTotal((r) => r.tokens)} + ${call}); no call was made. Raise budget.maxTokens.`,
        { subject: "budget.maxTokens" },
      );
    }
    let cost = 0;
    if (budget.maxCost !== undefined) {
      const price = requirePrice();
      cost = (input * price.input + replyTokens * price.output) / 1e6;
      if (spent.cost + inFlightTotal((r) => r.cost) + cost > budget.maxCost) {
        throw new BudgetExceededError(
          nothingUsed
            ? `withUsage: budget.maxCost = ${budget.maxCost} is smaller than one call (~$${cost.toPrecision(3)} for ${call}); raise it, or lower replyTokens / the request's maxTokens.`
            : `withUsage: budget.maxCost = ${budget.maxCost} would be exceeded by the next call (spent $${spent.cost.toPrecision(3)} + in flight ` +
                `$${inFlightTotal((r) => r.cost).toPrecision(3)} + ~$${cost.toPrecision(3)} for ${call}); no call was made. Raise budget.maxCost.`,
          { subject: "budget.maxCost" },
        );
      }
    }
    const reservation = { tokens: estimate, cost };
    reserved.add(reservation);
    return reservation;
  };

  const record = (request: EngineRequest, response: EngineResponse): void => {
    const model = response.model ?? engine.model ?? "unknown";
    const estimated = response.usage === undefined;
    const inputTokens = response.usage?.inputTokens ?? estimateMessageTokens(requestMessages(request));
    const outputTokens = response.usage?.outputTokens ?? estimateTokens(response.text);
    const cached = response.cached === true;
    const price = findPrice(prices, response.model) ?? findPrice(prices, engine.model);
    const cost = cached || !price ? 0 : (inputTokens * price.input + outputTokens * price.output) / 1e6;
    perCall.push({ model, inputTokens, outputTokens, cost, cached, estimated });
    if (!cached) {
      spent.tokens += inputTokens + outputTokens;
      spent.cost += cost;
    }
  };

  return {
    ...engineLabels(engine),
    get usage(): UsageReport {
      const paid = perCall.filter((c) => !c.cached);
      const inputTokens = paid.reduce((sum, c) => sum + c.inputTokens, 0);
      const outputTokens = paid.reduce((sum, c) => sum + c.outputTokens, 0);
      return {
        calls: perCall.length,
        cachedCalls: perCall.length - paid.length,
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        cost: spent.cost,
        estimated: perCall.some((c) => c.estimated),
        perCall: [...perCall],
      };
    },
    async generate(request: EngineRequest): Promise<EngineResponse> {
      let sent = request;
      if (capsReplies && request.maxTokens === undefined) sent = { ...request, maxTokens: defaultReplyTokens };
      const reservation = reserve(sent, capsReplies ? (sent.maxTokens ?? 0) : 0);
      try {
        const response = await engine.generate(sent);
        record(sent, response);
        return response;
      } finally {
        reserved.delete(reservation);
      }
    },
  };
}

/** {@link UsageOptions.replyTokens}, or its default lowered to a quarter of the budget. */
function replyTokensFor(options: UsageOptions, budget: UsageBudget, price: ModelPrice | undefined): number {
  const { replyTokens } = options;
  if (replyTokens !== undefined) {
    if (!(Number.isInteger(replyTokens) && replyTokens >= 1)) {
      throw new InvalidArgumentError(`withUsage: replyTokens must be an integer ≥ 1 (got ${String(replyTokens)}).`, { subject: "replyTokens" });
    }
    return replyTokens;
  }
  let tokens = DEFAULT_REPLY_TOKENS;
  if (budget.maxTokens !== undefined) tokens = Math.min(tokens, Math.floor(budget.maxTokens / 4));
  if (budget.maxCost !== undefined && price !== undefined && price.output > 0) {
    tokens = Math.min(tokens, Math.floor(((budget.maxCost / 4) * 1e6) / price.output));
  }
  return Math.max(1, tokens);
}

/** Exact name first, then the longest price key that prefixes the name (providers answer with dated model names). */
function findPrice(prices: Readonly<Record<string, ModelPrice>>, model: string | undefined): ModelPrice | undefined {
  if (model === undefined) return undefined;
  if (Object.hasOwn(prices, model)) return prices[model];
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}

function validateBudget(budget: UsageBudget): UsageBudget {
  for (const name of ["maxTokens", "maxCost", "maxCalls"] as const) {
    const value = budget[name];
    if (value !== undefined && !(typeof value === "number" && value >= 0)) {
      throw new InvalidArgumentError(`withUsage: budget.${name} must be a number ≥ 0 (got ${String(value)}); leave it out for no limit.`, {
        subject: `budget.${name}`,
      });
    }
  }
  return budget;
}

function validatePrices(prices: Readonly<Record<string, ModelPrice>>): Readonly<Record<string, ModelPrice>> {
  for (const [model, price] of Object.entries(prices)) {
    if (!(typeof price?.input === "number" && price.input >= 0 && typeof price.output === "number" && price.output >= 0)) {
      throw new InvalidArgumentError(
        `withUsage: prices["${model}"] must be { input, output } in USD per 1M tokens, both numbers ≥ 0 (got ${JSON.stringify(price)}).`,
        { subject: `prices.${model}` },
      );
    }
  }
  return prices;
}

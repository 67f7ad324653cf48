/**
 * @module adapters/langchain/param-scope
 * How the middleware and optimizablePrompt tell the tracer which parameters a run used. They run the LangChain call
 * inside an OTel context carrying a {@link ParamScope}; the tracer's handlers run inline (`_awaitHandler: true`) in
 * the caller's async context, so the run that starts there reads the scope and stamps `tracegrad.param.*` on its span.
 * The OTel context rather than LangChain metadata: metadata is serialized to every tracer (LangSmith included) and
 * cannot carry the live Variable.
 */
import { context, createContextKey, type Context } from "@opentelemetry/api";
import type { Variable } from "../../src/trace/adapter-kit.js";

/** Which runs a scope applies to, what they used, and how the span should be keyed. */
export interface ParamScope {
  /** The run type the scope stamps: the model call of a middleware, or the prompt run of an optimizable prompt. */
  readonly target: "llm" | "prompt";
  readonly params: readonly Variable[];
  /** `tracegrad.module.id` of the stamped span (the replay key), instead of the run name. */
  readonly moduleId?: string;
  /** `tracegrad.call.index` of the stamped span (already taken from the capture). */
  readonly callIndex?: number;
  /** The call was replayed from an earlier run, not computed. */
  readonly replayed?: boolean;
  /**
   * The tools the model could call, as `gen_ai.tool.definitions` JSON (`[{ type: "function", name, parameters }]`):
   * refinement checks edited tool-call arguments against these schemas.
   */
  readonly toolDefinitions?: string;
}

const SCOPE = createContextKey("tracegrad.langchain.param-scope");

/** Runs `fn` with `scope` visible to runs that start inside it. */
export function withParamScope<T>(scope: ParamScope, fn: () => T): T {
  return context.with(context.active().setValue(SCOPE, scope), fn);
}

/** The scope active now (or in `ctx`), if any. */
export function activeParamScope(ctx: Context = context.active()): ParamScope | undefined {
  return ctx.getValue(SCOPE) as ParamScope | undefined;
}

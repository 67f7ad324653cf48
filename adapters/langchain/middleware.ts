/**
 * @module adapters/langchain/middleware
 * Optimizable system prompts for `createAgent`: the agent's code stays as it is, the middleware applies the prompt's
 * current value on every model call, records that the call used it, and replays recorded model calls on request.
 */
import type { AgentMiddleware, WrapModelCallHook } from "langchain";
import { activeCapture, faultSinkOf, guard, InvalidArgumentError, nextCallIndex, paramIdOf, Variable, type ErrorHook } from "../../src/trace/adapter-kit.js";
import { withParamScope, type ParamScope } from "./param-scope.js";
import { modelReplayKey, recordReplayedCall, toAIMessage } from "./replay.js";
import { toolDefinitionsJson } from "./tool-definitions.js";

/** The brand langchain's createMiddleware puts on middleware objects (a registered symbol: the same in every copy). */
const MIDDLEWARE_BRAND = Symbol.for("AgentMiddleware");

/** Options of {@link tracegradMiddleware}. */
export interface TracegradMiddlewareOptions {
  /** The trainable system prompt (usually from `param()`); its value at each model call is what the model gets. */
  readonly systemPrompt: Variable;
  /** The agent's module name. Its model calls are keyed `${name}.model` for replay (see {@link modelReplayKey}). Default "agent". */
  readonly name?: string;
  /** Receives the middleware's internal faults (also handed to the active capture's hook). */
  readonly onError?: ErrorHook;
}

/**
 * A `createAgent` middleware that makes the agent's system prompt a trainable parameter.
 *
 * On each model call it:
 * - sends `systemPrompt.value` as it is *now* (so an optimizer's update applies to the unmodified agent), in place of
 *   createAgent's own `systemPrompt`;
 * - inside trace(), records the call as using the parameter: the LLM span gets `tracegrad.param.ids` and
 *   `tracegrad.param.<id>.version/.value/.role`, `tracegrad.module.id` = `${name}.model` and `tracegrad.call.index` =
 *   the call's 0-based index, `gen_ai.tool.definitions` = the request's tools with their JSON schemas (so refinement
 *   can check edited tool-call arguments), and the capture's `params` maps the id to your Variable;
 * - if the capture has a replay plan and `replay.lookup(`${name}.model`, index)` returns `{ output }` (an AIMessage,
 *   its text, or a recorded message), returns that message **without calling the model**; the call is still recorded
 *   as an LLM span, marked `tracegrad.replayed`.
 *
 * Faults of the middleware itself go to `onError`; errors of the model reach the agent as usual.
 *
 * @throws InvalidArgumentError at the call, when `systemPrompt` is not a Variable (e.g. a plain string, which
 * createAgent would silently drop) or `name` is blank.
 *
 * @example
 * const plannerPrompt = param("planner.system", "You plan the steps.", { role: "system prompt of the planner" });
 * const agent = createAgent({ model, tools, middleware: [tracegradMiddleware({ systemPrompt: plannerPrompt })] });
 * const { graph } = await trace(() => agent.invoke({ messages: [{ role: "user", content: "Plan a trip" }] }));
 */
export function tracegradMiddleware(options: TracegradMiddlewareOptions): AgentMiddleware {
  validate(options);
  const { systemPrompt } = options;
  const key = modelReplayKey(options.name);
  const wrapModelCall: WrapModelCallHook = async (request, handler) => {
    const capture = activeCapture();
    const sink = faultSinkOf(options.onError, capture);
    let callIndex: number | undefined;
    let recorded: { readonly output: unknown } | undefined;
    if (capture) {
      callIndex = guard(sink, `${key} call index`, () => nextCallIndex(capture, key));
      guard(sink, `${key} parameter`, () => capture.params.set(paramIdOf(systemPrompt), systemPrompt));
      const plan = capture.replay;
      const index = callIndex;
      if (plan && index !== undefined) recorded = guard(sink, `replay lookup of ${key} #${index}`, () => plan.lookup(key, index));
    }
    const toolDefinitions = capture ? guard(sink, `${key} tool definitions`, () => toolDefinitionsJson(request.tools)) : undefined;
    const scope: ParamScope = { target: "llm", params: [systemPrompt], moduleId: key, callIndex, ...(toolDefinitions !== undefined ? { toolDefinitions } : {}) };
    const system = systemPrompt.value;
    if (recorded) {
      const reply = guard(sink, `replayed output of ${key} #${String(callIndex)}`, () => toAIMessage(recorded.output));
      if (reply) {
        await recordReplayedCall({ model: request.model, system, messages: request.messages, reply, scope, onError: sink });
        return reply;
      }
    }
    return withParamScope(scope, () => handler({ ...request, systemPrompt: system }));
  };
  // what createMiddleware({ name, wrapModelCall }) returns in langchain 1.x, brand included
  return { [MIDDLEWARE_BRAND]: true, name: `tracegrad:${options.name ?? "agent"}`, wrapModelCall } as AgentMiddleware;
}

function validate(options: TracegradMiddlewareOptions): void {
  const given = (options as { systemPrompt?: unknown } | undefined)?.systemPrompt;
  if (!(given instanceof Variable)) {
    throw new InvalidArgumentError(
      `tracegradMiddleware({ systemPrompt }): systemPrompt must be a trainable parameter, got ${given === null ? "null" : typeof given} — create it with param(name, text, { role }), e.g. param("agent.system", text, { role: "system prompt of the agent" }).`,
      { subject: "tracegradMiddleware" },
    );
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name.trim() === "")) {
    throw new InvalidArgumentError(
      `tracegradMiddleware({ name }): name must be a non-blank string (it keys the agent's model calls as "<name>.model"), got ${JSON.stringify(options.name)}.`,
      { subject: "tracegradMiddleware" },
    );
  }
}


/**
 * @module adapters/langchain/replay
 * Replaying a model call inside an agent: the recorded message stands in for the model's reply, and the call is still
 * recorded as an LLM span (marked `tracegrad.replayed`) where the live call would have been, so the re-run's graph
 * has the same shape as the original's.
 */
import { randomUUID } from "node:crypto";
import { AIMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatGeneration } from "@langchain/core/outputs";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { fromGenAiMessages, reportFault, safeText, type ErrorHook } from "../../src/trace/adapter-kit.js";
import { isMessage } from "./messages.js";
import { withParamScope, type ParamScope } from "./param-scope.js";
import { isTracegradTracer, TracegradTracer } from "./tracer.js";

type Loose = Record<string, unknown>;

/**
 * The replay key of an agent's model calls: `${name}.model`, with the 0-based index of the call in the run. A
 * {@link ReplayPlan} answers `lookup("agent.model", 1)` with the second model call's recorded reply.
 *
 * @example
 * modelReplayKey();          // "agent.model"
 * modelReplayKey("planner"); // "planner.model"
 */
export function modelReplayKey(name = "agent"): string {
  return `${name}.model`;
}

/**
 * A recorded reply as an AIMessage: an AIMessage as it is; a string as its content; a recorded message
 * (`{ content, id?, toolCalls? }`, as in ModuleCall.outputMessages) or a GenAI message (`{ role, parts }`) with its
 * tool calls; anything else as its JSON text.
 */
export function toAIMessage(output: unknown): AIMessage {
  if (AIMessage.isInstance(output)) return output;
  if (typeof output === "string") return new AIMessage({ content: output });
  if (isMessage(output)) return new AIMessage({ content: (output.content ?? "") as string, ...(typeof output.id === "string" ? { id: output.id } : {}) });
  if (typeof output === "object" && output !== null) {
    const o = output as Loose;
    const recorded = Array.isArray(o.parts) ? fromGenAiMessages([o])?.[0] : typeof o.content === "string" ? (o as { content: string; id?: unknown; toolCalls?: unknown }) : undefined;
    if (recorded) {
      const calls = Array.isArray(recorded.toolCalls) ? (recorded.toolCalls as { id: string; name: string; arguments: string }[]) : [];
      return new AIMessage({
        content: recorded.content,
        ...(typeof recorded.id === "string" ? { id: recorded.id } : {}),
        tool_calls: calls.map((c) => ({ id: c.id, name: c.name, args: parseArgs(c.arguments), type: "tool_call" as const })),
      });
    }
  }
  return new AIMessage({ content: safeText(output).text });
}

/** What {@link recordReplayedCall} needs. */
export interface ReplayedCall {
  /** The model the call would have gone to (for its name, model and provider attributes). */
  readonly model: unknown;
  readonly system: string;
  readonly messages: readonly BaseMessage[];
  readonly reply: AIMessage;
  readonly scope: ParamScope;
  readonly onError: ErrorHook;
}

/**
 * Records a replayed model call as an LLM run under the current LangChain run: through the tracegrad handler already
 * attached to it when there is one (so the span nests under the agent's model step), else a fresh handler (the span
 * nests under the active OTel span). Other callback handlers are not told: nothing was called.
 */
export async function recordReplayedCall(call: ReplayedCall): Promise<void> {
  try {
    const callbacks = (AsyncLocalStorageProviderSingleton.getRunnableConfig() as Loose | undefined)?.callbacks as Loose | unknown[] | undefined;
    const handlers = Array.isArray(callbacks) ? callbacks : Array.isArray(callbacks?.handlers) ? callbacks.handlers : [];
    const found = handlers.find(isTracegradTracer);
    const tracer = found ?? new TracegradTracer({ onError: call.onError });
    const parentRunId = found && !Array.isArray(callbacks) && typeof callbacks?.getParentRunId === "function" ? (callbacks.getParentRunId as () => string | undefined)() : undefined;
    const model = (call.model ?? {}) as Loose;
    const name = typeof model.getName === "function" ? String((model.getName as () => unknown).call(model)) : "model";
    const ls = (typeof model.getLsParams === "function" ? (model.getLsParams as (o: object) => unknown).call(model, {}) : {}) as Loose;
    const messages = call.system === "" ? [...call.messages] : [new SystemMessage(call.system), ...call.messages];
    const runId = randomUUID();
    const serialized = { lc: 1 as const, type: "not_implemented" as const, id: ["tracegrad", "replayed", name] };
    const invocation = typeof ls.ls_model_name === "string" ? { model: ls.ls_model_name } : {};
    await withParamScope({ ...call.scope, replayed: true }, async () => {
      await tracer.handleChatModelStart(serialized, [messages], runId, parentRunId, { invocation_params: invocation }, ["tracegrad:replayed"], { ...ls, tracegrad_replayed: true }, name);
      const generation: ChatGeneration = { text: call.reply.text, message: call.reply };
      await tracer.handleLLMEnd({ generations: [[generation]] }, runId);
    });
  } catch (error) {
    reportFault(call.onError, error, "recording a replayed model call");
  }
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { input: value };
  } catch {
    return { input: text };
  }
}

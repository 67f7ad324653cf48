/**
 * @module engine/call-engine
 * The one place functions, backward rules, the backward scheduler and the optimizer call an engine or check for
 * one, so every failure surfaces as a typed error naming what was being computed and how to go on.
 */
import { EngineCallError, TracegradError } from "../errors.js";
import { toEngine, type EngineLike } from "./engine-like.js";
import type { Engine, EngineRequest } from "./types.js";

/** What a failed call tells the user by default: forward calls and optimizer updates change nothing when they fail. */
const DEFAULT_ADVICE = "Nothing was changed; fix the engine (or its settings) and run it again.";

/**
 * Wraps a failure as an EngineCallError: "`what` failed: <reason>. `advice`", with the failure kept as `cause`.
 * The caller decides which errors to pass through unwrapped.
 */
export function wrapEngineError(error: unknown, what: string, subject: string, advice: string = DEFAULT_ADVICE): EngineCallError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EngineCallError(`${what} failed: ${reason}. ${advice}`, { subject, cause: error });
}

/**
 * Calls `engine` and returns the reply text (a reply without text counts as empty). A failure becomes an
 * EngineCallError naming `what` and ending with `advice` (an engine's own EngineCallError is kept as `cause`);
 * other tracegrad errors (a budget, a cache fault) pass through unchanged, so callers can catch them by class.
 *
 * @param what what was being computed, e.g. `LLMCall.forward producing "answer"`.
 * @param subject the node the error is about (its id or role).
 * @param advice what the user should do; defaults to "Nothing was changed; fix the engine … and run it again."
 *
 * @example
 * const text = await callEngine(engine, { system, prompt }, `judge for "answer"`, "answer");
 */
export async function callEngine(engine: Engine, request: EngineRequest, what: string, subject: string, advice?: string): Promise<string> {
  try {
    const response = await engine.generate(request);
    return typeof response?.text === "string" ? response.text : "";
  } catch (error) {
    if (TracegradError.isInstance(error) && !EngineCallError.isInstance(error)) throw error;
    throw wrapEngineError(error, what, subject, advice);
  }
}

/**
 * The engine to use for `engine`: an Engine as is, a LangChain chat model wrapped with chatModelEngine; throws
 * NoEngineError otherwise. `who` names the node, e.g. `LLMCall for "answer"`; `passTo` says where the engine goes
 * (default "its constructor", e.g. "backward()"). Callers must use the returned engine, not the option itself.
 */
export function requireEngine(engine: EngineLike | undefined, who: string, subject: string, passTo = "its constructor"): Engine {
  return toEngine(engine, who, subject, passTo);
}

/**
 * @module core/functions/call-engine
 * The one place functions, backward rules and the optimizer call an engine, so every failure surfaces as a typed
 * error naming what was being computed.
 */
import { EngineCallError, NoEngineError, TracegradError } from "../../errors.js";
import type { Engine, EngineRequest } from "../../engine/types.js";

/**
 * Calls `engine` and returns the reply text. A failure becomes an EngineCallError naming `what` (an engine's own
 * EngineCallError is kept as `cause`); other tracegrad errors (a budget, a cache fault) pass through unchanged.
 */
export async function callEngine(engine: Engine, request: EngineRequest, what: string, subject: string): Promise<string> {
  try {
    const response = await engine.generate(request);
    return typeof response?.text === "string" ? response.text : "";
  } catch (error) {
    if (TracegradError.isInstance(error) && error.name !== "EngineCallError") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineCallError(`${what} failed: ${reason}. Nothing was changed; fix the engine (or its settings) and run it again.`, {
      subject,
      cause: error,
    });
  }
}

/** Throws NoEngineError unless `engine` looks like an Engine. `who` names the node, e.g. `LLMCall for "answer"`. */
export function requireEngine(engine: Engine | undefined, who: string, subject: string): Engine {
  if (!engine || typeof engine.generate !== "function") {
    throw new NoEngineError(`${who} needs an engine — pass { engine } to its constructor.`, { subject });
  }
  return engine;
}

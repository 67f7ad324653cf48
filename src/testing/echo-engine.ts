/**
 * @module testing/echo-engine
 * The simplest possible engine: it answers with the prompt. Useful to check plumbing (what reached the engine, in
 * which order) without scripting replies.
 */
import { estimateUsage } from "../engine/estimate-tokens.js";
import type { Engine, EngineRequest, EngineResponse } from "../engine/types.js";

/**
 * An engine whose reply is the request's `prompt`, unchanged. Every request is recorded in `calls`; usage is
 * ceil(characters / 4) per side.
 *
 * @example
 * const engine = new EchoEngine();
 * const { text } = await engine.generate({ system: "ignored", prompt: "hello" }); // "hello"
 */
export class EchoEngine implements Engine {
  readonly model = "echo";
  /** Every request received, in order. */
  readonly calls: EngineRequest[] = [];

  /** Records `request` and answers with its prompt. */
  async generate(request: EngineRequest): Promise<EngineResponse> {
    this.calls.push(request);
    request.signal?.throwIfAborted();
    return { text: request.prompt, usage: estimateUsage(request, request.prompt), model: this.model };
  }
}

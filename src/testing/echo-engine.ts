/**
 * @module testing/echo-engine
 * The simplest possible engine: it answers with the prompt. Useful to check plumbing (what reached the engine, in
 * which order) without scripting replies.
 */
import { estimateMessageTokens, estimateTokens } from "../engine/estimate-tokens.js";
import { requestMessages, type Engine, type EngineRequest, type EngineResponse } from "../engine/types.js";

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

  async generate(request: EngineRequest): Promise<EngineResponse> {
    this.calls.push(request);
    request.signal?.throwIfAborted();
    const inputTokens = estimateMessageTokens(requestMessages(request));
    const outputTokens = estimateTokens(request.prompt);
    return { text: request.prompt, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }, model: this.model };
  }
}

/**
 * @module testing/fake-engine
 * A scripted engine for tests: fixed replies in order, or replies computed from the request. It records every request
 * so tests can assert on the exact prompts an optimizer or backward pass sent.
 */
import { estimateUsage } from "../engine/estimate-tokens.js";
import type { Engine, EngineRequest, EngineResponse } from "../engine/types.js";
import { InvalidArgumentError } from "../errors.js";
import { withoutParamReads } from "../trace/param-reads.js";
import { FakeEngineExhaustedError } from "./errors.js";

/** Replies of a {@link FakeEngine}: a list used in order, or a function of the request. */
export type FakeResponses = readonly string[] | ((request: EngineRequest) => string | Promise<string>);

/** Options of {@link FakeEngine}. */
export interface FakeEngineOptions {
  /** The engine's model name, as it appears in cache keys and usage reports. Default "fake". */
  readonly model?: string;
}

/**
 * An engine that answers from a script instead of a model. Every request is recorded in `calls`. Usage is reported
 * as ceil(characters / 4) per side.
 *
 * @example
 * const engine = new FakeEngine(["The answer lacks units.", "42 m"]);
 * await engine.generate({ prompt: "Critique: 42" }); // "The answer lacks units."
 * expect(engine.calls[0]?.prompt).toBe("Critique: 42");
 *
 * @example
 * const echoUpper = new FakeEngine((request) => request.prompt.toUpperCase());
 */
export class FakeEngine implements Engine {
  readonly model: string;
  /** Every request received, in order (also those that failed because the script ran out). */
  readonly calls: EngineRequest[] = [];
  readonly #responses: FakeResponses;

  constructor(responses: FakeResponses, options: FakeEngineOptions = {}) {
    if (!(Array.isArray(responses) || typeof responses === "function")) {
      throw new InvalidArgumentError("FakeEngine: responses must be an array of strings or a function of the request.", { subject: "responses" });
    }
    this.#responses = responses;
    this.model = options.model ?? "fake";
  }

  /** Records `request`, then answers with the next scripted reply (or the response function's). */
  async generate(request: EngineRequest): Promise<EngineResponse> {
    this.calls.push(request);
    request.signal?.throwIfAborted();
    const text = await this.#next(request);
    return { text, usage: estimateUsage(request, text), model: this.model };
  }

  async #next(request: EngineRequest): Promise<string> {
    const responses = this.#responses;
    if (typeof responses === "function") {
      // a stand-in model comparing prompts (req.system === prompt.value) is not the agent using them
      const text = await withoutParamReads(() => responses(request));
      if (typeof text !== "string") {
        throw new InvalidArgumentError(`FakeEngine: the response function returned ${typeof text}, not a string.`, { subject: "responses" });
      }
      return text;
    }
    const text = responses[this.calls.length - 1];
    if (text === undefined) {
      throw new FakeEngineExhaustedError(
        `FakeEngine: call ${this.calls.length} but only ${responses.length} response${responses.length === 1 ? " was" : "s were"} scripted. ` +
          `Add responses to new FakeEngine([...]) or pass a function (request) => string.`,
        { subject: "FakeEngine" },
      );
    }
    return text;
  }
}

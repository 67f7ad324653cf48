/**
 * @module engine/types
 * The one interface every model sits behind. Deliberately tiny: a request with an optional system prompt and a user
 * prompt, a reply with text and token usage. Provider SDKs never appear in this layer.
 */

/** One turn of a chat, for engines that receive earlier turns. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** Sampling parameters. They are part of the cache key, unlike in TextGrad. */
export interface SamplingParams {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
}

/** What an engine is asked. `system` and `prompt` become a system and a user message. */
export interface EngineRequest extends SamplingParams {
  readonly system?: string;
  readonly prompt: string;
  /** Earlier turns placed between the system prompt and `prompt` (used by repair retries). */
  readonly history?: readonly ChatMessage[];
  readonly signal?: AbortSignal;
}

/** Token counts of one call (or a sum of calls). */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** What an engine answers. */
export interface EngineResponse {
  readonly text: string;
  readonly usage?: Usage;
  /** The model that actually answered, when the engine knows it. */
  readonly model?: string;
  /** True when the reply came from a cache rather than a model. */
  readonly cached?: boolean;
}

/**
 * A language model behind one method. Implement it to plug in any provider; wrap it with `withCache`, `withUsage`,
 * `withRetry` or `withLimit` to add behaviour.
 */
export interface Engine {
  /** A model name, used in cache keys and usage reports. */
  readonly model?: string;
  /** Answers one request. Rejects when the call fails or `request.signal` aborts it. */
  generate(request: EngineRequest): Promise<EngineResponse>;
}

/** The messages an engine sends for a request, in order. Shared by engines and the cache key. */
export function requestMessages(request: EngineRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined) messages.push({ role: "system", content: request.system });
  if (request.history) messages.push(...request.history);
  messages.push({ role: "user", content: request.prompt });
  return messages;
}

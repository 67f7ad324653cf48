/**
 * @module engine/default-engine
 * The engine used when the caller configures nothing else: ChatOpenAI pointed at OpenAI or any OpenAI-compatible
 * server (Ollama, vLLM, LM Studio …) through environment variables. @langchain/openai is an optional peer, loaded on
 * the first call.
 */
import { ConfigError, InvalidArgumentError } from "../errors.js";
import { chatModelEngine } from "./chat-model-engine.js";
import type { IdentifiedEngine } from "./engine-identity.js";
import { importOptional } from "./optional-import.js";
import { withRetry } from "./retry.js";
import { canonicalJson } from "./stable-hash.js";
import type { Engine, EngineRequest, EngineResponse } from "./types.js";

/** Options of {@link defaultEngine}. Each overrides the matching environment variable. */
export interface DefaultEngineOptions {
  /** Model name. Default: TRACEGRAD_MODEL, else "gpt-4o-mini". */
  readonly model?: string;
  /** Default 0, so runs are as repeatable as the provider allows. */
  readonly temperature?: number;
  /** Per-request timeout in milliseconds. Default: the openai client's (10 minutes). */
  readonly timeoutMs?: number;
  /** Retries on 429, 5xx and timeouts (see withRetry, whose other defaults apply). Default 8. */
  readonly maxRetries?: number;
  /** Where to read the variables from. Default `process.env`; pass an object to keep tests independent of the shell. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_MODEL = "gpt-4o-mini";
const OPENAI_URL = "https://api.openai.com/v1";

/**
 * An engine backed by ChatOpenAI, configured from the environment when it is created:
 * - `OPENAI_API_KEY` — the key (local servers need none),
 * - `OPENAI_BASE_URL` — an OpenAI-compatible endpoint, e.g. `http://localhost:11434/v1` for Ollama,
 * - `TRACEGRAD_MODEL` — the model name (default "gpt-4o-mini").
 *
 * Nothing is checked or loaded until the first `generate()`, which throws ConfigError when neither OPENAI_API_KEY nor
 * OPENAI_BASE_URL is set, or when @langchain/openai is not installed. Retries use withRetry (ChatOpenAI's own
 * retries are off: LangChain's default policy gives up on a 429 that has no Retry-After header).
 *
 * @example
 * // OPENAI_BASE_URL=http://localhost:11434/v1 TRACEGRAD_MODEL=llama3.1 node app.js
 * const engine = defaultEngine({ timeoutMs: 60_000 });
 * const { text } = await engine.generate({ prompt: "Say hi" });
 */
export function defaultEngine(options: DefaultEngineOptions = {}): IdentifiedEngine {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(env.OPENAI_API_KEY);
  const baseURL = nonEmpty(env.OPENAI_BASE_URL);
  const model = options.model ?? nonEmpty(env.TRACEGRAD_MODEL) ?? DEFAULT_MODEL;
  const temperature = options.temperature ?? 0;
  const { timeoutMs, maxRetries } = options;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    throw new InvalidArgumentError(`defaultEngine: timeoutMs must be a number > 0 (got ${String(timeoutMs)}).`, { subject: "timeoutMs" });
  }

  const build = async (): Promise<Engine> => {
    if (apiKey === undefined && baseURL === undefined) {
      throw new ConfigError(
        "defaultEngine(): no model is configured. Set OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for any OpenAI-compatible " +
          `server), and optionally TRACEGRAD_MODEL (default "${DEFAULT_MODEL}"). For a local Ollama: ` +
          "OPENAI_BASE_URL=http://localhost:11434/v1 TRACEGRAD_MODEL=llama3.1 node your-script.js — or pass an engine of your own.",
        { subject: "OPENAI_API_KEY" },
      );
    }
    const { ChatOpenAI } = await importOptional(() => import("@langchain/openai"), "@langchain/openai", "defaultEngine()");
    const chat = new ChatOpenAI({
      model,
      temperature,
      apiKey: apiKey ?? "not-needed", // local servers ignore the key, but the openai client insists on one
      maxRetries: 0,
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
      // Always explicit, so an injected `env` is not overridden by the openai client reading process.env itself.
      configuration: { baseURL: baseURL ?? OPENAI_URL },
    });
    return chatModelEngine(chat, { name: model });
  };

  let engine: Promise<Engine> | undefined;
  const lazy: Engine = {
    model,
    generate: async (request: EngineRequest): Promise<EngineResponse> => (await (engine ??= build())).generate(request),
  };
  return {
    ...withRetry(lazy, maxRetries === undefined ? {} : { maxRetries }), // built now so a bad maxRetries fails here, not on the first call
    cacheIdentity: canonicalJson({ type: "openai-compatible", baseURL: baseURL ?? OPENAI_URL, temperature }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

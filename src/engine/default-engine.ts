/**
 * @module engine/default-engine
 * The engine used when the caller configures nothing else: ChatOpenAI pointed at OpenAI or any OpenAI-compatible
 * server (Ollama, vLLM, LM Studio …) through environment variables. @langchain/openai is an optional peer: its import
 * starts when the engine is created (it takes about a second) and is awaited by `ready()` or the first call.
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

/** The engine {@link defaultEngine} returns: an {@link IdentifiedEngine} that can be warmed up before work starts. */
export interface DefaultEngine extends IdentifiedEngine {
  /**
   * Resolves once the engine can answer without further set-up: configuration checked and @langchain/openai loaded.
   * Rejects with the error the first `generate()` would throw (ConfigError when nothing is configured or the package
   * is missing). Optional: `generate()` waits for the same work, but then its first call pays for it.
   */
  ready(): Promise<void>;
}

const DEFAULT_MODEL = "gpt-4o-mini";
const OPENAI_URL = "https://api.openai.com/v1";

/**
 * An engine backed by ChatOpenAI, configured from the environment when it is created:
 * - `OPENAI_API_KEY` — the key (local servers need none),
 * - `OPENAI_BASE_URL` — an OpenAI-compatible endpoint, e.g. `http://localhost:11434/v1` for Ollama,
 * - `TRACEGRAD_MODEL` — the model name (default "gpt-4o-mini").
 *
 * Creating the engine never throws for missing configuration: the import of @langchain/openai starts in the
 * background, and its errors, like the configuration check, surface on `ready()` or the first `generate()` — which
 * throws ConfigError when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set, or when @langchain/openai is not
 * installed. Await `ready()` before timed work so the first step is not billed the import. Retries use withRetry
 * (ChatOpenAI's own retries are off: LangChain's default policy gives up on a 429 that has no Retry-After header).
 *
 * @example
 * // OPENAI_BASE_URL=http://localhost:11434/v1 TRACEGRAD_MODEL=llama3.1 node app.js
 * const engine = defaultEngine({ timeoutMs: 60_000 });
 * await engine.ready(); // optional warm-up: config checked, @langchain/openai loaded
 * const { text } = await engine.generate({ prompt: "Say hi" });
 */
export function defaultEngine(options: DefaultEngineOptions = {}): DefaultEngine {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(env.OPENAI_API_KEY);
  const baseURL = nonEmpty(env.OPENAI_BASE_URL);
  const model = options.model ?? nonEmpty(env.TRACEGRAD_MODEL) ?? DEFAULT_MODEL;
  const temperature = options.temperature ?? 0;
  const { timeoutMs, maxRetries } = options;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    throw new InvalidArgumentError(`defaultEngine: timeoutMs must be a number > 0 (got ${String(timeoutMs)}).`, { subject: "timeoutMs" });
  }

  // Started now, awaited later: the import is the slow part of the first call. The no-op catch keeps a failed import
  // from being reported as unhandled before anyone awaits it; build() rethrows it.
  const loading = importOptional(() => import("@langchain/openai"), "@langchain/openai", "defaultEngine()");
  loading.catch(() => {});

  const build = async (): Promise<Engine> => {
    if (apiKey === undefined && baseURL === undefined) {
      throw new ConfigError(
        "defaultEngine(): no model is configured. Set OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for any OpenAI-compatible " +
          `server), and optionally TRACEGRAD_MODEL (default "${DEFAULT_MODEL}"). For a local Ollama: ` +
          "OPENAI_BASE_URL=http://localhost:11434/v1 TRACEGRAD_MODEL=llama3.1 node your-script.js — or pass an engine of your own.",
        { subject: "OPENAI_API_KEY" },
      );
    }
    const { ChatOpenAI } = await loading;
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
    ready: async () => {
      await (engine ??= build());
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

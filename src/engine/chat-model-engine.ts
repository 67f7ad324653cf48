/**
 * @module engine/chat-model-engine
 * Any LangChain chat model as an {@link Engine}. LangChain is only touched through the model the caller passes in and
 * a lazy import of its message classes, so this module loads without LangChain installed.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import { EngineCallError, InvalidArgumentError } from "../errors.js";
import type { IdentifiedEngine } from "./engine-identity.js";
import { importOptional } from "./optional-import.js";
import { redactSecrets } from "./redact-secrets.js";
import { causeChain, statusOf } from "./retry-policy.js";
import { canonicalJson } from "./stable-hash.js";
import { requestMessages, type ChatMessage, type EngineRequest, type EngineResponse, type Usage } from "./types.js";

/** Options of {@link chatModelEngine}. */
export interface ChatModelEngineOptions {
  /** The engine's `model` name, for cache keys and usage reports. Default: the model's `model`/`modelName`, else its `_llmType()`. */
  readonly name?: string;
}

/** Request sampling parameters that LangChain models take only in their constructor, with their usual field names. */
const CONSTRUCTOR_PARAMS = [
  ["temperature", "temperature"],
  ["topP", "topP"],
  ["maxTokens", "maxTokens"],
] as const;

/**
 * Top-level keys of `_identifyingParams()` left out of `cacheIdentity`: secrets and transport settings that do not
 * change replies. Secrets deeper down (Azure's `defaultQuery: { "api-key" }`) are redacted by redactSecrets.
 */
const NOT_IDENTITY = /api_?key|secret|password|token$|credential|authorization|header|organization|timeout|retries|fetch|agent|dangerously|callbacks/i;

/**
 * Wraps a LangChain chat model (ChatOpenAI, ChatAnthropic, ChatOllama, a fake chat model …) as an engine. The request
 * becomes `[SystemMessage?, ...history, HumanMessage]`; `stop`, `seed` and the request's abort signal go to
 * `model.invoke` per call. `temperature`, `topP` and `maxTokens` are constructor settings in LangChain, so a request
 * that sets them to something else runs on a copy of the model built from its constructor arguments (`lc_kwargs`)
 * with those fields replaced; copies are reused per combination.
 *
 * `cacheIdentity` is the model's `_llmType()` plus its `_identifyingParams()` (model name, default temperature, base
 * URL …) without timeouts and with secrets redacted at any depth (by name such as api-key / token / secret /
 * password / authorization / credential, every value under headers, query and auth, and credentials in URLs), so
 * differently configured models never share cache entries and no key reaches a cache file.
 *
 * Provider errors are thrown as EngineCallError with the original error as `cause` (its HTTP `status` stays
 * readable there, which is what withRetry looks at). Retries: either give the model its own `maxRetries` (LangChain's
 * default policy does not retry a 429 without a Retry-After header) or set it to 0 and wrap with withRetry.
 *
 * @example
 * import { ChatOpenAI } from "@langchain/openai";
 * const engine = chatModelEngine(new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 }));
 * const { text, usage } = await engine.generate({ system: "Be brief.", prompt: "What is 2 + 2?" });
 */
export function chatModelEngine(model: BaseChatModel, options: ChatModelEngineOptions = {}): IdentifiedEngine {
  if (typeof (model as Partial<BaseChatModel> | undefined)?.invoke !== "function") {
    throw new InvalidArgumentError("chatModelEngine: expected a LangChain chat model (something with .invoke()), e.g. new ChatOpenAI({ model }).", {
      subject: "model",
    });
  }
  const name = options.name ?? modelName(model);
  const variants = new Map<string, BaseChatModel>();
  let messageClasses: Promise<typeof import("@langchain/core/messages")> | undefined;

  return {
    model: name,
    cacheIdentity: canonicalJson({ type: llmType(model), params: identifyingParams(model) }),
    async generate(request: EngineRequest): Promise<EngineResponse> {
      const target = configuredModel(model, request, variants, name);
      const lc = await (messageClasses ??= importOptional(() => import("@langchain/core/messages"), "@langchain/core", "chatModelEngine()"));
      const messages = toLangChainMessages(lc, request);
      const callOptions = {
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.stop ? { stop: [...request.stop] } : {}),
        ...(request.seed === undefined ? {} : { seed: request.seed }), // ChatOpenAI takes it per call; others ignore it
      };
      let reply: BaseMessage;
      try {
        reply = await target.invoke(messages, callOptions);
      } catch (error) {
        throw wrapError(error, name);
      }
      const usage = readUsage(reply);
      const metadata = (reply.response_metadata ?? {}) as Record<string, unknown>;
      const answeredBy = typeof metadata.model_name === "string" ? metadata.model_name : typeof metadata.model === "string" ? metadata.model : name;
      return { text: contentText(reply.content), ...(usage ? { usage } : {}), model: answeredBy };
    },
  };
}

function toLangChainMessages(lc: typeof import("@langchain/core/messages"), request: EngineRequest): BaseMessage[] {
  const convert = (message: ChatMessage): BaseMessage =>
    message.role === "system"
      ? new lc.SystemMessage(message.content)
      : message.role === "assistant"
        ? new lc.AIMessage(message.content)
        : new lc.HumanMessage(message.content);
  return requestMessages(request).map(convert);
}

/** The model itself, or a copy with the request's constructor-only sampling parameters applied. */
function configuredModel(model: BaseChatModel, request: EngineRequest, variants: Map<string, BaseChatModel>, name: string): BaseChatModel {
  const fields = model as unknown as Record<string, unknown>;
  const overrides: Record<string, number> = {};
  for (const [param, field] of CONSTRUCTOR_PARAMS) {
    const value = request[param];
    if (value === undefined || fields[field] === value) continue;
    if (!(field in model)) {
      throw new InvalidArgumentError(
        `chatModelEngine("${name}"): request.${param} = ${value} cannot be applied, ${model.constructor.name} has no "${field}" field. ` +
          `Set it when you construct the model and leave it out of the request.`,
        { subject: `request.${param}` },
      );
    }
    overrides[field] = value;
  }
  if (Object.keys(overrides).length === 0) return model;
  const key = canonicalJson(overrides);
  let variant = variants.get(key);
  if (!variant) {
    const kwargs = (model as unknown as { lc_kwargs?: Record<string, unknown> }).lc_kwargs;
    if (!kwargs) {
      throw new InvalidArgumentError(
        `chatModelEngine("${name}"): cannot rebuild ${model.constructor.name} with ${key} (it has no lc_kwargs). Set these on the model instead.`,
        { subject: "request" },
      );
    }
    const Model = model.constructor as new (fields: Record<string, unknown>) => BaseChatModel;
    variant = new Model({ ...kwargs, ...overrides });
    variants.set(key, variant);
  }
  return variant;
}

function modelName(model: BaseChatModel): string {
  const fields = model as unknown as Record<string, unknown>;
  for (const field of ["model", "modelName"]) {
    if (typeof fields[field] === "string" && fields[field] !== "") return fields[field] as string;
  }
  return llmType(model);
}

function llmType(model: BaseChatModel): string {
  try {
    return model._llmType();
  } catch {
    return model.constructor.name;
  }
}

function identifyingParams(model: BaseChatModel): Record<string, unknown> {
  let params: Record<string, unknown>;
  try {
    params = model._identifyingParams() as Record<string, unknown>;
  } catch {
    return {};
  }
  const kept = Object.fromEntries(Object.entries(params ?? {}).filter(([key]) => !NOT_IDENTITY.test(key)));
  return redactSecrets(kept) as Record<string, unknown>;
}

/** String content as is; content blocks reduced to their text parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      if (typeof part === "string") return part;
      const block = part as { type?: unknown; text?: unknown } | null;
      return block?.type === "text" && typeof block.text === "string" ? block.text : "";
    })
    .join("");
}

function readUsage(reply: BaseMessage): Usage | undefined {
  const meta = (reply as { usage_metadata?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } }).usage_metadata;
  if (typeof meta?.input_tokens !== "number" || typeof meta.output_tokens !== "number") return undefined;
  return { inputTokens: meta.input_tokens, outputTokens: meta.output_tokens, totalTokens: meta.total_tokens ?? meta.input_tokens + meta.output_tokens };
}

function wrapError(error: unknown, name: string): EngineCallError {
  const status = causeChain(error).map(statusOf).find((s) => s !== undefined);
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const errorName = error instanceof Error ? error.name : "";
  const hint =
    status === 401 || status === 403
      ? "Check the API key (OPENAI_API_KEY for OpenAI)."
      : status === 404
        ? "Check the model name and the base URL."
        : status === 429
          ? "The provider is rate limiting: lower concurrency (withLimit) or retry (withRetry)."
          : (status ?? 0) >= 500 || errorName === "TimeoutError"
            ? "The provider failed or was too slow: retry (withRetry) or raise the model's timeout."
            : errorName === "SyntaxError"
              ? "The server's reply was not valid JSON: check that the base URL points at an OpenAI-compatible API."
              : errorName === "AbortError"
                ? "The call was aborted by its signal."
                : "See `cause` for the provider's error.";
  return new EngineCallError(`chatModelEngine("${name}"): the model call failed${status === undefined ? "" : ` with HTTP ${status}`}: ${message} ${hint}`, {
    subject: name,
    cause: error,
  });
}

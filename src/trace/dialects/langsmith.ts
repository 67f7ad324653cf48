/**
 * @module trace/dialects/langsmith
 * LangSmith's OTel mode (`LANGSMITH_TRACING_MODE=otel`): `langsmith.span.kind` is the run type, `langsmith.trace.name`
 * the run name, and the run's whole `inputs` / `outputs` are JSON in the legacy `gen_ai.prompt` / `gen_ai.completion`
 * attributes (chat-model runs: `{ messages: [[...]] }` in, `{ generations: [[{ text, message }]] }` out).
 */
import { GENAI, LANGSMITH, OI } from "../attributes.js";
import { messagesText, parseLoose, replyText, withSystemMessage } from "../genai-messages.js";
import type { CallKind, RecordedMessage } from "../module-call.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { num, parseJson, str, systemOf, usageOf, withResponseId, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";
import { fromLangChainMessage, langChainMessages, unwrapIo } from "./langchain-messages.js";

const KINDS: Record<string, CallKind> = {
  llm: "llm",
  chat_model: "llm",
  chain: "chain",
  parser: "chain",
  tool: "tool",
  retriever: "retriever",
  prompt: "prompt",
  embedding: "unknown",
};

function matches(attrs: SpanAttributesLike): boolean {
  return attrs[LANGSMITH.spanKind] !== undefined;
}

function read(span: SpanLike, base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const runType = str(attrs, LANGSMITH.spanKind) ?? "";
  const kind = KINDS[runType] ?? "unknown";
  const inputs = attrs[GENAI.legacyPrompt] !== undefined ? parseJson(attrs, GENAI.legacyPrompt, warn) : parseLoose(str(attrs, LANGSMITH.traceloopInput));
  const outputs = attrs[GENAI.legacyCompletion] !== undefined ? parseJson(attrs, GENAI.legacyCompletion, warn) : parseLoose(str(attrs, LANGSMITH.traceloopOutput));
  const name = str(attrs, LANGSMITH.traceName) ?? base.name;
  const model = str(attrs, GENAI.requestModel) ?? str(attrs, GENAI.responseModel);
  const usage = usageOf(num(attrs, GENAI.inputTokens), num(attrs, GENAI.outputTokens), num(attrs, GENAI.totalTokens));
  if (inputs === undefined && outputs === undefined) warn(`has neither ${GENAI.legacyPrompt} nor ${GENAI.legacyCompletion}; kept without input and output`);
  if (kind === "llm") {
    const messages = llmInputMessages(inputs);
    const replies = withResponseId(llmOutputMessages(outputs), str(attrs, GENAI.responseId));
    const system = messages ? systemOf(messages) : undefined;
    return {
      name,
      kind,
      input: messages ? messagesText(messages) : unwrapIo(inputs),
      output: replies.length > 0 ? replyText(replies) : unwrapIo(outputs),
      system,
      messages: messages ? withSystemMessage(messages, system) : undefined,
      outputMessages: replies.length > 0 ? replies : undefined,
      model,
      usage,
    };
  }
  return {
    name,
    kind,
    input: inputs === undefined ? str(attrs, OI.inputValue) ?? "" : unwrapIo(inputs),
    output: outputs === undefined ? str(attrs, OI.outputValue) ?? "" : unwrapIo(outputs),
    toolCallId: kind === "tool" ? str(attrs, GENAI.toolCallId) : undefined,
    model,
    usage,
  };
}

/** Chat-model run inputs: `{ messages: [[...]] }`, OpenAI-wrapper inputs `{ messages: [...] }`, or `{ prompts: [...] }`. */
function llmInputMessages(inputs: unknown): RecordedMessage[] | undefined {
  if (typeof inputs !== "object" || inputs === null) return undefined;
  const i = inputs as Record<string, unknown>;
  const messages = langChainMessages(i.messages ?? i.input);
  if (messages) return messages;
  if (Array.isArray(i.prompts)) return i.prompts.map((p) => ({ role: "user", content: String(p) }));
  return undefined;
}

/** Chat-model run outputs (`generations[0][*].message` / `.text`) or OpenAI-wrapper outputs (`choices[*].message`). */
function llmOutputMessages(outputs: unknown): RecordedMessage[] {
  if (typeof outputs !== "object" || outputs === null) return [];
  const o = outputs as Record<string, unknown>;
  const out: RecordedMessage[] = [];
  if (Array.isArray(o.generations)) {
    const first = (Array.isArray(o.generations[0]) ? o.generations[0] : o.generations) as Record<string, unknown>[];
    for (const g of first) {
      const m = fromLangChainMessage(g?.message);
      if (m) out.push(m);
      else if (typeof g?.text === "string") out.push({ role: "assistant", content: g.text });
    }
  } else if (Array.isArray(o.choices)) {
    for (const c of o.choices as Record<string, unknown>[]) {
      const m = fromLangChainMessage(c?.message);
      if (m) out.push(m);
    }
  }
  return out;
}


/** Reader for LangSmith's OTel mode. */
export const langsmithReader: DialectReader = { dialect: "langsmith", matches, read };

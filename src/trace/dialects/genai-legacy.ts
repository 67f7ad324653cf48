/**
 * @module trace/dialects/genai-legacy
 * The deprecated GenAI convention still emitted by OpenLLMetry/Traceloop and older instrumentations: `gen_ai.system`
 * as the provider, messages flattened as `gen_ai.prompt.{i}.role|content|tool_call_id|tool_calls.{j}.*` and
 * `gen_ai.completion.{i}.*`, `gen_ai.usage.prompt_tokens`. Traceloop's workflow/task spans
 * (`traceloop.span.kind`, `traceloop.entity.input|output`) come from the same family and are read here too.
 */
import { GENAI, LANGSMITH, OI } from "../attributes.js";
import { messagesText, parseLoose, replyText, textOf } from "../genai-messages.js";
import type { CallKind, RecordedMessage } from "../module-call.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { draftToMessage, hasIndexedPrefix, inIndexOrder, num, str, systemOf, usageOf, withResponseId, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";
import { unwrapIo } from "./langchain-messages.js";

const TRACELOOP_KINDS: Record<string, CallKind> = { workflow: "chain", task: "module", agent: "agent", tool: "tool" };

function matches(attrs: SpanAttributesLike): boolean {
  return (
    attrs[GENAI.legacySystem] !== undefined ||
    attrs[GENAI.legacyPromptTokens] !== undefined ||
    attrs[LANGSMITH.traceloopKind] !== undefined ||
    attrs[LANGSMITH.traceloopInput] !== undefined ||
    hasIndexedPrefix(attrs, GENAI.legacyPromptPrefix) ||
    hasIndexedPrefix(attrs, GENAI.legacyCompletionPrefix)
  );
}

/**
 * Flattened messages under `prefix` (`gen_ai.prompt.` or `gen_ai.completion.`), in index order. One pass over the
 * keys; holes in the numbering are skipped.
 */
function flattenedMessages(attrs: SpanAttributesLike, prefix: string): RecordedMessage[] {
  const byIndex = new Map<number, { role?: string; content?: string; id?: string; toolCallId?: string; calls: Map<number, Record<string, string>> }>();
  for (const key in attrs) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    const index = Number(dot < 0 ? NaN : rest.slice(0, dot));
    if (!Number.isInteger(index)) continue;
    const field = rest.slice(dot + 1);
    let m = byIndex.get(index);
    if (!m) byIndex.set(index, (m = { calls: new Map() }));
    const value = textOf(attrs[key]);
    if (field === "role") m.role = value;
    else if (field === "content") m.content = value;
    else if (field === "id") m.id = value;
    else if (field === "tool_call_id") m.toolCallId = value;
    else if (field.startsWith("tool_calls.")) {
      const [j, ...sub] = field.slice("tool_calls.".length).split(".");
      const ji = Number(j);
      if (!Number.isInteger(ji)) continue;
      const call = m.calls.get(ji) ?? {};
      call[sub.join(".")] = value;
      m.calls.set(ji, call);
    }
  }
  const defaultRole = prefix === GENAI.legacyCompletionPrefix ? "assistant" : "user";
  return inIndexOrder(byIndex).map((m) => draftToMessage(m, m.role ?? defaultRole, m.content ?? ""));
}

function read(span: SpanLike, base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const messages = flattenedMessages(attrs, GENAI.legacyPromptPrefix);
  const replies = withResponseId(flattenedMessages(attrs, GENAI.legacyCompletionPrefix), str(attrs, GENAI.responseId));
  const traceloopKind = str(attrs, LANGSMITH.traceloopKind);
  const isLlm = messages.length > 0 || replies.length > 0 || str(attrs, LANGSMITH.traceloopRequestType) !== undefined || (traceloopKind === undefined && str(attrs, GENAI.requestModel) !== undefined);
  const kind: CallKind = isLlm ? "llm" : (traceloopKind === undefined ? undefined : TRACELOOP_KINDS[traceloopKind]) ?? "unknown";
  const system = systemOf(messages);
  let input: string;
  let output: string;
  if (isLlm) {
    input = messagesText(messages);
    output = replyText(replies);
    if (messages.length === 0 && replies.length === 0) warn(`has no ${GENAI.legacyPromptPrefix}N.* / ${GENAI.legacyCompletionPrefix}N.* content (content tracing may be off, e.g. TRACELOOP_TRACE_CONTENT=false)`);
  } else {
    input = unwrapIo(parseLoose(str(attrs, LANGSMITH.traceloopInput) ?? str(attrs, GENAI.legacyPrompt))) || (str(attrs, OI.inputValue) ?? "");
    output = unwrapIo(parseLoose(str(attrs, LANGSMITH.traceloopOutput) ?? str(attrs, GENAI.legacyCompletion))) || (str(attrs, OI.outputValue) ?? "");
    if (input === "" && output === "") warn("has neither traceloop.entity.input nor traceloop.entity.output; kept without input and output");
  }
  return {
    name: str(attrs, LANGSMITH.traceloopName) ?? base.name,
    kind,
    input,
    output,
    system,
    messages: isLlm ? messages : undefined,
    outputMessages: isLlm ? replies : undefined,
    toolCallId: kind === "tool" ? str(attrs, GENAI.toolCallId) : undefined,
    model: str(attrs, GENAI.requestModel) ?? str(attrs, GENAI.responseModel),
    usage: usageOf(num(attrs, GENAI.legacyPromptTokens) ?? num(attrs, GENAI.inputTokens), num(attrs, GENAI.legacyCompletionTokens) ?? num(attrs, GENAI.outputTokens)),
  };
}

/** Reader for the legacy GenAI convention (and Traceloop entity spans). */
export const genaiLegacyReader: DialectReader = { dialect: "genai-legacy", matches, read };

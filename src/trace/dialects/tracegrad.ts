/**
 * @module trace/dialects/tracegrad
 * Our own spans (`tracegrad.kind`): modules and tools from traceModule, LLM calls from tracedEngine and the LangChain
 * adapter, and the `tracegrad.run` root. They carry the exact evidence — parameter ids and versions, value ids,
 * input references — plus the GenAI message keys, which are read with the GenAI reader's helper.
 */
import { GENAI, OI, TG } from "../attributes.js";
import { messagesText, replyText } from "../genai-messages.js";
import type { CallKind, ParamUse } from "../module-call.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { num, str, strList, usageOf, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";
import { readGenAiMessages } from "./genai.js";

const KINDS: Record<string, CallKind> = {
  module: "module",
  llm: "llm",
  tool: "tool",
  chain: "chain",
  prompt: "prompt",
  retriever: "retriever",
  agent: "agent",
  // the root of a trace() run: a chain around everything (the graph builder recognises it by `tracegrad.kind`)
  run: "chain",
};

function matches(attrs: SpanAttributesLike): boolean {
  return attrs[TG.kind] !== undefined;
}

/** `tracegrad.param.ids` with each id's `.version` / `.value` / `.role`. */
function readParams(attrs: SpanAttributesLike): ParamUse[] {
  return strList(attrs, TG.paramIds).map((id) => {
    const prefix = `${TG.paramPrefix}${id}.`;
    const use: { -readonly [K in keyof ParamUse]: ParamUse[K] } = { id };
    const version = str(attrs, `${prefix}version`);
    const value = str(attrs, `${prefix}value`);
    const role = str(attrs, `${prefix}role`);
    if (version !== undefined) use.version = version;
    if (value !== undefined) use.value = value;
    if (role !== undefined) use.role = role;
    return use;
  });
}

function read(span: SpanLike, _base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const raw = str(attrs, TG.kind) ?? "";
  const kind = KINDS[raw];
  if (kind === undefined) warn(`has an unknown ${TG.kind} "${raw}"; read as kind "unknown"`);
  const io = kind === "llm" ? readGenAiMessages(attrs, warn) : {};
  return {
    kind: kind ?? "unknown",
    input: str(attrs, OI.inputValue) ?? (io.messages ? messagesText(io.messages) : ""),
    output: str(attrs, OI.outputValue) ?? (io.outputMessages ? replyText(io.outputMessages) : ""),
    params: readParams(attrs),
    inputRefs: strList(attrs, TG.inputRefs),
    system: str(attrs, TG.systemPrompt) ?? io.system,
    messages: io.messages,
    outputMessages: io.outputMessages,
    toolCallId: str(attrs, GENAI.toolCallId),
    model: str(attrs, GENAI.requestModel) ?? str(attrs, GENAI.responseModel),
    usage: usageOf(num(attrs, GENAI.inputTokens), num(attrs, GENAI.outputTokens)),
    valueId: str(attrs, TG.valueId),
    moduleId: str(attrs, TG.moduleId),
    callIndex: num(attrs, TG.callIndex),
    role: str(attrs, TG.moduleRole),
    replayed: attrs[TG.replayed] === true ? true : undefined,
    replayable: attrs[TG.replayable] === true ? true : undefined,
  };
}

/** Reader for tracegrad's own spans. */
export const tracegradReader: DialectReader = { dialect: "tracegrad", matches, read };

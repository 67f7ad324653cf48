/**
 * @module trace/dialects/genai
 * OTel GenAI semantic conventions, current version: `gen_ai.operation.name`, messages as JSON strings in
 * `gen_ai.input.messages` / `gen_ai.output.messages`, `gen_ai.system_instructions`, tool spans with `gen_ai.tool.*`.
 * Message content is opt-in in the convention, so a span without it is read with a warning saying how to enable it.
 */
import { GENAI, OI } from "../attributes.js";
import { fromGenAiMessages, messagesText, replyText, systemInstructionsText, withSystemMessage } from "../genai-messages.js";
import type { CallKind, ParamUse, RecordedMessage } from "../module-call.js";
import { shortHash } from "../safe-text.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { hasIndexedPrefix, num, str, systemOf, usageOf, withResponseId, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";

const KINDS: Record<string, CallKind> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
  plan: "agent",
  invoke_workflow: "chain",
  retrieval: "retriever",
};

/** The LLM-call part of a GenAI span (also used by tracegrad's own LLM spans, which write the same keys). */
export interface GenAiLlmFields {
  readonly messages?: RecordedMessage[];
  readonly outputMessages?: RecordedMessage[];
  readonly system?: string;
}

/** Reads `gen_ai.input.messages`, `gen_ai.output.messages` and `gen_ai.system_instructions`. */
export function readGenAiMessages(attrs: SpanAttributesLike, warn: Warn): GenAiLlmFields {
  const out: { -readonly [K in keyof GenAiLlmFields]: GenAiLlmFields[K] } = {};
  const input = attrs[GENAI.inputMessages];
  if (input !== undefined) {
    const messages = fromGenAiMessages(input);
    if (messages) out.messages = messages;
    else warn(`${GENAI.inputMessages} is not a JSON message list; ignored`);
  }
  const output = attrs[GENAI.outputMessages];
  if (output !== undefined) {
    const messages = fromGenAiMessages(output);
    if (messages) out.outputMessages = withResponseId(messages, str(attrs, GENAI.responseId));
    else warn(`${GENAI.outputMessages} is not a JSON message list; ignored`);
  }
  const system = systemInstructionsText(attrs[GENAI.systemInstructions]) ?? (out.messages ? systemOf(out.messages) : undefined);
  if (system !== undefined) out.system = system;
  if (out.messages) out.messages = withSystemMessage(out.messages, system);
  return out;
}

/** True for spans in the current GenAI convention (not the legacy indexed `gen_ai.prompt.N.*` one). */
function matches(attrs: SpanAttributesLike): boolean {
  if (attrs[GENAI.inputMessages] !== undefined || attrs[GENAI.outputMessages] !== undefined || attrs[GENAI.systemInstructions] !== undefined) return true;
  if (attrs[GENAI.operationName] === undefined) return false;
  return !hasIndexedPrefix(attrs, GENAI.legacyPromptPrefix) && !hasIndexedPrefix(attrs, GENAI.legacyCompletionPrefix);
}

function read(span: SpanLike, base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const operation = str(attrs, GENAI.operationName);
  const io = readGenAiMessages(attrs, warn);
  const kind: CallKind = (operation === undefined ? undefined : KINDS[operation]) ?? (io.messages ? "llm" : "unknown");
  let input = str(attrs, OI.inputValue) ?? (io.messages ? messagesText(io.messages) : "");
  let output = str(attrs, OI.outputValue) ?? (io.outputMessages ? replyText(io.outputMessages) : "");
  let name = base.name;
  if (kind === "llm") {
    if (io.messages) input = messagesText(io.messages);
    if (io.outputMessages) output = replyText(io.outputMessages);
    if (attrs[GENAI.inputMessages] === undefined && attrs[GENAI.outputMessages] === undefined) {
      warn(`has no ${GENAI.inputMessages}/${GENAI.outputMessages} (message content is opt-in: set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true in the instrumented app)`);
    }
  } else if (kind === "tool") {
    name = str(attrs, GENAI.toolName) ?? name;
    input = str(attrs, GENAI.toolCallArguments) ?? input;
    output = str(attrs, GENAI.toolCallResult) ?? output;
  } else if (kind === "agent") {
    name = str(attrs, GENAI.agentName) ?? name;
  } else if (kind === "chain") {
    name = str(attrs, GENAI.workflowName) ?? name;
  }
  return {
    name,
    kind,
    input,
    output,
    params: promptParams(attrs, io.system),
    system: io.system,
    messages: io.messages,
    outputMessages: io.outputMessages,
    toolCallId: kind === "tool" ? str(attrs, GENAI.toolCallId) : undefined,
    model: str(attrs, GENAI.requestModel) ?? str(attrs, GENAI.responseModel),
    usage: usageOf(num(attrs, GENAI.inputTokens), num(attrs, GENAI.outputTokens)),
  };
}

/** `gen_ai.prompt.name` is the convention's prompt identity: the closest thing to a parameter id. */
function promptParams(attrs: SpanAttributesLike, system: string | undefined): ParamUse[] {
  const id = str(attrs, GENAI.promptName);
  if (id === undefined) return [];
  return [system === undefined ? { id } : { id, value: system, version: shortHash(system), role: `prompt "${id}"` }];
}

/** Reader for the current OTel GenAI convention. */
export const genaiReader: DialectReader = { dialect: "genai", matches, read };

/**
 * @module trace/dialects/openinference
 * OpenInference (Arize Phoenix): `openinference.span.kind`, `input.value` / `output.value`, messages flattened as
 * `llm.input_messages.{i}.message.{role,content,id,tool_call_id,contents.{k}.message_content.text,
 * tool_calls.{j}.tool_call.{id,function.name,function.arguments}}`, token counts, and `llm.prompt_template.*` — the
 * one standard slot for a prompt template, read as the parameter the call used.
 */
import { GENAI, OI } from "../attributes.js";
import { messagesText, replyText, textOf, withSystemMessage } from "../genai-messages.js";
import type { CallKind, ParamUse, RecordedMessage } from "../module-call.js";
import { shortHash } from "../safe-text.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { draftToMessage, inIndexOrder, num, str, systemOf, usageOf, withResponseId, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";

const KINDS: Record<string, CallKind> = {
  LLM: "llm",
  CHAIN: "chain",
  TOOL: "tool",
  RETRIEVER: "retriever",
  AGENT: "agent",
  PROMPT: "prompt",
};

function matches(attrs: SpanAttributesLike): boolean {
  return attrs[OI.spanKind] !== undefined;
}

interface Draft {
  role?: string;
  content?: string;
  contents: Map<number, string>;
  id?: string;
  toolCallId?: string;
  calls: Map<number, { id?: string; name?: string; arguments?: string }>;
}

/** Flattened `llm.input_messages.*` / `llm.output_messages.*` in index order, in one pass over the keys. */
function openInferenceMessages(attrs: SpanAttributesLike, prefix: string): RecordedMessage[] {
  const drafts = new Map<number, Draft>();
  for (const key in attrs) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    const index = Number(rest.slice(0, dot));
    if (dot < 0 || !Number.isInteger(index) || !rest.startsWith(".message.", dot)) continue;
    const field = rest.slice(dot + ".message.".length);
    let d = drafts.get(index);
    if (!d) drafts.set(index, (d = { contents: new Map(), calls: new Map() }));
    const value = textOf(attrs[key]);
    if (field === "role") d.role = value;
    else if (field === "content") d.content = value;
    else if (field === "id") d.id = value;
    else if (field === "tool_call_id") d.toolCallId = value;
    else if (field.startsWith("contents.")) {
      const m = /^contents\.(\d+)\.message_content\.text$/.exec(field);
      if (m) d.contents.set(Number(m[1]), value);
    } else if (field.startsWith("tool_calls.")) {
      const m = /^tool_calls\.(\d+)\.tool_call\.(id|function\.name|function\.arguments)$/.exec(field);
      if (!m) continue;
      const call = d.calls.get(Number(m[1])) ?? {};
      if (m[2] === "id") call.id = value;
      else if (m[2] === "function.name") call.name = value;
      else call.arguments = value;
      d.calls.set(Number(m[1]), call);
    }
  }
  return inIndexOrder(drafts).map((d) => draftToMessage(d, d.role ?? "user", d.content ?? inIndexOrder(d.contents).join("\n")));
}

function read(span: SpanLike, base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const spanKind = str(attrs, OI.spanKind) ?? "";
  const kind = KINDS[spanKind.toUpperCase()] ?? "unknown";
  let input = str(attrs, OI.inputValue) ?? "";
  let output = str(attrs, OI.outputValue) ?? "";
  let name = base.name;
  let messages: RecordedMessage[] | undefined;
  let replies: RecordedMessage[] | undefined;
  let system: string | undefined;
  if (kind === "llm") {
    const ins = openInferenceMessages(attrs, OI.inputMessagesPrefix);
    const outs = withResponseId(openInferenceMessages(attrs, OI.outputMessagesPrefix), str(attrs, OI.responseId));
    if (ins.length > 0) {
      system = systemOf(ins);
      messages = withSystemMessage(ins, system);
      input = messagesText(ins);
    }
    if (outs.length > 0) {
      replies = outs;
      output = replyText(outs);
    }
    if (ins.length === 0 && input === "") warn(`has no ${OI.inputMessagesPrefix}N.* and no ${OI.inputValue} (hideInputs may be on)`);
  } else if (kind === "tool") {
    name = str(attrs, OI.toolName) ?? name;
  } else if (kind === "agent") {
    name = str(attrs, OI.agentName) ?? name;
  }
  return {
    name,
    kind,
    input,
    output,
    params: templateParams(attrs),
    system,
    messages,
    outputMessages: replies,
    toolCallId: kind === "tool" ? str(attrs, OI.toolCallId) : undefined,
    model: str(attrs, OI.modelName),
    usage: usageOf(num(attrs, OI.promptTokens), num(attrs, OI.completionTokens), num(attrs, OI.totalTokens)),
  };
}

/**
 * `llm.prompt_template.template` as a parameter. Its id must be stable across runs and across edits of the template,
 * so it is the vendor's prompt id when there is one, else a hash of the template (then each edit is a new parameter).
 */
function templateParams(attrs: SpanAttributesLike): ParamUse[] {
  const template = str(attrs, OI.promptTemplate);
  if (template === undefined) return [];
  const id = str(attrs, OI.promptId) ?? str(attrs, GENAI.promptName) ?? `prompt:${shortHash(template)}`;
  const variables = str(attrs, OI.promptTemplateVariables);
  const role = variables === undefined ? `prompt template "${id}"` : `prompt template "${id}" (variables: ${Object.keys(safeObject(variables)).join(", ") || "none"})`;
  return [{ id, value: template, version: str(attrs, OI.promptTemplateVersion) ?? shortHash(template), role }];
}

function safeObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Reader for OpenInference. */
export const openinferenceReader: DialectReader = { dialect: "openinference", matches, read };

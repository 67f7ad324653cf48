/**
 * @module trace/dialects/vercel
 * Vercel AI SDK telemetry (`experimental_telemetry`): `ai.generateText` / `ai.streamText` / `ai.generateObject` spans
 * (named by `ai.telemetry.functionId`, the closest thing to a module name), their provider calls
 * `ai.*.doGenerate` / `ai.*.doStream` (`ai.prompt.messages`, `ai.response.text`, `ai.response.toolCalls`) and
 * `ai.toolCall` spans. Both the v4 (`args`/`result`, `promptTokens`) and v5 (`input`/`output`, `inputTokens`) keys
 * are read.
 */
import { GENAI, VERCEL } from "../attributes.js";
import { messagesText, replyText, textOf, withSystemMessage } from "../genai-messages.js";
import type { CallKind, RecordedMessage } from "../module-call.js";
import type { SpanAttributesLike, SpanLike } from "../span-like.js";
import { num, parseJson, str, systemOf, usageOf, withResponseId, type CallBase, type CallFields, type DialectReader, type Warn } from "./common.js";

function matches(attrs: SpanAttributesLike): boolean {
  return (
    attrs[VERCEL.operationId] !== undefined ||
    attrs[VERCEL.functionId] !== undefined ||
    attrs[VERCEL.promptMessages] !== undefined ||
    attrs[VERCEL.toolCallName] !== undefined
  );
}

function read(span: SpanLike, base: CallBase, warn: Warn): CallFields {
  const attrs = span.attributes;
  const op = str(attrs, VERCEL.operationId) ?? base.name.split(" ")[0] ?? base.name;
  const functionId = str(attrs, VERCEL.functionId);
  const model = str(attrs, VERCEL.model) ?? str(attrs, VERCEL.responseModel) ?? str(attrs, GENAI.requestModel);
  const usage = usageOf(
    num(attrs, VERCEL.promptTokens) ?? num(attrs, VERCEL.inputTokens),
    num(attrs, VERCEL.completionTokens) ?? num(attrs, VERCEL.outputTokens),
  );
  if (op === VERCEL.toolCallOperation) {
    return {
      name: str(attrs, VERCEL.toolCallName) ?? base.name,
      kind: "tool",
      input: str(attrs, VERCEL.toolCallArgs) ?? str(attrs, VERCEL.toolCallInput) ?? "",
      output: str(attrs, VERCEL.toolCallResult) ?? str(attrs, VERCEL.toolCallOutput) ?? "",
      toolCallId: str(attrs, VERCEL.toolCallId),
    };
  }
  const isLlm = /\.do(Generate|Stream)$/.test(op);
  const kind: CallKind = isLlm ? "llm" : functionId !== undefined ? "module" : "chain";
  const ins = isLlm ? promptMessages(parseJson(attrs, VERCEL.promptMessages, warn)) : outerPrompt(parseJson(attrs, VERCEL.prompt, warn));
  const replies = withResponseId(responseMessages(attrs, warn), str(attrs, VERCEL.responseId));
  if (isLlm && ins.length === 0) warn(`has no ${VERCEL.promptMessages} (recordInputs may be false)`);
  const system = systemOf(ins);
  return {
    name: isLlm ? (model ? `chat ${model}` : base.name) : functionId ?? base.name,
    kind,
    input: messagesText(ins),
    output: replyText(replies),
    system,
    messages: isLlm && ins.length > 0 ? withSystemMessage(ins, system) : undefined,
    outputMessages: isLlm && replies.length > 0 ? replies : undefined,
    moduleId: kind === "module" ? functionId : undefined,
    model,
    usage,
  };
}

/** `ai.prompt.messages`: `{ role, content: string | parts }`, parts `text`, `tool-call`, `tool-result`. */
function promptMessages(value: unknown): RecordedMessage[] {
  if (!Array.isArray(value)) return [];
  const out: RecordedMessage[] = [];
  for (const raw of value as Record<string, unknown>[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const role = String(raw.role ?? "user");
    if (typeof raw.content === "string") {
      out.push({ role, content: raw.content });
      continue;
    }
    const parts = Array.isArray(raw.content) ? (raw.content as Record<string, unknown>[]) : [];
    const texts: string[] = [];
    const toolCalls: { id: string; name: string; arguments: string }[] = [];
    for (const p of parts) {
      if (p?.type === "text") texts.push(String(p.text ?? ""));
      else if (p?.type === "tool-call") toolCalls.push({ id: String(p.toolCallId ?? ""), name: String(p.toolName ?? ""), arguments: textOf(p.args ?? p.input) });
      else if (p?.type === "tool-result") out.push({ role: "tool", content: textOf(p.result ?? p.output), toolCallId: String(p.toolCallId ?? "") });
    }
    if (texts.length > 0 || toolCalls.length > 0) {
      out.push(toolCalls.length > 0 ? { role, content: texts.join("\n"), toolCalls } : { role, content: texts.join("\n") });
    }
  }
  return out;
}

/** `ai.prompt` on the outer span: `{ system?, prompt?, messages? }`. */
function outerPrompt(value: unknown): RecordedMessage[] {
  if (typeof value !== "object" || value === null) return typeof value === "string" ? [{ role: "user", content: value }] : [];
  const p = value as Record<string, unknown>;
  const out: RecordedMessage[] = [];
  if (typeof p.system === "string") out.push({ role: "system", content: p.system });
  if (typeof p.prompt === "string") out.push({ role: "user", content: p.prompt });
  out.push(...promptMessages(p.messages));
  return out;
}

/** The reply: `ai.response.text` (or `.object`) plus `ai.response.toolCalls`. */
function responseMessages(attrs: SpanAttributesLike, warn: Warn): RecordedMessage[] {
  const text = str(attrs, VERCEL.responseText) ?? str(attrs, VERCEL.responseObject);
  const rawCalls = parseJson(attrs, VERCEL.responseToolCalls, warn);
  const toolCalls = Array.isArray(rawCalls)
    ? (rawCalls as Record<string, unknown>[]).map((c) => ({ id: String(c?.toolCallId ?? ""), name: String(c?.toolName ?? ""), arguments: textOf(c?.args ?? c?.input) }))
    : [];
  if (text === undefined && toolCalls.length === 0) return [];
  return [toolCalls.length > 0 ? { role: "assistant", content: text ?? "", toolCalls } : { role: "assistant", content: text ?? "" }];
}

/** Reader for Vercel AI SDK telemetry. */
export const vercelReader: DialectReader = { dialect: "vercel", matches, read };

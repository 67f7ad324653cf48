/**
 * @module trace/span-writer
 * The attribute writers every tracegrad span goes through (traceModule, tracedEngine and the LangChain adapter), so
 * the three vocabularies — our `tracegrad.*`, OTel GenAI and OpenInference — are written the same way everywhere.
 * Every writer catches its own faults and reports them to a FaultSink (see fault-sink.ts): tracing never throws into
 * the agent.
 */
import { SpanStatusCode, type Attributes, type Span } from "@opentelemetry/api";
import type { Variable } from "../core/variable.js";
import type { Usage } from "../engine/types.js";
import { GENAI, OI, OTEL, TG } from "./attributes.js";
import { preciseNow } from "./clock.js";
import { guard, hasTextFaults, reportFault, reportTextFaults, type FaultSink } from "./fault-sink.js";
import { genAiMessagesJson, messagesText, replyText } from "./genai-messages.js";
import type { RecordedMessage } from "./module-call.js";
import { peekValue } from "./peek-value.js";
import { paramAttributes, paramIdOf, paramVersion } from "./param-attributes.js";
import { boundText, hashText, safeText, type SafeText } from "./safe-text.js";

/** What a module span records when it starts. */
export interface ModuleStart {
  /** Module name (= `tracegrad.module.id`). */
  readonly name: string;
  readonly kind?: "module" | "tool";
  /** What the module's output is, e.g. "plan: the list of modules to run". */
  readonly role?: string;
  readonly callIndex?: number;
  readonly params?: readonly Variable[];
  /** The rendered input (already bounded, e.g. from {@link safeText}). */
  readonly input?: string;
  /** Value ids of the producers of the inputs. */
  readonly inputRefs?: readonly string[];
  /** Content hashes of the inputs (see {@link hashText}). */
  readonly inputHashes?: readonly string[];
}

/** Start attributes of a module span (pure; pass to `startActiveSpan` so samplers see them). */
export function moduleStartAttributes(start: ModuleStart): Attributes {
  const kind = start.kind ?? "module";
  const attrs: Attributes = {
    [TG.kind]: kind,
    [TG.moduleId]: start.name,
    [GENAI.operationName]: kind === "tool" ? "execute_tool" : "invoke_agent",
    [kind === "tool" ? GENAI.toolName : GENAI.agentName]: start.name,
    [OI.spanKind]: kind === "tool" ? "TOOL" : "CHAIN",
  };
  if (start.params && start.params.length > 0) Object.assign(attrs, paramAttributes(start.params));
  if (start.role !== undefined) attrs[TG.moduleRole] = start.role;
  if (start.callIndex !== undefined) attrs[TG.callIndex] = start.callIndex;
  if (start.input !== undefined) {
    attrs[OI.inputValue] = start.input;
    attrs[OI.inputMime] = "text/plain";
  }
  if (start.inputRefs && start.inputRefs.length > 0) attrs[TG.inputRefs] = [...start.inputRefs];
  if (start.inputHashes && start.inputHashes.length > 0) attrs[TG.inputHashes] = [...start.inputHashes];
  return attrs;
}

/**
 * Writes a call's output: `output.value`, `tracegrad.value.id` (the span id) and `tracegrad.value.hash`. Returns the
 * text it wrote (so the caller can register the value), or undefined if writing failed.
 */
export function writeOutput(span: Span, value: unknown, sink?: FaultSink, where: string | (() => string) = "output"): SafeText | undefined {
  // `where` may be given as a function: it is only needed for a fault, and most outputs have none
  try {
    const st = safeText(value);
    if (hasTextFaults(st)) reportTextFaults(st, sink, whereText(where));
    span.setAttributes({
      [OI.outputValue]: st.text,
      [OI.outputMime]: typeof value === "string" ? "text/plain" : "application/json",
      [TG.valueId]: span.spanContext().spanId,
      [TG.valueHash]: st.hash,
    });
    return st;
  } catch (error) {
    reportFault(sink, error, whereText(where));
    return undefined;
  }
}

function whereText(where: string | (() => string)): string {
  if (typeof where === "string") return where;
  try {
    return where();
  } catch {
    return "output";
  }
}

/** Records the agent's own error on the span (exception event, ERROR status, `error.type`); never rethrows. */
export function writeError(span: Span, error: unknown, sink?: FaultSink): void {
  guard(sink, "record error", () => {
    const isError = error instanceof Error;
    span.recordException(isError ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: isError ? error.message : String(error) });
    span.setAttribute(OTEL.errorType, isError ? error.name : typeof error);
  });
}

/** Ends a span, reporting a throwing span processor instead of letting it reach the agent. */
export function endSpan(span: Span, sink?: FaultSink): void {
  guard(sink, "span processor (span end)", () => span.end(preciseNow()));
}

/** One LLM call, as the writers need it. */
export interface LlmRecord {
  readonly model?: string;
  /** GenAI provider name: "openai", "anthropic", … */
  readonly provider?: string;
  /** System prompt sent separately from `messages`. */
  readonly system?: string;
  /** Input messages (may include system messages when the framework sends them inline). */
  readonly messages: readonly RecordedMessage[];
  /** The reply: assistant messages, or plain text. */
  readonly output: readonly RecordedMessage[] | string;
  readonly usage?: Partial<Usage>;
  readonly responseId?: string;
  readonly finishReason?: string;
  /** Trainable prompts that shaped this call (the first one is also written as the OpenInference prompt template). */
  readonly params?: readonly Variable[];
}

/** Start attributes of an LLM span (pure): the sampling-relevant GenAI keys the spec wants at start. */
export function llmStartAttributes(record: { readonly model?: string; readonly provider?: string }): Attributes {
  const attrs: Attributes = { [TG.kind]: "llm", [GENAI.operationName]: "chat", [OI.spanKind]: "LLM" };
  if (record.model !== undefined) {
    attrs[GENAI.requestModel] = record.model;
    attrs[OI.modelName] = record.model;
  }
  if (record.provider !== undefined) {
    attrs[GENAI.providerName] = record.provider;
    attrs[OI.provider] = record.provider;
  }
  return attrs;
}

/**
 * Writes a full LLM call in GenAI (JSON-string messages), OpenInference and tracegrad terms, including the output's
 * value id and hash. Returns the output text with its content hash (so a caller registering it need not hash it
 * again), or undefined if writing failed. With `startWritten`, the span already has this record's
 * {@link llmStartAttributes} (given at start), and they are not written again.
 *
 * @example
 * writeLlmRecord(span, { model: "gpt-4o-mini", system: "Be brief.", messages: [{ role: "user", content: "Hi" }], output: "Hello" }, capture);
 */
export function writeLlmRecord(
  span: Span,
  record: LlmRecord,
  sink?: FaultSink,
  options: { readonly startWritten?: boolean } = {},
): { readonly text: string; readonly hash: string } | undefined {
  return guard(sink, `LLM "${record.model ?? "model"}" attributes`, () => {
    // one pass over the messages (this runs on every model call; spreads and repeated filters cost more than it seems)
    let inline: string[] | undefined;
    const nonSystem: RecordedMessage[] = [];
    for (const m of record.messages) {
      if (m.role === "system") (inline ??= []).push(m.content);
      else nonSystem.push(m);
    }
    const system = record.system ?? inline?.join("\n\n");
    const outputMessages: readonly RecordedMessage[] = typeof record.output === "string" ? [{ role: "assistant", content: record.output }] : record.output;
    const outputText = replyText(outputMessages);
    const outputHash = hashText(outputText);
    const inputHashes: string[] = [];
    for (const m of nonSystem) inputHashes.push(hashText(m.content));
    const attrs: Attributes = options.startWritten ? {} : llmStartAttributes(record);
    attrs[GENAI.inputMessages] = genAiMessagesJson(record.messages);
    attrs[GENAI.outputMessages] = genAiMessagesJson(outputMessages, record.finishReason);
    attrs[OI.inputValue] = boundText(messagesText(nonSystem));
    attrs[OI.inputMime] = "text/plain";
    attrs[OI.outputValue] = boundText(outputText);
    attrs[OI.outputMime] = "text/plain";
    attrs[TG.valueId] = span.spanContext().spanId;
    attrs[TG.valueHash] = outputHash;
    attrs[TG.inputHashes] = inputHashes;
    if (record.params && record.params.length > 0) Object.assign(attrs, paramAttributes(record.params));
    if (system !== undefined) {
      const bounded = boundText(system);
      attrs[GENAI.systemInstructions] = `[{"type":"text","content":${JSON.stringify(bounded)}}]`;
      attrs[TG.systemPrompt] = bounded;
    }
    const first = record.params?.[0];
    if (first) {
      attrs[OI.promptTemplate] = boundText(peekValue(first));
      attrs[OI.promptTemplateVersion] = paramVersion(first);
      attrs[GENAI.promptName] = paramIdOf(first);
    }
    if (record.responseId !== undefined) attrs[GENAI.responseId] = record.responseId;
    if (record.finishReason !== undefined) attrs[GENAI.responseFinishReasons] = [record.finishReason];
    const u = record.usage;
    if (u?.inputTokens !== undefined) attrs[GENAI.inputTokens] = attrs[OI.promptTokens] = u.inputTokens;
    if (u?.outputTokens !== undefined) attrs[GENAI.outputTokens] = attrs[OI.completionTokens] = u.outputTokens;
    if (u?.totalTokens !== undefined) attrs[OI.totalTokens] = u.totalTokens;
    span.setAttributes(attrs);
    return { text: outputText, hash: outputHash };
  });
}


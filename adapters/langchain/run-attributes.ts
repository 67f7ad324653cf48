/**
 * @module adapters/langchain/run-attributes
 * What a LangChain run becomes on its span: its kind, span name and start attributes (pure functions of the run), and
 * the reading of an LLM run's result into the span writer's {@link LlmRecord}.
 */
import type { Attributes } from "@opentelemetry/api";
import type { Run } from "@langchain/core/tracers/base";
import { GENAI, llmStartAttributes, OI, paramAttributes, TG, type LlmRecord, type RecordedMessage, type Usage } from "../../src/trace/adapter-kit.js";
import { isMessage, toRecordedMessage, toRecordedMessages } from "./messages.js";
import type { ParamScope } from "./param-scope.js";

type Loose = Record<string, unknown>;

/** The tracegrad kind of a run. */
export type RunKind = "llm" | "tool" | "prompt" | "retriever" | "agent" | "chain";

/** A run's kind: its run_type, except that a createAgent graph's root is an agent and parsers/embeddings are chains. */
export function runKindOf(run: Run): RunKind {
  switch (run.run_type) {
    case "llm":
    case "tool":
    case "prompt":
    case "retriever":
      return run.run_type;
    default:
      return isAgentRoot(run) ? "agent" : "chain";
  }
}

/** The agent's name: createAgent's `name` (metadata `lc_agent_name`), else the run name. */
export function agentNameOf(run: Run): string {
  return nonEmpty(metadataOf(run).lc_agent_name) ?? run.name;
}

/** createAgent's `name` of an agent run (metadata `lc_agent_name`), when it was given. */
export function givenAgentNameOf(run: Run): string | undefined {
  return nonEmpty(metadataOf(run).lc_agent_name);
}

/**
 * The LangGraph node a run executes in, as a path through subgraphs ("planner/researcher"): read from
 * `langgraph_checkpoint_ns` ("planner:<task id>|researcher:<task id>", the task ids dropped), else `langgraph_node`.
 */
export function langGraphNodeOf(run: Run): string | undefined {
  const meta = metadataOf(run);
  const ns = nonEmpty(meta.langgraph_checkpoint_ns) ?? nonEmpty(meta.checkpoint_ns);
  if (ns !== undefined) {
    const path = ns.split("|").map((part) => part.split(":")[0]!).filter((part) => part !== "");
    if (path.length > 0) return path.join("/");
  }
  return nonEmpty(meta.langgraph_node);
}

/** The requested model: invocation params (`model`, `model_name`, `modelName`), else LangSmith's `ls_model_name`. */
export function modelOf(run: Run): string | undefined {
  const params = (run.extra?.invocation_params ?? NONE) as Loose;
  return nonEmpty(params.model) ?? nonEmpty(params.model_name) ?? nonEmpty(params.modelName) ?? nonEmpty(metadataOf(run).ls_model_name);
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The provider as LangChain reports it (`ls_provider`: "openai", "anthropic", …). */
function providerOf(run: Run): string | undefined {
  return nonEmpty(metadataOf(run).ls_provider);
}

/**
 * GenAI-style span names: `chat {model}`, `execute_tool {tool}`, `invoke_agent {agent}`; other runs by their name.
 * `model`: an LLM run's {@link modelOf} (read once by the caller); `agentName`: an agent's name when the caller knows
 * better than {@link agentNameOf} (an unnamed agent invoked through a tool is named after the tool).
 */
export function spanNameOf(run: Run, kind: RunKind, model: string | undefined, agentName?: string): string {
  if (kind === "llm") return `${isChat(run) ? "chat" : "text_completion"} ${model ?? run.name}`;
  if (kind === "tool") return `execute_tool ${run.name}`;
  if (kind === "agent") return `invoke_agent ${agentName ?? agentNameOf(run)}`;
  return run.name;
}

/** What the tracer knows about a run when it starts, besides the run itself. */
export interface RunStart {
  readonly kind: RunKind;
  readonly moduleId: string;
  readonly callIndex: number | undefined;
  /** The parameter scope that applies to this run (already filtered by target). */
  readonly scope: ParamScope | undefined;
  /** The run's input as span text (not for LLM runs, whose messages are written at the end). */
  readonly input: string | undefined;
  /** `input.mime_type`: text for strings and conversations, JSON for anything serialized as JSON. */
  readonly inputMime?: "text/plain" | "application/json";
  readonly inputHashes: readonly string[];
  readonly inputRefs: readonly string[];
  /** LLM runs: the requested model ({@link modelOf}), read once for the span's name, start attributes and record. */
  readonly model: string | undefined;
  /** `tracegrad.module.role` of the span, when the run's place says more than the default role (a LangGraph node). */
  readonly role?: string;
}

/** OpenInference span kind of each non-LLM run kind. */
const OI_SPAN_KIND = { tool: "TOOL", agent: "AGENT", prompt: "PROMPT", retriever: "RETRIEVER", chain: "CHAIN" } as const;

/** Start attributes of a run's span (pure). The arrays of `start` are the span's own from here on (not copied). */
export function runStartAttributes(run: Run, start: RunStart): Attributes {
  const { kind, moduleId, callIndex, scope } = start;
  let attrs: Attributes;
  if (kind === "llm") {
    attrs = llmStartAttributes({ model: start.model, provider: providerOf(run) });
    if (!isChat(run)) attrs[GENAI.operationName] = "text_completion";
    attrs[TG.moduleId] = moduleId;
    if (callIndex !== undefined) attrs[TG.callIndex] = callIndex;
    // model calls made through tracegradMiddleware consult the replay plan; other LangChain runs cannot be replaced
    if (scope?.moduleId !== undefined) attrs[TG.replayable] = true;
    if (start.inputRefs.length > 0) attrs[TG.inputRefs] = start.inputRefs as string[];
    if (start.role !== undefined) attrs[TG.moduleRole] = start.role;
  } else {
    // the module attributes of the span writer, built in place: tools and agents keep GenAI's operation and name
    // keys, while plain chains, prompts and retrievers are not agents (a retriever is a "retrieval")
    attrs = { [TG.kind]: kind, [TG.moduleId]: moduleId };
    if (kind === "tool") {
      attrs[GENAI.operationName] = "execute_tool";
      attrs[GENAI.toolName] = moduleId;
    } else if (kind === "agent") attrs[GENAI.operationName] = "invoke_agent";
    else if (kind === "retriever") attrs[GENAI.operationName] = "retrieval";
    attrs[OI.spanKind] = OI_SPAN_KIND[kind];
    if (callIndex !== undefined) attrs[TG.callIndex] = callIndex;
    if (start.input !== undefined) {
      attrs[OI.inputValue] = start.input;
      attrs[OI.inputMime] = start.inputMime ?? "text/plain";
    }
    if (start.inputRefs.length > 0) attrs[TG.inputRefs] = start.inputRefs as string[];
    if (start.inputHashes.length > 0) attrs[TG.inputHashes] = start.inputHashes as string[];
    if (kind === "tool") {
      const id = run.extra?.tool_call_id;
      if (typeof id === "string" && id !== "") attrs[GENAI.toolCallId] = attrs[OI.toolCallId] = id;
      attrs[OI.toolName] = run.name;
      if (start.input !== undefined) attrs[GENAI.toolCallArguments] = start.input;
    }
    if (kind === "agent") attrs[GENAI.agentName] = attrs[OI.agentName] = moduleId;
  }
  if (scope) {
    if (scope.params.length > 0) Object.assign(attrs, paramAttributes(scope.params));
    if (scope.replayed) attrs[TG.replayed] = true;
    if (scope.toolDefinitions !== undefined && kind === "llm") attrs[GENAI.toolDefinitions] = scope.toolDefinitions;
  }
  return attrs;
}

/** An LLM run (inputs and, once ended, outputs) as the span writer's record; `model` is its {@link modelOf}. */
export function llmRecordOf(run: Run, scope: ParamScope | undefined, model: string | undefined): LlmRecord {
  const inputs = (run.inputs ?? {}) as Loose;
  const messages: RecordedMessage[] = Array.isArray(inputs.messages)
    ? toRecordedMessages(inputs.messages[0])
    : Array.isArray(inputs.prompts)
      ? inputs.prompts.map((p) => ({ role: "user", content: typeof p === "string" ? p : String(p) }))
      : [];
  const outputs = (run.outputs ?? {}) as Loose;
  const generations = Array.isArray(outputs.generations) && Array.isArray(outputs.generations[0]) ? (outputs.generations[0] as Loose[]) : [];
  const output: RecordedMessage[] = generations.map((g) =>
    isMessage(g?.message) ? toRecordedMessage(g.message) : { role: "assistant", content: typeof g?.text === "string" ? g.text : "" },
  );
  const message = generations[0]?.message as Loose | undefined;
  const meta = (message?.response_metadata ?? {}) as Loose;
  const info = (generations[0]?.generationInfo ?? {}) as Loose;
  const finish = meta.finish_reason ?? info.finish_reason ?? meta.stop_reason;
  const record: { -readonly [K in keyof LlmRecord]: LlmRecord[K] } = { messages, output };
  const provider = providerOf(run);
  const usage = usageOf(message, outputs.llmOutput as Loose | undefined);
  if (model !== undefined) record.model = model;
  if (provider !== undefined) record.provider = provider;
  if (usage) record.usage = usage;
  if (typeof message?.id === "string" && message.id !== "") record.responseId = message.id;
  if (typeof finish === "string" && finish !== "") record.finishReason = finish;
  if (scope && scope.params.length > 0) record.params = scope.params;
  return record;
}

/** The model that answered, as LangChain reports it (`response_metadata.model_name`), when it does. */
export function responseModelOf(run: Run): string | undefined {
  const message = outputMessageOf(run) as Loose | undefined;
  return nonEmpty((message?.response_metadata as Loose | undefined)?.model_name);
}

/** The first generated message of an ended LLM run (what the next step receives). */
export function outputMessageOf(run: Run): unknown {
  const outputs = (run.outputs ?? {}) as Loose;
  const gens = Array.isArray(outputs.generations) ? (outputs.generations[0] as Loose[] | undefined) : undefined;
  return gens?.[0]?.message;
}

function usageOf(message: Loose | undefined, llmOutput: Loose | undefined): Partial<Usage> | undefined {
  const um = message?.usage_metadata as Loose | undefined;
  if (um && (typeof um.input_tokens === "number" || typeof um.output_tokens === "number")) {
    return withNumbers({ inputTokens: um.input_tokens, outputTokens: um.output_tokens, totalTokens: um.total_tokens });
  }
  const tu = (llmOutput?.tokenUsage ?? llmOutput?.estimatedTokenUsage) as Loose | undefined;
  if (tu && (typeof tu.promptTokens === "number" || typeof tu.completionTokens === "number")) {
    return withNumbers({ inputTokens: tu.promptTokens, outputTokens: tu.completionTokens, totalTokens: tu.totalTokens });
  }
  return undefined;
}

function withNumbers(fields: Record<keyof Usage, unknown>): Partial<Usage> {
  const out: { -readonly [K in keyof Usage]?: number } = {};
  for (const key of Object.keys(fields) as (keyof Usage)[]) if (typeof fields[key] === "number") out[key] = fields[key] as number;
  return out;
}

function isChat(run: Run): boolean {
  return Array.isArray((run.inputs as Loose | undefined)?.messages);
}

function metadataOf(run: Run): Loose {
  const m = run.extra?.metadata;
  return typeof m === "object" && m !== null ? (m as Loose) : NONE;
}

/** An empty record to read from (never written). */
const NONE: Loose = Object.freeze({});

/** The root of a createAgent graph: the compiled graph's own run, tagged by createAgent. */
function isAgentRoot(run: Run): boolean {
  const meta = metadataOf(run);
  if (meta.ls_integration !== "langchain_create_agent") return false;
  const id = (run.serialized as Loose | undefined)?.id;
  const cls = Array.isArray(id) ? id[id.length - 1] : undefined;
  return cls === "CompiledStateGraph" || (meta.langgraph_node === undefined && run.parent_run_id === undefined);
}

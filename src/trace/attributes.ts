/**
 * @module trace/attributes
 * Every span attribute key tracegrad writes or reads (and the run span's name), in one place. GenAI keys are copied
 * as string literals (the semconv package marks them deprecated-moved; the names themselves are unchanged).
 */

/** Name of the root span of every trace() run (how the graph builder finds the run in a recorded trace). */
export const RUN_SPAN_NAME = "tracegrad.run";

/** Our own keys. */
export const TG = {
  moduleId: "tracegrad.module.id",
  moduleRole: "tracegrad.module.role",
  kind: "tracegrad.kind",
  callIndex: "tracegrad.call.index",
  paramIds: "tracegrad.param.ids",
  /** Prefix: `tracegrad.param.<id>.version` / `.value` / `.role`. */
  paramPrefix: "tracegrad.param.",
  valueId: "tracegrad.value.id",
  valueHash: "tracegrad.value.hash",
  inputRefs: "tracegrad.input.refs",
  inputHashes: "tracegrad.input.hashes",
  replayed: "tracegrad.replayed",
  /** Set by wrappers that honour replay plans (traceModule, the LangChain middleware's model calls). */
  replayable: "tracegrad.replayable",
  edgeKind: "tracegrad.edge.kind",
  edgeConfidence: "tracegrad.edge.confidence",
  systemPrompt: "tracegrad.llm.system",
} as const;

/** General OpenTelemetry semantic conventions. */
export const OTEL = {
  /** The class of an error a span ended with (`error.type`). */
  errorType: "error.type",
} as const;

/** OpenTelemetry GenAI semantic conventions (current). */
export const GENAI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  requestTemperature: "gen_ai.request.temperature",
  requestTopP: "gen_ai.request.top_p",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestSeed: "gen_ai.request.seed",
  requestStopSequences: "gen_ai.request.stop_sequences",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  /** Not in the convention; LangSmith's OTel mode writes it. */
  totalTokens: "gen_ai.usage.total_tokens",
  systemInstructions: "gen_ai.system_instructions",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  agentName: "gen_ai.agent.name",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
  /** The tools a model call could use, with their JSON schemas (`[{ type: "function", name, parameters }]`). */
  toolDefinitions: "gen_ai.tool.definitions",
  promptName: "gen_ai.prompt.name",
  workflowName: "gen_ai.workflow.name",
  /** Legacy (deprecated) names still emitted by older instrumentations and LangSmith's OTel mode. */
  legacySystem: "gen_ai.system",
  legacyPromptTokens: "gen_ai.usage.prompt_tokens",
  legacyCompletionTokens: "gen_ai.usage.completion_tokens",
  legacyPromptPrefix: "gen_ai.prompt.",
  legacyCompletionPrefix: "gen_ai.completion.",
  legacyPrompt: "gen_ai.prompt",
  legacyCompletion: "gen_ai.completion",
} as const;

/** OpenInference semantic conventions. */
export const OI = {
  spanKind: "openinference.span.kind",
  inputValue: "input.value",
  inputMime: "input.mime_type",
  outputValue: "output.value",
  outputMime: "output.mime_type",
  modelName: "llm.model_name",
  provider: "llm.provider",
  inputMessagesPrefix: "llm.input_messages.",
  outputMessagesPrefix: "llm.output_messages.",
  promptTokens: "llm.token_count.prompt",
  completionTokens: "llm.token_count.completion",
  totalTokens: "llm.token_count.total",
  promptTemplate: "llm.prompt_template.template",
  promptTemplateVariables: "llm.prompt_template.variables",
  promptTemplateVersion: "llm.prompt_template.version",
  responseId: "llm.response.id",
  /** A vendor prompt id (e.g. a prompt hub's), the stable identity of a template parameter. */
  promptId: "prompt.id",
  toolName: "tool.name",
  toolCallId: "tool_call.id",
  agentName: "agent.name",
} as const;

/** Vercel AI SDK telemetry keys. */
export const VERCEL = {
  operationId: "ai.operationId",
  functionId: "ai.telemetry.functionId",
  promptMessages: "ai.prompt.messages",
  prompt: "ai.prompt",
  responseText: "ai.response.text",
  model: "ai.model.id",
  responseModel: "ai.response.model",
  responseId: "ai.response.id",
  responseObject: "ai.response.object",
  responseToolCalls: "ai.response.toolCalls",
  toolCallName: "ai.toolCall.name",
  toolCallId: "ai.toolCall.id",
  toolCallArgs: "ai.toolCall.args",
  toolCallResult: "ai.toolCall.result",
  /** v5 names of the tool call's arguments and result. */
  toolCallInput: "ai.toolCall.input",
  toolCallOutput: "ai.toolCall.output",
  /** The operation id of tool execution spans. */
  toolCallOperation: "ai.toolCall",
  promptTokens: "ai.usage.promptTokens",
  completionTokens: "ai.usage.completionTokens",
  /** v5 names of the token counts. */
  inputTokens: "ai.usage.inputTokens",
  outputTokens: "ai.usage.outputTokens",
} as const;

/** LangSmith OTel mode and Traceloop keys. */
export const LANGSMITH = {
  spanKind: "langsmith.span.kind",
  dottedOrder: "langsmith.span.dotted_order",
  traceloopKind: "traceloop.span.kind",
  traceloopInput: "traceloop.entity.input",
  traceloopOutput: "traceloop.entity.output",
  traceloopName: "traceloop.entity.name",
  /** OpenLLMetry's request type (chat, completion, …): marks an LLM span. */
  traceloopRequestType: "llm.request.type",
  traceName: "langsmith.trace.name",
} as const;

/** OTel exception event attributes. */
export const EXCEPTION = {
  message: "exception.message",
} as const;

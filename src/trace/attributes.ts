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

/** OpenTelemetry GenAI semantic conventions (current). */
export const GENAI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  systemInstructions: "gen_ai.system_instructions",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  agentName: "gen_ai.agent.name",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
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
  promptTemplate: "llm.prompt_template.template",
  promptTemplateVariables: "llm.prompt_template.variables",
  promptTemplateVersion: "llm.prompt_template.version",
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
  toolCallName: "ai.toolCall.name",
  toolCallId: "ai.toolCall.id",
  toolCallArgs: "ai.toolCall.args",
  toolCallResult: "ai.toolCall.result",
  promptTokens: "ai.usage.promptTokens",
  completionTokens: "ai.usage.completionTokens",
} as const;

/** LangSmith OTel mode and Traceloop keys. */
export const LANGSMITH = {
  spanKind: "langsmith.span.kind",
  dottedOrder: "langsmith.span.dotted_order",
  traceloopKind: "traceloop.span.kind",
  traceloopInput: "traceloop.entity.input",
  traceloopOutput: "traceloop.entity.output",
} as const;

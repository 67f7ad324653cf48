/**
 * @module tracegrad
 * TextGrad for agents that already exist: trace them with OpenTelemetry, rebuild the computation graph, send textual
 * feedback backwards, and refine prompts and outputs. The public API, listed by name.
 */

// core: variables, functions, losses
export { Variable, type VariableOptions } from "./core/variable.js";
export type { Gradient, FeedbackContext, FeedbackMode, GradNode, BackwardRule, BackwardContext, Delivery } from "./core/feedback.js";
export { backward, type BackwardOptions, type BackwardReport } from "./core/backward.js";
export { LLMCall, type LLMCallOptions } from "./core/functions/llm-call.js";
export { FormattedLLMCall, type FormattedLLMCallOptions } from "./core/functions/formatted-llm-call.js";
export { BlackboxLLM } from "./core/functions/blackbox-llm.js";
export {
  StringBasedFunction,
  functionBackwardRule,
  type StringBasedFunctionOptions,
  type FunctionBackwardRuleInput,
} from "./core/functions/string-based-function.js";
export { sum } from "./core/functions/sum.js";
export { aggregate } from "./core/functions/aggregate.js";
export type { ForwardOptions } from "./core/functions/forward-options.js";
export { llmBackwardRule, type LlmBackwardRuleInput } from "./core/functions/llm-forward.js";
export { TextLoss } from "./core/losses/text-loss.js";
export { MultiFieldEvaluation, type MultiFieldEvaluationOptions } from "./core/losses/multi-field-evaluation.js";
export {
  MultiFieldTokenParsedEvaluation,
  type MultiFieldTokenParsedEvaluationOptions,
} from "./core/losses/multi-field-token-parsed-evaluation.js";

// optimization
export { TGD, TextualGradientDescent, type TGDOptions, type Proposal, type UpdateMode } from "./optim/tgd.js";
export { DEFAULT_FEEDBACK_BUDGET_CHARS, type FeedbackDigest } from "./optim/digest-feedback.js";
export type { FeedbackPoint } from "./prompts/feedback-points.js";
export { NO_CHANGE_MARKER, isNoChange } from "./prompts/no-change.js";
export {
  refine,
  type RefineOptions,
  type RefineResult,
  type RefineTarget,
  type OutputsRefineResult,
  type PromptsRefineResult,
  type ModuleRefinement,
  type PromptRefinement,
} from "./optim/refine.js";
export { optimize } from "./optim/optimize/optimize.js";
export type {
  OptimizeOptions,
  AgentOptimizeOptions,
  OptimizeOptionsBase,
  MetricResult,
  ScoredSample,
  GuardOptions,
} from "./optim/optimize/options.js";
export type { TracesOptimizeOptions } from "./optim/optimize/traces-options.js";
export type {
  OptimizeResult,
  OptimizeEvent,
  OptimizeUsage,
  StepRecord,
  ProposalRecord,
  ProposalStatus,
  PoolCandidate,
  ScoredValues,
  SpendEstimate,
  StopReason,
  ParameterValues,
  ExampleScore,
  PublishedPrompt,
} from "./optim/optimize/types.js";

// engines
export type { Engine, EngineRequest, EngineResponse, Usage, ChatMessage, SamplingParams } from "./engine/types.js";
export { chatModelEngine, type ChatModelEngineOptions } from "./engine/chat-model-engine.js";
export { defaultEngine, type DefaultEngine, type DefaultEngineOptions } from "./engine/default-engine.js";
export { isChatModel, type EngineLike, type ChatModelLike } from "./engine/engine-like.js";
export { withCache, type CacheOptions } from "./engine/cache.js";
export {
  withUsage,
  type UsageOptions,
  type UsageReport,
  type UsageBudget,
  type ModelPrice,
  type CallUsage,
} from "./engine/usage.js";
export { withRetry, type RetryOptions } from "./engine/retry.js";
export { withLimit } from "./engine/limiter.js";

// tracing and graphs
export { trace, type TraceRun, type TraceOptions, type RunContext } from "./trace/run-trace.js";
export { traceModule, type TraceModuleOptions } from "./trace/trace-module.js";
export { param, Param, type ParamOptions } from "./trace/param.js";
export { withoutParamReads } from "./trace/param-reads.js";
export { tracedEngine, type TracedEngineOptions } from "./trace/traced-engine.js";
export { tracegradSpanProcessor, type ReplayPlan, type ReplayedCall, type ErrorHook } from "./trace/capture.js";
export { buildGraph, type BuildGraphOptions, type TraceInput } from "./trace/build-graph.js";
export { readCalls } from "./trace/read-calls.js";
export { toOtlpJson, fromOtlpJson, type OtlpJson, type ToOtlpOptions } from "./trace/otlp.js";
export type { SpanLike } from "./trace/span-like.js";
export type {
  ModuleCall,
  ModuleCallBase,
  LlmModuleCall,
  ToolModuleCall,
  OtherModuleCall,
  RecordedMessage,
  ParamUse,
  CallKind,
  Dialect,
  GraphNode,
  GraphEdge,
  EdgeKind,
  TraceGraph,
} from "./trace/module-call.js";

// prompts (for custom rules and simulated models)
export { extractTagged, extractAllTagged } from "./prompts/tags.js";
export { DEFAULT_UPDATE_TAGS, parseUpdate, readUpdate, type UpdateTags, type UpdateReading, type UpdateProblem } from "./prompts/update-tags.js";

// production: traces and feedback
export type { StoredTrace } from "./store/stored-trace.js";
export { FeedbackInputSchema, FeedbackRecordSchema, type FeedbackInput, type FeedbackRecord } from "./store/feedback-record.js";
export { otlpFileExporter, type OtlpFileExporterOptions } from "./store/otlp-file-exporter.js";
export { readTraces, streamTraces, type ReadTracesOptions } from "./store/read-traces.js";
export { recordFeedback, type RecordFeedbackOptions } from "./store/record-feedback.js";
export { readFeedback, type ReadFeedbackOptions } from "./store/read-feedback.js";
export { feedbackFromSpans, EVALUATION_EVENT } from "./store/feedback-from-spans.js";
export { importFeedback, type ImportFeedbackOptions } from "./store/import-feedback.js";

// production: prompt registry
export {
  promptRegistry,
  PromptRegistry,
  type PromptRegistryOptions,
  type PublishOptions,
  type PromptVersion,
  type PromptSelector,
  type RegistryParamOptions,
  type CheckCanaryOptions,
  type CanaryCheck,
  type CanaryData,
} from "./registry/prompt-registry.js";
export { RegistryParam, type CanaryOptions } from "./registry/registry-param.js";
export { fileStore, type FileStoreOptions } from "./registry/file-store.js";
export type { PromptStore, PromptDocument, StoredVersion, VersionDraft, PromptSource } from "./registry/prompt-store.js";
export {
  canaryReport,
  type CanaryReport,
  type CanaryReportOptions,
  type CanaryVersionStats,
  type CanaryTrace,
  type CanaryFeedback,
} from "./registry/canary-report.js";
export { PROMPT_ATTRS, type PromptUse } from "./registry/prompt-attributes.js";

// reports
export {
  gradientReportSchema,
  GRADIENT_REPORT_VERSION,
  type GradientReport,
  type ReportNode,
  type ReportEdge,
  type ReportFeedback,
  type ReportEdit,
  type ReportText,
  type ReportRun,
  type ReportStep,
  type ParameterVersion,
  type DiffPart,
} from "./report/report-schema.js";
export { toGradientReport, type ReportSource, type GradientReportOptions } from "./report/to-gradient-report.js";
export type { OptimizeResultLike, OptimizeStepLike, OptimizeProposalLike } from "./report/from-optimize.js";
export { readGradientReport } from "./report/read-gradient-report.js";
export { renderHtmlReport } from "./report/render-html-report.js";
export { writeHtmlReport, type WrittenReport } from "./report/write-html-report.js";
export type { NodeFeedback } from "./optim/refine.js";

// errors
export {
  TracegradError,
  InvalidVariableError,
  InvalidArgumentError,
  NoEngineError,
  GraphCycleError,
  EngineCallError,
  BudgetExceededError,
  CacheDirError,
  UpdateParseError,
  ReplyParseError,
  ConfigError,
  TraceFormatError,
  TraceCaptureError,
  EvaluationParseError,
  StoreAccessError,
  FeedbackFormatError,
  PromptNotFoundError,
  PromptStoreError,
  CheckpointError,
  CheckpointMismatchError,
  ReportFormatError,
} from "./errors.js";

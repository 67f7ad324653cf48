/**
 * @module trace/module-call
 * The one record every span dialect is mapped into, and the graph shape built from those records.
 */
import type { Usage } from "../engine/types.js";
import type { Variable } from "../core/variable.js";

/** What a span represents. */
export type CallKind = "module" | "llm" | "tool" | "chain" | "prompt" | "retriever" | "agent" | "unknown";

/** The span dialect a record was read from. */
export type Dialect = "tracegrad" | "genai" | "genai-legacy" | "openinference" | "vercel" | "langsmith" | "unknown";

/** A chat message as recorded on an LLM span. */
export interface RecordedMessage {
  readonly role: string;
  readonly content: string;
  /** Framework message id (LangChain AIMessage id, OpenAI response id), when known. */
  readonly id?: string;
  /** For tool results: the tool call this message answers. */
  readonly toolCallId?: string;
  /** For assistant messages: tool calls it requested. */
  readonly toolCalls?: readonly { readonly id: string; readonly name: string; readonly arguments: string }[];
}

/** A parameter (optimizable prompt) a call used, as recorded on its span. */
export interface ParamUse {
  readonly id: string;
  /** Content-derived version (short hash of the value). */
  readonly version?: string;
  readonly value?: string;
  readonly role?: string;
}

/** What every call has, whatever its kind. */
export interface ModuleCallBase {
  readonly spanId: string;
  readonly traceId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: CallKind;
  readonly dialect: Dialect;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
  /** The call's input rendered as text (for LLM calls: the non-system messages). */
  readonly input: string;
  readonly output: string;
  readonly model?: string;
  readonly usage?: Usage;
  /** Parameters the call used (explicit). */
  readonly params: readonly ParamUse[];
  /** Value ids of the inputs (explicit references to producer values). */
  readonly inputRefs: readonly string[];
  /** Value id of the output. */
  readonly valueId?: string;
  /** tracegrad module id (module name), when written by tracegrad. */
  readonly moduleId?: string;
  /** Position of this call among calls of the same module in the run (0-based). */
  readonly callIndex?: number;
  /** Role description of the call's output, when known. */
  readonly role?: string;
  /** Error message when the span ended with an error status. */
  readonly error?: string;
  /** True when the call's output was replayed from an earlier run rather than computed. */
  readonly replayed?: boolean;
  /** True when the wrapper that made the call honours replay plans (so refinement can replace its output). */
  readonly replayable?: boolean;
  /** Raw span attributes, for anything not mapped above. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A model call: the only kind that carries a conversation. */
export interface LlmModuleCall extends ModuleCallBase {
  readonly kind: "llm";
  /** The system prompt as sent. */
  readonly system?: string;
  /** Input messages (including the system message, if any). */
  readonly messages?: readonly RecordedMessage[];
  /** Output messages. */
  readonly outputMessages?: readonly RecordedMessage[];
}

/** A tool execution. */
export interface ToolModuleCall extends ModuleCallBase {
  readonly kind: "tool";
  /** The id of the tool call this execution answers (links it to the model that asked for it). */
  readonly toolCallId?: string;
}

/** Any other call: a module, chain, agent, prompt render, retriever, or a span of unknown kind. */
export interface OtherModuleCall extends ModuleCallBase {
  readonly kind: Exclude<CallKind, "llm" | "tool">;
}

/**
 * One call (module, LLM, tool, …) read from one span, whatever dialect it was written in. Narrow on `kind` to read
 * the fields only model calls (`system`, `messages`, `outputMessages`) or tool calls (`toolCallId`) have.
 */
export type ModuleCall = LlmModuleCall | ToolModuleCall | OtherModuleCall;

/** A node of the graph rebuilt from a trace. */
export interface GraphNode {
  readonly id: string;
  readonly kind: "module" | "llm" | "tool" | "param" | "input" | "output";
  readonly name: string;
  readonly value: string;
  /** The span the node came from (absent for inputs and parameters not tied to one span). */
  readonly spanId?: string;
}

/**
 * How an edge was found, most to least certain. "control": not data — `from` is a plan that decided `to` ran
 * (a declared planner, or an output listing the modules that then ran); see trace/control-edges.
 */
export type EdgeKind = "explicit" | "tool_call" | "message_id" | "content" | "tree" | "control";

/** A data-flow edge: the value of `from` fed `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** 1 for exact evidence, lower for heuristics. */
  readonly confidence: number;
  /**
   * Whether backward sends feedback along this edge (`buildGraph` sets it on every edge; absent means true). False for
   * a context edge: the consumer read `from` only as part of a conversation history the previous step of the same
   * conversation had already read, so feedback on `from` travels along that chain (its nearest consumer) instead of
   * coming again from every later step. Context edges stay in the graph; they are not predecessors of a Variable.
   */
  readonly carriesFeedback?: boolean;
}

/** A computation graph rebuilt from a trace, ready for backward(). */
export interface TraceGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** The final output as a Variable (the thing a loss is computed on). */
  readonly output: Variable;
  /** Trainable Variables (prompts) the run used, in first-use order. */
  readonly parameters: readonly Variable[];
  /** The Variable of each node, by node id. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** The records the graph was built from, in start order. */
  readonly calls: readonly ModuleCall[];
  /** Things that were tolerated while building (unknown dialects, missing parents, …), each naming its span. */
  readonly warnings: readonly string[];
}

/**
 * @module adapters/langchain/tracer
 * The bridge from LangChain runs to OTel spans: a BaseTracer (LangChain normalizes every callback into a `Run`,
 * which insulates us from the callback signatures — `handleChainStart`'s declared and runtime argument orders differ
 * in @langchain/core 1.4) whose handlers are awaited inline, so they run in the caller's async context and see the
 * active trace() capture, span and parameter scope.
 */
import { context, SpanKind, trace as otelTrace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { BaseTracer, type Run } from "@langchain/core/tracers/base";
import { GENAI, OI, TG } from "../../src/trace/attributes.js";
import { activeCapture, nextCallIndex, tracerOf, type Capture, type ErrorHook } from "../../src/trace/capture.js";
import { endSpan, guard, hashText, reportFault, reportedText, writeError, writeLlmAttributes, writeOutput } from "../../src/trace/span-writer.js";
import { contentText, documentsText, isMessage, valueText } from "./messages.js";
import { activeParamScope } from "./param-scope.js";
import { formatTemplates, promptTemplatesOf } from "./prompt-templates.js";
import { agentNameOf, llmRecordOf, outputMessageOf, responseModelOf, runKindOf, runStartAttributes, spanNameOf, type RunStart } from "./run-attributes.js";
import { preciseNow } from "../../src/trace/clock.js";

/** Options of {@link TracegradTracer}. */
export interface TracegradTracerOptions {
  /** Receives the tracer's internal faults (also handed to the active capture's own hook). Nothing reaches LangChain. */
  readonly onError?: ErrorHook;
  /**
   * Where spans go. Default: the active trace() capture's tracer, and no spans at all outside trace() (nothing would
   * receive them). With an explicit tracer, spans are made for every run, captured or not.
   */
  readonly tracer?: Tracer;
}

interface OpenRun {
  readonly span: Span;
  /** The context children of this run start from: this run's span in the context the run started in. */
  readonly ctx: Context;
  /** The span that was active when this run started. */
  readonly outer: Span | undefined;
  readonly start: RunStart;
  readonly capture: Capture | undefined;
  readonly sink: ErrorHook;
}

const BRAND = Symbol.for("tracegrad.langchain.tracer");

// BaseTracer's own bookkeeping throws on unknown run ids ("No LLM run to end"), e.g. when instrumentation started
// mid-run; LangChain would log those. They are our faults, so they go to onError instead.
const GUARDED = [
  "handleLLMStart", "handleChatModelStart", "handleLLMEnd", "handleLLMError",
  "handleChainStart", "handleChainEnd", "handleChainError",
  "handleToolStart", "handleToolEnd", "handleToolError",
  "handleRetrieverStart", "handleRetrieverEnd", "handleRetrieverError",
] as const;

/**
 * A LangChain callback handler that records every run (chain, chat model/LLM, tool, prompt, retriever, parser) as an
 * OTel span of tracegrad's dialect (plus GenAI and OpenInference attributes), nested by `parent_run_id`, with the
 * root run nested under the active OTel span. Faults never reach LangChain: they go to `onError`.
 *
 * Usually obtained through {@link tracegradCallbacks} or {@link instrumentLangChain}.
 *
 * @example
 * await chain.invoke(input, { callbacks: [new TracegradTracer({ onError: console.warn })] });
 */
export class TracegradTracer extends BaseTracer {
  // LangChain de-duplicates handlers by name, so a per-call handler and the instrumented one never both record a run.
  name = "tracegrad";
  readonly [BRAND] = true;
  readonly #open = new Map<string, OpenRun>();
  readonly #onError: ErrorHook | undefined;
  readonly #tracer: Tracer | undefined;

  constructor(options: TracegradTracerOptions = {}) {
    super({ _awaitHandler: true });
    this.#onError = options.onError;
    this.#tracer = options.tracer;
    for (const method of GUARDED) {
      const original = (this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]!;
      (this as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        try {
          return await original.apply(this, args);
        } catch (error) {
          reportFault(this.#onError, error, `LangChain ${method}`);
          return undefined;
        }
      };
    }
  }

  protected override persistRun(): Promise<void> {
    return Promise.resolve();
  }

  override onRunCreate(run: Run): void {
    try {
      this.#start(run);
    } catch (error) {
      reportFault(this.#onError, error, `start of LangChain run ${describe(run)}`);
    }
  }

  override onRunUpdate(run: Run): void {
    try {
      this.#end(run);
    } catch (error) {
      reportFault(this.#onError, error, `end of LangChain run ${describe(run)}`);
    }
  }

  #start(run: Run): void {
    const parent = run.parent_run_id !== undefined ? this.#open.get(run.parent_run_id) : undefined;
    const active = context.active();
    const activeSpan = otelTrace.getSpan(active);
    // Callback spans never become active, so a different active span means one was opened inside the parent's body
    // (traceModule inside a tool): it is the nearer parent.
    const base = parent && activeSpan === parent.outer ? parent.ctx : active;
    const capture = activeCapture(base);
    if (!capture && !this.#tracer) return;
    const sink = this.#sinkFor(capture);
    const where = `LangChain run ${describe(run)}`;
    const kind = runKindOf(run);
    const raw = activeParamScope();
    const scope = raw && raw.target === run.run_type ? raw : undefined;
    const moduleId = scope?.moduleId ?? (kind === "agent" ? agentNameOf(run) : run.name);
    const callIndex = scope?.callIndex ?? (capture ? nextCallIndex(capture, moduleId) : undefined);
    const inputRaw = kind === "llm" ? undefined : kind === "retriever" ? (run.inputs as { query?: unknown }).query : valueText(run.inputs);
    const inputValue = kind === "llm" ? undefined : reportedText(inputRaw, sink, `${where} input`);
    const refsOf = kind === "llm" ? (run.inputs as { messages?: unknown[][] }).messages?.[0] : run.inputs;
    const inputRefs = capture ? guard(sink, `${where} input refs`, () => capture.values.resolve(refsOf), []) : [];
    const start: RunStart = {
      kind,
      moduleId,
      callIndex,
      scope,
      input: inputValue?.text,
      inputMime: typeof inputRaw === "string" ? "text/plain" : "application/json",
      inputHashes: inputValue && inputValue.text !== "" ? [inputValue.hash] : [],
      inputRefs,
    };
    // a run we cannot describe still gets a span, so its children keep their place in the tree
    const attributes = guard(sink, `${where} attributes`, () => runStartAttributes(run, start), { [TG.kind]: kind } as Attributes);
    if (kind === "prompt") {
      guard(sink, `${where} templates`, () => {
        const templates = promptTemplatesOf(run.serialized);
        if (templates.length > 0) attributes[OI.promptTemplate] = formatTemplates(templates);
        attributes[OI.promptTemplateVariables] = reportedText(run.inputs, sink, `${where} variables`).text;
      });
    }
    const tracer = this.#tracer ?? tracerOf(capture!);
    const span = tracer.startSpan(spanNameOf(run, kind), { startTime: preciseNow(), kind: kind === "llm" ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes }, base);
    this.#open.set(run.id, { span, ctx: otelTrace.setSpan(base, span), outer: activeSpan, start, capture, sink });
  }

  #end(run: Run): void {
    const open = this.#open.get(run.id);
    if (!open) return;
    this.#open.delete(run.id);
    const { span, start, capture, sink } = open;
    const where = `LangChain run ${describe(run)}`;
    try {
      if (start.kind === "llm") {
        const text = writeLlmAttributes(span, llmRecordOf(run, start.scope), sink);
        const model = responseModelOf(run);
        if (model !== undefined) span.setAttribute(GENAI.responseModel, model);
        // the writer speaks for chat models; string-in/string-out LLMs are completions
        if (!Array.isArray((run.inputs as { messages?: unknown }).messages)) span.setAttribute(GENAI.operationName, "text_completion");
        if (text !== undefined && capture) capture.values.register(outputMessageOf(run) ?? text, span.spanContext().spanId, hashText(text), text);
      } else if (run.outputs !== undefined) {
        const output = start.kind === "tool" ? (run.outputs as { output?: unknown }).output : run.outputs;
        const value = outputText(start.kind, output, run.outputs);
        const written = writeOutput(span, value, sink, `${where} output`);
        if (written && start.kind === "tool") span.setAttribute(GENAI.toolCallResult, written.text);
        // only graph nodes (tools, agents) produce referable values; chains and prompts are pass-throughs
        if (written && capture && (start.kind === "tool" || start.kind === "agent")) {
          capture.values.register(output, span.spanContext().spanId, written.hash, written.text);
        }
      }
      if (run.error !== undefined) writeError(span, errorOf(run.error), sink);
    } finally {
      endSpan(span, sink);
    }
  }

  #sinkFor(capture: Capture | undefined): ErrorHook {
    const own = this.#onError;
    if (!capture || capture.onError === own) return (error, where) => reportFault(own, error, where);
    return (error, where) => {
      reportFault(own, error, where);
      reportFault(capture, error, where);
    };
  }
}

/** True for a {@link TracegradTracer}, from any copy of this package. */
export function isTracegradTracer(handler: unknown): handler is TracegradTracer {
  return typeof handler === "object" && handler !== null && (handler as Record<symbol, unknown>)[BRAND] === true;
}

function describe(run: Run): string {
  try {
    return `"${String(run?.name)}" (${String(run?.run_type)})`;
  } catch {
    return "(unreadable run)";
  }
}

/** A run's output as span text: a tool's message content, retrieved documents' text, an agent's last message. */
function outputText(kind: RunStart["kind"], output: unknown, outputs: unknown): unknown {
  if (kind === "tool" && isMessage(output)) return contentText(output.content);
  if (kind === "retriever") return documentsText((outputs as { documents?: unknown }).documents);
  return valueText(output, { lastMessage: kind === "agent" });
}

/** BaseTracer keeps errors as "message\n\nstack" text; the span gets an Error with that message and stack. */
function errorOf(text: string): Error {
  const [message = text] = text.split("\n\n");
  const error = new Error(message);
  error.stack = text;
  return error;
}

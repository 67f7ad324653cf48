/**
 * @module adapters/langchain/tracer
 * The bridge from LangChain runs to OTel spans: a BaseTracer (LangChain normalizes every callback into a `Run`,
 * which insulates us from the callback signatures — `handleChainStart`'s declared and runtime argument orders differ
 * in @langchain/core 1.4) whose handlers are awaited inline, so they run in the caller's async context and see the
 * active trace() capture, span and parameter scope.
 */
import { context, SpanKind, trace as otelTrace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { BaseTracer, type Run } from "@langchain/core/tracers/base";
import { activeCapture, endSpan, faultSinkOf, GENAI, hasTextFaults, nextCallIndex, OI, preciseNow, reportFault, reportTextFaults, safeText, TG, writeError, writeLlmRecord, writeOutput, type Capture, type ErrorHook, type SafeText } from "../../src/trace/adapter-kit.js";
import { contentText, documentsText, isMessage, valueText } from "./messages.js";
import { activeParamScope } from "./param-scope.js";
import { formatTemplates, promptTemplatesOf } from "./prompt-templates.js";
import { systemMessageParams } from "./param-match.js";
import { runNameOf, type EnclosingRun } from "./run-names.js";
import { llmRecordOf, modelOf, outputMessageOf, responseModelOf, runKindOf, runStartAttributes, spanNameOf, type RunStart } from "./run-attributes.js";

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
  /** The context the run started in. */
  readonly base: Context;
  /** The context children of this run start from: this run's span in `base` (made when a first child needs it). */
  ctx: Context | undefined;
  /** The span that was active when this run started. */
  readonly outer: Span | undefined;
  readonly start: RunStart;
  /** The parent run's id (to name nested agents and model calls by what encloses them). */
  readonly parentId: string | undefined;
  readonly capture: Capture | undefined;
  readonly sink: ErrorHook;
  /** The span got the run's start attributes (an LLM span's model, provider and operation). */
  readonly startWritten: boolean;
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
  #sink: { readonly capture: Capture | undefined; readonly hook: ErrorHook } | undefined;

  constructor(options: TracegradTracerOptions = {}) {
    super({ _awaitHandler: true });
    this.#onError = options.onError;
    this.#tracer = options.tracer;
    // a subclass's own handlers are guarded too (ours are, on the prototype)
    if (new.target !== TracegradTracer) {
      const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
      const ours = TracegradTracer.prototype as unknown as Record<string, unknown>;
      for (const method of GUARDED) if (self[method] !== ours[method]) self[method] = TracegradTracer.#guarded(method, self[method]!);
    }
  }

  static {
    const proto = TracegradTracer.prototype as unknown as Record<string, unknown>;
    const base = BaseTracer.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of GUARDED) proto[method] = TracegradTracer.#guarded(method, base[method]!);
  }

  /**
   * `original` with its faults reported to onError instead of reaching LangChain. A plain function chaining one
   * handler rather than an async wrapper: under AsyncLocalStorage every promise costs, and callbacks are many.
   */
  static #guarded(method: string, original: (...args: unknown[]) => unknown) {
    return function (this: TracegradTracer, ...args: unknown[]): Promise<unknown> {
      try {
        return Promise.resolve(original.apply(this, args)).then(undefined, (error: unknown) => this.#reportHandlerFault(method, error));
      } catch (error) {
        return Promise.resolve(this.#reportHandlerFault(method, error));
      }
    };
  }

  #reportHandlerFault(method: string, error: unknown): undefined {
    reportFault(this.#onError, error, `LangChain ${method}`);
    return undefined;
  }

  protected override persistRun(): Promise<void> {
    return Promise.resolve();
  }

  override onRunCreate(run: Run): void {
    try {
      this.#start(run);
    } catch (error) {
      reportFault(this.#onError, error, `start of ${whereOf(run)}`);
    }
  }

  override onRunUpdate(run: Run): void {
    try {
      this.#end(run);
    } catch (error) {
      reportFault(this.#onError, error, `end of ${whereOf(run)}`);
    }
  }

  #start(run: Run): void {
    const parent = run.parent_run_id !== undefined ? this.#open.get(run.parent_run_id) : undefined;
    const active = context.active();
    const activeSpan = otelTrace.getSpan(active);
    // Callback spans never become active, so a different active span means one was opened inside the parent's body
    // (traceModule inside a tool): it is the nearer parent.
    const base = parent && activeSpan === parent.outer ? (parent.ctx ??= otelTrace.setSpan(parent.base, parent.span)) : active;
    const capture = activeCapture(base);
    if (!capture && !this.#tracer) return;
    const sink = this.#sinkFor(capture);
    const kind = runKindOf(run);
    const raw = activeParamScope(active);
    let scope = raw && raw.target === run.run_type ? raw : undefined;
    // a node that builds its own SystemMessage(prompt.value) used the parameter: bound by value, not replayable
    if (kind === "llm" && capture && (scope === undefined || scope.params.length === 0)) {
      try {
        const matched = systemMessageParams(run, capture.params);
        if (matched.length > 0) scope = { ...scope, target: "llm", params: matched };
      } catch (error) {
        reportFault(sink, error, `${whereOf(run)} parameter match`);
      }
    }
    const named = scope?.moduleId === undefined ? runNameOf(run, kind, this.#ancestors(parent)) : undefined;
    const moduleId = scope?.moduleId ?? named!.moduleId;
    const callIndex = scope?.callIndex ?? (capture ? nextCallIndex(capture, moduleId) : undefined);
    // LLM runs have no input text here: their messages are written at the end
    const inputRaw = kind === "llm" ? undefined : kind === "retriever" ? (run.inputs as { query?: unknown }).query : valueText(run.inputs);
    const inputValue = kind === "llm" ? undefined : safeText(inputRaw);
    if (inputValue && hasTextFaults(inputValue)) reportTextFaults(inputValue, sink, `${whereOf(run)} input`);
    const refsOf = kind === "llm" ? (run.inputs as { messages?: unknown[][] }).messages?.[0] : run.inputs;
    let inputRefs: readonly string[] = NONE;
    if (capture) {
      try {
        inputRefs = capture.values.resolve(refsOf);
      } catch (error) {
        reportFault(sink, error, `${whereOf(run)} input refs`);
      }
    }
    const start: RunStart = {
      kind,
      moduleId,
      callIndex,
      scope,
      input: inputValue?.text,
      inputMime: typeof inputRaw === "string" ? "text/plain" : "application/json",
      inputHashes: inputValue && inputValue.text !== "" ? [inputValue.hash] : NONE,
      inputRefs,
      model: kind === "llm" ? modelOf(run) : undefined,
      ...(named?.role !== undefined ? { role: named.role } : {}),
    };
    // a run we cannot describe still gets a span, so its children keep their place in the tree
    let attributes: Attributes;
    let startWritten = true;
    try {
      attributes = runStartAttributes(run, start);
    } catch (error) {
      reportFault(sink, error, `${whereOf(run)} attributes`);
      attributes = { [TG.kind]: kind };
      startWritten = false;
    }
    if (kind === "prompt") this.#writeTemplates(run, attributes, inputRaw === run.inputs ? inputValue : undefined, sink);
    const tracer = this.#tracer ?? capture!.tracer;
    const span = tracer.startSpan(spanNameOf(run, kind, start.model, moduleId), { startTime: preciseNow(), kind: kind === "llm" ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes }, base);
    this.#open.set(run.id, { span, base, ctx: undefined, outer: activeSpan, start, parentId: run.parent_run_id, capture, sink, startWritten });
  }

  /** The open runs enclosing `parent` (itself first), as naming reads them; bounded so a cycle cannot hang. */
  #ancestors(parent: OpenRun | undefined): EnclosingRun[] {
    const out: EnclosingRun[] = [];
    for (let at = parent; at !== undefined && out.length < 256; at = at.parentId !== undefined ? this.#open.get(at.parentId) : undefined) {
      out.push({ kind: at.start.kind, moduleId: at.start.moduleId });
    }
    return out;
  }

  /** A prompt run's templates and variables (`variables`: the run's inputs as text, when already made for its input). */
  #writeTemplates(run: Run, attributes: Attributes, variables: SafeText | undefined, sink: ErrorHook): void {
    try {
      const templates = promptTemplatesOf(run.serialized);
      if (templates.length > 0) attributes[OI.promptTemplate] = formatTemplates(templates);
      const st = variables ?? safeText(run.inputs);
      if (hasTextFaults(st)) reportTextFaults(st, sink, `${whereOf(run)} variables`);
      attributes[OI.promptTemplateVariables] = st.text;
    } catch (error) {
      reportFault(sink, error, `${whereOf(run)} templates`);
    }
  }

  #end(run: Run): void {
    const open = this.#open.get(run.id);
    if (!open) return;
    this.#open.delete(run.id);
    const { span, start, capture, sink } = open;
    try {
      if (start.kind === "llm") {
        // the start attributes (model, provider, operation) were given at start, from the same run: not written again
        const written = writeLlmRecord(span, llmRecordOf(run, start.scope, start.model), sink, { startWritten: open.startWritten });
        const model = responseModelOf(run);
        if (model !== undefined) span.setAttribute(GENAI.responseModel, model);
        // the writer speaks for chat models; string-in/string-out LLMs are completions
        if (!open.startWritten && !Array.isArray((run.inputs as { messages?: unknown }).messages)) span.setAttribute(GENAI.operationName, "text_completion");
        if (written !== undefined && capture) capture.values.register(outputMessageOf(run) ?? written.text, span.spanContext().spanId, written.hash, written.text);
      } else if (run.outputs !== undefined) {
        const output = start.kind === "tool" ? (run.outputs as { output?: unknown }).output : run.outputs;
        const value = outputText(start.kind, output, run.outputs);
        const written = writeOutput(span, value, sink, () => `${whereOf(run)} output`);
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

  /** Where faults go: our hook and the capture's. Kept per capture (not made per run). */
  #sinkFor(capture: Capture | undefined): ErrorHook {
    if (this.#sink && this.#sink.capture === capture) return this.#sink.hook;
    const hook = faultSinkOf(this.#onError, capture);
    this.#sink = { capture, hook };
    return hook;
  }
}

/** True for a {@link TracegradTracer}, from any copy of this package. */
export function isTracegradTracer(handler: unknown): handler is TracegradTracer {
  return typeof handler === "object" && handler !== null && (handler as Record<symbol, unknown>)[BRAND] === true;
}

/** No input refs or hashes (shared: never written to). */
const NONE: readonly string[] = Object.freeze([]);

/** What fault reports about a run's text say (only built when there is a fault). */
function whereOf(run: Run): string {
  return `LangChain run ${describe(run)}`;
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

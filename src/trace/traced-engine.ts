/**
 * @module trace/traced-engine
 * An Engine wrapper that records each call as a GenAI `chat {model}` span (with OpenInference and tracegrad keys
 * alongside), so LLM calls made through tracegrad engines show up in the graph with their system prompt, messages and
 * usage. Outside trace() it calls straight through. A `param()` read while the engine call runs is recorded on its span.
 */
import { SpanKind, type Attributes } from "@opentelemetry/api";
import type { Variable } from "../core/variable.js";
import { requestMessages, type Engine, type EngineRequest, type EngineResponse } from "../engine/types.js";
import { GENAI, TG } from "./attributes.js";
import { activeCapture, type Capture } from "./capture.js";
import { reportFault } from "./fault-sink.js";
import type { RecordedMessage } from "./module-call.js";
import { paramAttributes } from "./param-attributes.js";
import { peekValue } from "./peek-value.js";
import { recordSpan } from "./record-span.js";
import { llmStartAttributes, writeLlmRecord } from "./span-writer.js";

/** Options of {@link tracedEngine}. */
export interface TracedEngineOptions {
  /** Span name; default `chat {model}` as the GenAI convention names inference spans. */
  readonly name?: string;
  /** GenAI provider name, e.g. "openai". */
  readonly provider?: string;
}

/**
 * Wraps an engine so each call inside trace() emits an LLM span. The engine's reply and errors pass through
 * unchanged; faults of the tracing go to the run's `onError`. Parameters the run declared with `param()` whose value
 * is exactly the request's system prompt are recorded as used by the call.
 *
 * @example
 * const engine = tracedEngine(new FakeEngine(["4"]));
 * const run = await trace(() => engine.generate({ system: plannerPrompt.value, prompt: "2+2?" }));
 */
export function tracedEngine(engine: Engine, options: TracedEngineOptions = {}): Engine {
  const wrapped: Engine = {
    generate(request: EngineRequest): Promise<EngineResponse> {
      const capture = activeCapture();
      return capture ? generateTraced(engine, request, capture, options) : engine.generate(request);
    },
  };
  return engine.model === undefined ? wrapped : { model: engine.model, generate: wrapped.generate };
}

function generateTraced(engine: Engine, request: EngineRequest, capture: Capture, options: TracedEngineOptions): Promise<EngineResponse> {
  const model = engine.model ?? "model";
  const where = `LLM "${options.name ?? model}"`;
  let attributes: Attributes;
  let params: Variable[];
  let readIds: readonly string[] = [];
  try {
    params = paramsUsed(capture, request.system);
    attributes = { ...llmStartAttributes({ model, provider: options.provider }), ...sampling(request), ...paramAttributes(params) };
    const ref = request.prompt.trim() === "" ? undefined : capture.values.resolve(request.prompt)[0];
    if (ref !== undefined) attributes[TG.inputRefs] = [ref];
  } catch (error) {
    reportFault(capture, error, `${where} start`);
    return engine.generate(request);
  }
  return recordSpan({
    tracer: capture.tracer,
    name: options.name ?? `chat ${model}`,
    kind: SpanKind.CLIENT,
    attributes,
    sink: capture,
    where,
    fn: () => engine.generate(request),
    onStart: (span, scope) => {
      capture.ownSpans.add(span);
      readIds = scope.paramIds;
    },
    onValue: (span, value) => {
      const response = value as EngineResponse | undefined;
      // parameters read during the call were appended to the span's ids; the record rewrites them all
      for (const id of readIds.slice(params.length)) {
        const p = capture.params.get(id);
        if (p) params.push(p);
      }
      const messages: RecordedMessage[] = requestMessages({ ...request, system: undefined });
      const written = writeLlmRecord(
        span,
        { model: response?.model ?? model, provider: options.provider, system: request.system, messages, output: String(response?.text ?? ""), usage: response?.usage, params },
        capture,
      );
      if (written !== undefined) capture.values.register(response?.text, span.spanContext().spanId, written.hash, written.text);
      if (response?.model !== undefined && response.model !== model) span.setAttribute(GENAI.responseModel, response.model);
    },
  });
}

/** The run's declared parameters whose text is exactly this system prompt (explicit evidence of use). */
function paramsUsed(capture: Capture, system: string | undefined): Variable[] {
  if (system === undefined || system === "") return [];
  // peeked: comparing texts is not a use (a real read inside the call is recorded on this call's span by param())
  return [...capture.params.values()].filter((p) => peekValue(p) === system);
}

function sampling(request: EngineRequest): Attributes {
  const out: Attributes = {};
  if (request.temperature !== undefined) out[GENAI.requestTemperature] = request.temperature;
  if (request.topP !== undefined) out[GENAI.requestTopP] = request.topP;
  if (request.maxTokens !== undefined) out[GENAI.requestMaxTokens] = request.maxTokens;
  if (request.seed !== undefined) out[GENAI.requestSeed] = request.seed;
  if (request.stop !== undefined) out[GENAI.requestStopSequences] = [...request.stop];
  return out;
}

/**
 * @module trace/read-input
 * What buildGraph() was given, and the calls and span links in it. The input's kind is found at run time as well as
 * typed: JavaScript callers and parsed JSON carry no static type, so an odd input must still fail with a
 * TraceFormatError that names it, never with a TypeError from deep inside.
 */
import { TraceFormatError } from "../errors.js";
import { TG } from "./attributes.js";
import { checkCalls } from "./check-calls.js";
import { describeError, describeValue } from "./describe-value.js";
import type { LinkedEdge } from "./infer-edges.js";
import type { EdgeKind, ModuleCall } from "./module-call.js";
import { fromOtlpJson, type OtlpJson } from "./otlp.js";
import { readCalls } from "./read-calls.js";
import type { SpanLike } from "./span-like.js";

/** Anything buildGraph can read: SDK spans, ModuleCall records, or OTLP JSON (a document, its text, or several documents). */
export type TraceInput = readonly SpanLike[] | readonly ModuleCall[] | OtlpJson | readonly OtlpJson[] | string;

const INPUT_HINT = "pass SDK spans, ModuleCall records, or OTLP JSON (a document, an array of documents, or their text)";

/**
 * The calls in `input` and the edges re-imported from its span links. Problems with single spans are warnings (the
 * span is skipped); an input that is not a trace at all, or a malformed ModuleCall record, is a TraceFormatError.
 *
 * @example
 * const { calls, links } = readTraceInput(JSON.parse(text), (w) => console.warn(w));
 */
export function readTraceInput(input: TraceInput, warn: (w: string) => void): { calls: ModuleCall[]; links: LinkedEdge[] } {
  let spans: readonly SpanLike[];
  if (isArray(input)) {
    const sort = arrayKind(input);
    if (sort === "calls") return { calls: checkCalls(input), links: [] };
    spans = sort === "spans" ? (input as readonly SpanLike[]) : fromOtlpJson(input);
  } else if (typeof input === "string" || (typeof input === "object" && input !== null)) {
    spans = fromOtlpJson(input);
  } else {
    throw new TraceFormatError(`buildGraph() got ${describeValue(input)}; ${INPUT_HINT}.`);
  }
  const { calls, warnings } = readCalls(spans);
  for (const w of warnings) warn(w);
  return { calls, links: linkedEdges(spans, warn) };
}

/** Array.isArray, which throws on a revoked Proxy, as a typed error. */
function isArray(input: unknown): input is readonly unknown[] {
  try {
    return Array.isArray(input);
  } catch (error) {
    throw new TraceFormatError(`buildGraph() input could not be read (${describeError(error)}); ${INPUT_HINT}.`, { subject: "input", cause: error });
  }
}

/** The kind of an array input, from its first element (a mixed array fails later, naming the odd element). */
function arrayKind(input: readonly unknown[]): "calls" | "spans" | "documents" {
  if (input.length === 0) return "spans";
  const first: unknown = input[0];
  if (typeof first !== "object" || first === null) {
    throw new TraceFormatError(`buildGraph() input[0] is ${first === null ? "null" : `a ${typeof first}`} (${describeValue(first)}); ${INPUT_HINT}.`, { subject: "input[0]" });
  }
  try {
    if (typeof (first as SpanLike).spanContext === "function") return "spans";
    if ("resourceSpans" in first) return "documents";
    if ("spanId" in first && "dialect" in first && "inputRefs" in first) return "calls";
  } catch (error) {
    throw new TraceFormatError(`buildGraph() input[0] could not be read (${describeError(error)}); ${INPUT_HINT}.`, { subject: "input[0]", cause: error });
  }
  throw new TraceFormatError(`buildGraph() input[0] is neither a span (no spanContext()), a ModuleCall record nor an OTLP document (no resourceSpans); ${INPUT_HINT}.`, { subject: "input[0]" });
}

// "control" edges are not re-imported: they are derived again from the spans (trace/control-edges), with their plans
const EDGE_KINDS = new Set<EdgeKind>(["explicit", "tool_call", "message_id", "content", "tree"]);

/** Edges re-imported from span links; a span whose links cannot be read keeps none (readCalls already warned). */
function linkedEdges(spans: readonly SpanLike[], warn: (w: string) => void): LinkedEdge[] {
  const out: LinkedEdge[] = [];
  for (let i = 0; i < spans.length; i++) {
    try {
      const span = spans[i]!;
      for (const link of span.links ?? []) {
        const kind = link.attributes?.[TG.edgeKind];
        if (typeof kind !== "string" || !EDGE_KINDS.has(kind as EdgeKind)) continue;
        const confidence = Number(link.attributes?.[TG.edgeConfidence] ?? 1);
        if (typeof link.context.spanId !== "string" || !Number.isFinite(confidence)) continue;
        out.push({ from: link.context.spanId, to: span.spanContext().spanId, kind: kind as EdgeKind, confidence });
      }
    } catch (error) {
      warn(`span #${i}'s links could not be read (${describeError(error)}); they were ignored`);
    }
  }
  return out;
}

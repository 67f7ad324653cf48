/**
 * @module registry/prompt-attributes
 * How a read of a registry prompt is written on a span: `gen_ai.prompt.name`, `tracegrad.prompt.version`,
 * `tracegrad.prompt.label` (the last prompt read on the span), plus `tracegrad.prompt.<name>.version|label` per prompt,
 * so a span that reads two prompts keeps both. Scores roll up per version from these (see canaryReport).
 */
import { trace as otelTrace, context, type Attributes, type AttributeValue, type Span } from "@opentelemetry/api";
import { GENAI } from "../trace/attributes.js";
import { activeSpanScope } from "../trace/span-scope.js";
import type { SpanAttributesLike } from "../trace/span-like.js";

/** The registry's span attribute keys. */
export const PROMPT_ATTRS = {
  name: GENAI.promptName,
  version: "tracegrad.prompt.version",
  label: "tracegrad.prompt.label",
  /** Prefix of the per-prompt keys `tracegrad.prompt.<name>.version` / `.label`. */
  prefix: "tracegrad.prompt.",
} as const;

/** One recorded read: which version of which prompt, under which label ("fallback" when the code copy was served). */
export interface PromptUse {
  readonly name: string;
  readonly version: number | undefined;
  readonly label: string;
}

/**
 * The span a read is recorded on: the innermost tracegrad call (where `param()` reads are recorded too), else the
 * active OTel span (an agent traced by its own instrumentation). Undefined outside any span.
 */
export function readingSpan(): Span | undefined {
  const ctx = context.active();
  const scope = activeSpanScope(ctx);
  if (scope?.span.isRecording()) return scope.span;
  const span = otelTrace.getSpan(ctx);
  return span?.isRecording() ? span : undefined;
}

/** The attributes of one read (pure). */
export function promptUseAttributes(use: PromptUse): Attributes {
  const attrs: Attributes = { [PROMPT_ATTRS.name]: use.name, [PROMPT_ATTRS.label]: use.label, [`${PROMPT_ATTRS.prefix}${use.name}.label`]: use.label };
  if (use.version !== undefined) {
    attrs[PROMPT_ATTRS.version] = use.version;
    attrs[`${PROMPT_ATTRS.prefix}${use.name}.version`] = use.version;
  }
  return attrs;
}

/**
 * The reads of prompt `name` recorded on a span's attributes: the per-prompt keys, else the plain triple when
 * `gen_ai.prompt.name` is `name`. Versions read back from OTLP JSON may be strings; both are accepted.
 */
export function readPromptUse(attrs: SpanAttributesLike, name: string): PromptUse | undefined {
  const keyed = toVersion(attrs[`${PROMPT_ATTRS.prefix}${name}.version`]);
  const keyedLabel = attrs[`${PROMPT_ATTRS.prefix}${name}.label`];
  if (keyed !== undefined || typeof keyedLabel === "string") return { name, version: keyed, label: typeof keyedLabel === "string" ? keyedLabel : "" };
  if (attrs[PROMPT_ATTRS.name] !== name) return undefined;
  const label = attrs[PROMPT_ATTRS.label];
  const version = toVersion(attrs[PROMPT_ATTRS.version]);
  if (version === undefined && typeof label !== "string") return undefined;
  return { name, version, label: typeof label === "string" ? label : "" };
}

function toVersion(value: AttributeValue | undefined): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * @module trace/otlp
 * OTLP JSON out: spans (ours, or any SDK's) as the standard `{ resourceSpans: [...] }` document that every OTel
 * backend and the collector's file exporter speak, with the rebuilt graph's data-flow edges written back as span links
 * so a graph survives a round trip through files and backends. Reading is in {@link fromOtlpJson}.
 */
import type { AttributeValue } from "@opentelemetry/api";
import { TG } from "./attributes.js";
import type { GraphEdge, GraphNode } from "./module-call.js";
import { hrTimeToNanos, parentIdOf, type SpanAttributesLike, type SpanLike, type SpanLinkLike } from "./span-like.js";

export { fromOtlpJson } from "./otlp-parse.js";

/** An OTLP `AnyValue` (JSON encoding). */
export interface OtlpAnyValue {
  readonly stringValue?: string;
  /** int64: a decimal string in canonical OTLP JSON; numbers are accepted on input. */
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
  readonly arrayValue?: { readonly values: readonly OtlpAnyValue[] };
  readonly kvlistValue?: { readonly values: readonly OtlpKeyValue[] };
  readonly bytesValue?: string;
}

/** An OTLP attribute. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** One span in OTLP JSON. Ids are lowercase hex; times are epoch nanoseconds as decimal strings. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP kind: 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER (the JS SpanKind plus one). */
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly status: { readonly code: number; readonly message?: string };
  readonly links: readonly { readonly traceId: string; readonly spanId: string; readonly attributes: readonly OtlpKeyValue[] }[];
  readonly events: readonly { readonly timeUnixNano: string; readonly name: string; readonly attributes: readonly OtlpKeyValue[] }[];
}

/** An OTLP JSON traces document (`ExportTraceServiceRequest`). */
export interface OtlpJson {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpKeyValue[] };
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string; readonly version?: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
}

/** Options of {@link toOtlpJson}. */
export interface ToOtlpOptions {
  /** A graph built from these spans: each edge between two spans is added as a link on the consumer span. */
  readonly graph?: { readonly nodes: readonly GraphNode[]; readonly edges: readonly GraphEdge[] };
}

/**
 * Spans as an OTLP JSON document, grouped by resource and instrumentation scope.
 *
 * @example
 * const run = await trace(() => agent(question));
 * await writeFile("run.otlp.json", JSON.stringify(toOtlpJson(run.spans, { graph: run.graph })));
 */
export function toOtlpJson(spans: readonly SpanLike[], options: ToOtlpOptions = {}): OtlpJson {
  const extraLinks = options.graph ? edgeLinks(spans, options.graph) : new Map<string, SpanLinkLike[]>();
  const byResource = new Map<unknown, { resource: SpanLike["resource"]; scopes: Map<string, { scope: { name: string; version?: string }; spans: OtlpSpan[] }> }>();
  for (const span of spans) {
    const resourceKey = span.resource ?? null;
    let group = byResource.get(resourceKey);
    if (!group) byResource.set(resourceKey, (group = { resource: span.resource, scopes: new Map() }));
    const scope = span.instrumentationScope ?? { name: "unknown" };
    const scopeKey = `${scope.name}@${scope.version ?? ""}`;
    let bucket = group.scopes.get(scopeKey);
    if (!bucket) {
      const s = scope.version === undefined ? { name: scope.name } : { name: scope.name, version: scope.version };
      group.scopes.set(scopeKey, (bucket = { scope: s, spans: [] }));
    }
    bucket.spans.push(toOtlpSpan(span, extraLinks.get(span.spanContext().spanId)));
  }
  return {
    resourceSpans: [...byResource.values()].map((g) => ({
      resource: { attributes: toKeyValues(g.resource?.attributes ?? {}) },
      scopeSpans: [...g.scopes.values()],
    })),
  };
}

function toOtlpSpan(span: SpanLike, extra: readonly SpanLinkLike[] | undefined): OtlpSpan {
  const ctx = span.spanContext();
  const parent = parentIdOf(span);
  const links = [...(span.links ?? []), ...(extra ?? [])];
  const status = span.status ?? { code: 0 };
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(parent === undefined ? {} : { parentSpanId: parent }),
    name: span.name,
    kind: (span.kind ?? 0) + 1,
    startTimeUnixNano: hrTimeToNanos(span.startTime),
    endTimeUnixNano: hrTimeToNanos(span.endTime),
    attributes: toKeyValues(span.attributes),
    status: status.message ? { code: status.code, message: status.message } : { code: status.code },
    links: links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: toKeyValues(l.attributes ?? {}) })),
    events: (span.events ?? []).map((e) => ({ timeUnixNano: hrTimeToNanos(e.time), name: e.name, attributes: toKeyValues(e.attributes ?? {}) })),
  };
}

/** Graph edges between spans as links on the consumer span, skipping links the span already carries. */
function edgeLinks(spans: readonly SpanLike[], graph: NonNullable<ToOtlpOptions["graph"]>): Map<string, SpanLinkLike[]> {
  const traceOf = new Map<string, string>();
  const existing = new Set<string>();
  for (const s of spans) {
    const { traceId, spanId } = s.spanContext();
    traceOf.set(spanId, traceId);
    for (const l of s.links ?? []) existing.add(`${spanId}<${l.context.spanId}:${String(l.attributes?.[TG.edgeKind] ?? "")}`);
  }
  const spanOfNode = new Map<string, string>();
  for (const n of graph.nodes) if (n.spanId !== undefined) spanOfNode.set(n.id, n.spanId);
  const out = new Map<string, SpanLinkLike[]>();
  for (const e of graph.edges) {
    const from = spanOfNode.get(e.from);
    const to = spanOfNode.get(e.to);
    if (from === undefined || to === undefined || from === to || !traceOf.has(to)) continue;
    const key = `${to}<${from}:${e.kind}`;
    if (existing.has(key)) continue;
    existing.add(key);
    const traceId = traceOf.get(from) ?? traceOf.get(to)!;
    const list = out.get(to) ?? [];
    list.push({ context: { traceId, spanId: from }, attributes: { [TG.edgeKind]: e.kind, [TG.edgeConfidence]: e.confidence } });
    out.set(to, list);
  }
  return out;
}

function toKeyValues(attributes: SpanAttributesLike): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    out.push({ key, value: toAnyValue(value) });
  }
  return out;
}

function toAnyValue(value: AttributeValue | null | undefined): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => (v === null || v === undefined ? {} : toAnyValue(v))) } };
  return { stringValue: String(value) };
}

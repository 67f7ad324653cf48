/**
 * @module trace/span-like
 * The structural subset of an OTel `ReadableSpan` that tracegrad reads. SDK spans satisfy it as they are; spans read
 * back from OTLP JSON ({@link fromOtlpJson}) are plain objects of this shape. Keeping the reader on this subset is what
 * lets one graph builder serve live captures, OTLP files and other SDK versions alike.
 */
import type { AttributeValue, HrTime } from "@opentelemetry/api";

/** Span attributes as read (values may be missing in hand-made or imported spans). */
export type SpanAttributesLike = Readonly<Record<string, AttributeValue | undefined>>;

/** The ids a span (or a link) points at. */
export interface SpanContextLike {
  readonly traceId: string;
  readonly spanId: string;
}

/** A span link: a non-tree edge to another span (tracegrad writes data-flow edges as links). */
export interface SpanLinkLike {
  readonly context: SpanContextLike;
  readonly attributes?: SpanAttributesLike;
}

/** A span event (exceptions are events named "exception"). */
export interface SpanEventLike {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: SpanAttributesLike;
}

/** What tracegrad reads from a span. `ReadableSpan` (SDK 2.x) satisfies it. */
export interface SpanLike {
  readonly name: string;
  /** `SpanKind` number (0 INTERNAL … 4 CONSUMER). */
  readonly kind?: number;
  spanContext(): SpanContextLike;
  /** SDK 2.x parent. */
  readonly parentSpanContext?: { readonly spanId: string } | undefined;
  /** SDK 1.x parent (still found on spans from older SDKs). */
  readonly parentSpanId?: string | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly attributes: SpanAttributesLike;
  /** `SpanStatusCode` (0 UNSET, 1 OK, 2 ERROR). */
  readonly status?: { readonly code: number; readonly message?: string | undefined };
  readonly links?: readonly SpanLinkLike[];
  readonly events?: readonly SpanEventLike[];
  readonly resource?: { readonly attributes: SpanAttributesLike };
  readonly instrumentationScope?: { readonly name: string; readonly version?: string | undefined };
}

/** The parent span id, or undefined for a root (SDK 2.x `parentSpanContext`, SDK 1.x `parentSpanId`). */
export function parentIdOf(span: SpanLike): string | undefined {
  const id = span.parentSpanContext?.spanId ?? span.parentSpanId;
  return id === undefined || id === "" || id === "0000000000000000" ? undefined : id;
}

/** HrTime as epoch milliseconds (sub-millisecond precision kept as a fraction). */
export function hrTimeToMs(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** HrTime as a decimal string of epoch nanoseconds (OTLP JSON's `startTimeUnixNano`), exact. */
export function hrTimeToNanos(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

/** Epoch nanoseconds (decimal string, number or bigint) as HrTime, exact. Throws (SyntaxError/RangeError) on non-integers. */
export function nanosToHrTime(nanos: string | number | bigint): HrTime {
  const n = BigInt(typeof nanos === "number" ? Math.round(nanos) : nanos);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

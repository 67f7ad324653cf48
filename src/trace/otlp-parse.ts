/**
 * @module trace/otlp-parse
 * OTLP JSON in: a document (object or JSON string), a JSON-lines file of documents (the collector's file exporter),
 * or an array of documents, read into {@link SpanLike}s. Ids may be hex or base64 (protobuf's JSON mapping). Anything
 * malformed is a {@link TraceFormatError} naming the exact path, so a user can find the bad span in a large file —
 * including input no JSON parser produces (BigInts, circular values, Proxies, throwing getters). Reading is linear in
 * the input's size, and nesting deeper than {@link MAX_NESTING} is refused rather than overflowing the stack.
 */
import type { AttributeValue, HrTime } from "@opentelemetry/api";
import { TraceFormatError } from "../errors.js";
import { describeError, describeValue } from "./describe-value.js";
import { nanosToHrTime, type SpanAttributesLike, type SpanEventLike, type SpanLike, type SpanLinkLike } from "./span-like.js";

const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** Deepest nesting of `arrayValue` / `kvlistValue` read; real attributes nest a few levels, and a cycle never ends. */
export const MAX_NESTING = 64;

/** OTLP times are fixed64 nanoseconds. */
const MAX_NANOS = (1n << 64n) - 1n;

/** A span read from OTLP JSON. */
class ParsedSpan implements SpanLike {
  constructor(
    readonly name: string,
    readonly kind: number,
    private readonly ids: { readonly traceId: string; readonly spanId: string },
    readonly parentSpanContext: { readonly spanId: string } | undefined,
    readonly startTime: HrTime,
    readonly endTime: HrTime,
    readonly attributes: SpanAttributesLike,
    readonly status: { readonly code: number; readonly message?: string },
    readonly links: readonly SpanLinkLike[],
    readonly events: readonly SpanEventLike[],
    readonly resource: { readonly attributes: SpanAttributesLike },
    readonly instrumentationScope: { readonly name: string; readonly version?: string },
  ) {}

  spanContext(): { traceId: string; spanId: string } {
    return { traceId: this.ids.traceId, spanId: this.ids.spanId };
  }
}

/**
 * Reads OTLP JSON traces into spans that {@link readCalls} and `buildGraph` accept.
 *
 * @example
 * const spans = fromOtlpJson(await readFile("run.otlp.json", "utf8"));
 * const graph = buildGraph(spans);
 * @throws TraceFormatError naming the path of the first malformed field, e.g.
 *   `resourceSpans[0].scopeSpans[1].spans[3].spanId is missing`.
 */
export function fromOtlpJson(json: unknown): SpanLike[] {
  if (typeof json === "string") return fromText(json);
  const out: SpanLike[] = [];
  guarded("document", () => {
    if (Array.isArray(json)) json.forEach((doc, i) => readDocument(doc, `[${i}].`, out));
    else readDocument(json, "", out);
  });
  return out;
}

/**
 * Runs `read`, turning anything but a TraceFormatError into one naming `path`: object input may hold getters that
 * throw, Proxies or revoked Proxies, and their errors are about the input, not about tracegrad.
 */
function guarded<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TraceFormatError) throw error;
    throw fail(path, `could not be read (${describeError(error)})`, error);
  }
}

function fromText(text: string): SpanLike[] {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    // not one document: try JSON lines, one document per line
    const out: SpanLike[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === "") return;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch (error) {
        throw fail(`line ${i + 1}`, `is not JSON (${(error as Error).message})`, error);
      }
      readDocument(doc, `line ${i + 1}: `, out);
    });
    return out;
  }
  return fromOtlpJson(whole);
}

function readDocument(doc: unknown, prefix: string, out: SpanLike[]): void {
  const docPath = prefix === "" ? "document" : prefix.replace(/[.:] ?$/, "");
  const root = guarded(docPath, () => record(doc, docPath));
  guarded(`${prefix}resourceSpans`, () => readResourceSpans(root, prefix, out));
}

function readResourceSpans(root: Record<string, unknown>, prefix: string, out: SpanLike[]): void {
  const resourceSpans = list(root.resourceSpans, `${prefix}resourceSpans`);
  resourceSpans.forEach((rsRaw, r) => {
    const rsPath = `${prefix}resourceSpans[${r}]`;
    const rs = record(rsRaw, rsPath);
    const resourceRaw = rs.resource === undefined ? {} : record(rs.resource, `${rsPath}.resource`);
    const resource = { attributes: readAttributes(resourceRaw.attributes, `${rsPath}.resource.attributes`) };
    // scopeSpans; very old exporters wrote instrumentationLibrarySpans
    const scopes = list(rs.scopeSpans ?? rs.instrumentationLibrarySpans, `${rsPath}.scopeSpans`);
    scopes.forEach((ssRaw, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      const ss = record(ssRaw, ssPath);
      const scopeRaw = ss.scope ?? ss.instrumentationLibrary;
      const scopeRecord = scopeRaw === undefined || scopeRaw === null ? {} : record(scopeRaw, `${ssPath}.scope`);
      const name = scalarText(scopeRecord.name);
      const scope = typeof scopeRecord.version === "string" ? { name, version: scopeRecord.version } : { name };
      list(ss.spans, `${ssPath}.spans`).forEach((spanRaw, i) => {
        const path = `${ssPath}.spans[${i}]`;
        out.push(guarded(path, () => readSpan(spanRaw, path, resource, scope)));
      });
    });
  });
}

function readSpan(raw: unknown, path: string, resource: ParsedSpan["resource"], scope: ParsedSpan["instrumentationScope"]): SpanLike {
  const s = record(raw, path);
  const traceId = readId(s.traceId, 16, `${path}.traceId`);
  const spanId = readId(s.spanId, 8, `${path}.spanId`);
  const parent = s.parentSpanId === undefined || s.parentSpanId === null || s.parentSpanId === "" ? undefined : readId(s.parentSpanId, 8, `${path}.parentSpanId`);
  if (typeof s.name !== "string") throw fail(`${path}.name`, s.name === undefined ? "is missing" : "must be a string");
  const kindRaw = typeof s.kind === "string" ? KINDS[s.kind] : s.kind ?? 1;
  if (typeof kindRaw !== "number" || !Number.isInteger(kindRaw)) throw fail(`${path}.kind`, `is not an OTLP span kind (${describeValue(s.kind)})`);
  const statusRaw = s.status === undefined ? {} : record(s.status, `${path}.status`);
  const code = typeof statusRaw.code === "string" ? STATUS[statusRaw.code] : statusRaw.code ?? 0;
  if (typeof code !== "number" || !Number.isInteger(code)) throw fail(`${path}.status.code`, `is not an OTLP status code (${describeValue(statusRaw.code)})`);
  const status = typeof statusRaw.message === "string" && statusRaw.message !== "" ? { code, message: statusRaw.message } : { code };
  const links = (s.links === undefined ? [] : list(s.links, `${path}.links`)).map((lRaw, i): SpanLinkLike => {
    const lp = `${path}.links[${i}]`;
    const l = record(lRaw, lp);
    return {
      context: { traceId: readId(l.traceId, 16, `${lp}.traceId`), spanId: readId(l.spanId, 8, `${lp}.spanId`) },
      attributes: readAttributes(l.attributes, `${lp}.attributes`),
    };
  });
  const events = (s.events === undefined ? [] : list(s.events, `${path}.events`)).map((eRaw, i): SpanEventLike => {
    const ep = `${path}.events[${i}]`;
    const e = record(eRaw, ep);
    return { name: scalarText(e.name), time: readTime(e.timeUnixNano, `${ep}.timeUnixNano`), attributes: readAttributes(e.attributes, `${ep}.attributes`) };
  });
  return new ParsedSpan(
    s.name,
    Math.max(0, kindRaw - 1),
    { traceId, spanId },
    parent === undefined ? undefined : { spanId: parent },
    readTime(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
    readTime(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
    readAttributes(s.attributes, `${path}.attributes`),
    status,
    links,
    events,
    resource,
    scope,
  );
}

const HEX = /^[0-9a-f]+$/i;

/** A hex id as is (lowercased), or a base64 id decoded to hex; `bytes` is 16 for trace ids and 8 for span ids. */
function readId(value: unknown, bytes: number, path: string): string {
  if (value === undefined || value === null || value === "") throw fail(path, "is missing");
  if (typeof value !== "string") throw fail(path, `must be a string (got ${typeof value})`);
  if (value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const buf = Buffer.from(value, "base64");
    if (buf.length === bytes) return buf.toString("hex");
  }
  throw fail(path, `is not a ${bytes}-byte id (expected ${bytes * 2} hex digits or base64): ${describeValue(value)}`);
}

function readTime(value: unknown, path: string): HrTime {
  if (value === undefined || value === null || value === "") throw fail(path, "is missing");
  const valid =
    (typeof value === "string" && /^\d{1,20}$/.test(value) && BigInt(value) <= MAX_NANOS) ||
    (typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= Number(MAX_NANOS)) ||
    (typeof value === "bigint" && value >= 0n && value <= MAX_NANOS);
  if (valid) return nanosToHrTime(value as string | number | bigint);
  throw fail(path, `must be epoch nanoseconds as a decimal string of at most 20 digits (got ${describeValue(value)})`);
}

/** A JSON value read from an AnyValue: what nested arrays and key-value lists hold before they are serialized. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Attributes in a null-prototype object: a key such as `__proto__` is an ordinary attribute there, not a way to swap
 * the object's prototype (`in`, `Object.hasOwn` and `for…in` work on it as on `{}`).
 */
function readAttributes(value: unknown, path: string): SpanAttributesLike {
  const out = Object.create(null) as Record<string, AttributeValue>;
  if (value === undefined || value === null) return out;
  readKeyValues(value, path, 0, (key, v, vPath) => {
    const attribute = toAttribute(v, vPath);
    if (attribute !== undefined) out[key] = attribute;
  });
  return out;
}

function readKeyValues(value: unknown, path: string, depth: number, put: (key: string, value: JsonValue | undefined, path: string) => void): void {
  list(value, path).forEach((kvRaw, i) => {
    const kv = record(kvRaw, `${path}[${i}]`);
    if (typeof kv.key !== "string") throw fail(`${path}[${i}].key`, kv.key === undefined ? "is missing" : "must be a string");
    put(kv.key, readAnyValue(kv.value, `${path}[${i}].value`, depth), `${path}[${i}].value`);
  });
}

/**
 * An attribute value: scalars as they are, arrays as arrays (a key-value list inside one as JSON text), a key-value
 * list as JSON text (attributes cannot nest). Each nested structure is serialized once, at the outermost level that
 * needs text: serializing at every level re-escaped inner JSON once per level, exponential in the nesting depth.
 */
function toAttribute(value: JsonValue | undefined, path: string): AttributeValue | undefined {
  if (value === undefined || typeof value !== "object" || value === null) return value === null ? undefined : value;
  if (!Array.isArray(value)) return json(value, path);
  return value.map((item) => (item !== null && typeof item === "object" && !Array.isArray(item) ? json(item, path) : item)) as AttributeValue;
}

function json(value: JsonValue, path: string): string {
  // nesting is capped, so this cannot overflow; it may still fail on a value no JSON parser produced
  return guarded(path, () => JSON.stringify(value));
}

/** An OTLP AnyValue as a JSON value (undefined when it holds none). */
function readAnyValue(value: unknown, path: string, depth: number): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (depth >= MAX_NESTING) throw fail(path, `is nested more than ${MAX_NESTING} levels deep (a cycle, or not a real attribute); flatten the attribute or drop it`);
  const v = record(value, path);
  if (v.stringValue !== undefined) return scalar(v.stringValue, `${path}.stringValue`);
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === "true";
  if (v.intValue !== undefined) {
    const n = typeof v.intValue === "number" || typeof v.intValue === "bigint" || typeof v.intValue === "string" ? Number(v.intValue) : NaN;
    if (!Number.isFinite(n)) throw fail(`${path}.intValue`, `is not an integer (${describeValue(v.intValue)})`);
    return n;
  }
  if (v.doubleValue !== undefined) {
    // proto3 JSON writes NaN and infinities as strings
    if (typeof v.doubleValue !== "number" && typeof v.doubleValue !== "string") throw fail(`${path}.doubleValue`, `is not a number (${describeValue(v.doubleValue)})`);
    return Number(v.doubleValue);
  }
  if (v.bytesValue !== undefined) return scalar(v.bytesValue, `${path}.bytesValue`);
  if (v.arrayValue !== undefined) {
    const items = list(record(v.arrayValue, `${path}.arrayValue`).values ?? [], `${path}.arrayValue.values`);
    return items.map((item, i) => readAnyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1) ?? null);
  }
  if (v.kvlistValue !== undefined) {
    const out = Object.create(null) as { [key: string]: JsonValue };
    readKeyValues(record(v.kvlistValue, `${path}.kvlistValue`).values ?? [], `${path}.kvlistValue.values`, depth + 1, (key, item) => {
      if (item !== undefined) out[key] = item;
    });
    return out;
  }
  return undefined;
}

/** A string field; numbers, booleans and BigInts are accepted as their text. */
function scalar(value: unknown, path: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  throw fail(path, `must be a string (got ${describeValue(value)})`);
}

/** Text of an optional name: strings as they are, other scalars as text, anything else as "". */
function scalarText(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? String(value) : "";
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(path, value === undefined ? "is missing" : `must be an object (got ${Array.isArray(value) ? "an array" : typeof value})`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw fail(path, value === undefined ? "is missing" : `must be an array (got ${typeof value})`);
  return value;
}

function fail(path: string, problem: string, cause?: unknown): TraceFormatError {
  return new TraceFormatError(
    `OTLP JSON: ${path} ${problem}. Expected an OTLP JSON traces document ({ resourceSpans: [{ scopeSpans: [{ spans: [...] }] }] }), as written by toOtlpJson() or the collector's file exporter.`,
    { subject: path, cause },
  );
}

/**
 * @module trace/safe-text
 * Turning arbitrary agent values into span text without ever throwing: circular-safe JSON, strings as they are,
 * attribute text bounded, hashes over the full normalized text (so a truncated attribute still matches by content).
 */
import * as crypto from "node:crypto";

/** Longest text written into one span attribute. Backends truncate far below this; we keep the full hash. */
export const MAX_ATTRIBUTE_CHARS = 1_000_000;

/** What {@link safeText} made of a value. */
export interface SafeText {
  /** The text to put on a span: the full text, or its first `maxChars` characters plus a truncation marker. */
  readonly text: string;
  /** sha256 (hex) of the full normalized text. */
  readonly hash: string;
  /** Length of the full text, before bounding. */
  readonly length: number;
  readonly truncated: boolean;
  /** True when a circular reference was replaced by `"[Circular]"`. */
  readonly circular: boolean;
  /** The serializer's own fault (a throwing toJSON or getter, a Proxy, a stack overflow), when there was one. */
  readonly fault?: unknown;
}

/** Whitespace-insensitive form used for every content hash: trimmed, runs of whitespace collapsed to one space. */
export function normalizeText(text: string): string {
  const trimmed = text.trim();
  // most texts have only single spaces: skip the allocation of a replace that would change nothing
  return /\s\s|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}

// One-shot crypto.hash (Node ≥ 20.12) is ~2× faster than createHash for short texts; hashing is most of tracing's cost.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
function sha256(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : crypto.createHash("sha256").update(text).digest("hex");
}

/**
 * sha256 (hex) of the normalized text: the content hash written as `tracegrad.value.hash` and `tracegrad.input.hashes`.
 *
 * @example
 * hashText(" a  b\n") === hashText("a b"); // true
 */
export function hashText(text: string): string {
  if (text.length > MAX_REMEMBERED_CHARS) return sha256(normalizeText(text));
  let hash = recentHashes.get(text);
  if (hash === undefined) {
    hash = sha256(normalizeText(text));
    if (recentHashes.size >= REMEMBERED_HASHES) recentHashes.delete(recentHashes.keys().next().value!);
    recentHashes.set(text, hash);
  }
  return hash;
}

// Within a run the same short texts are hashed again and again (a question is a chain's input, a prompt's variable
// and a model's message; a reply is the model's output and then its chain's): the last few hashes are remembered.
// A pure memo — the hash of a text never changes — bounded in entries and in the length of the texts it keeps.
const REMEMBERED_HASHES = 128;
const MAX_REMEMBERED_CHARS = 2_048;
const recentHashes = new Map<string, string>();

/** First 12 hex digits of the sha256 of the exact text: a parameter's content version. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 12);
}

/**
 * A value as text: strings as they are, `undefined`/`null` as "", other primitives via String, objects as JSON with
 * circular references replaced, bigints as decimal strings and functions as `[Function name]`. Never throws.
 *
 * @example
 * const a: Record<string, unknown> = { q: "why?" }; a.self = a;
 * safeText(a).text; // '{"q":"why?","self":"[Circular]"}'
 */
export function safeText(value: unknown, options: { maxChars?: number } = {}): SafeText {
  const { text, circular, fault } = serialize(value);
  const max = options.maxChars ?? MAX_ATTRIBUTE_CHARS;
  const bounded = boundText(text, max);
  return { text: bounded, hash: hashText(text), length: text.length, truncated: bounded !== text, circular, fault };
}

/** `text` cut to `maxChars` with a marker saying how much was dropped (never splits a surrogate pair). */
export function boundText(text: string, maxChars: number = MAX_ATTRIBUTE_CHARS): string {
  if (text.length <= maxChars) return text;
  let cut = maxChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…[tracegrad: truncated ${text.length - cut} of ${text.length} chars]`;
}

function serialize(value: unknown): { text: string; circular: boolean; fault?: unknown } {
  if (typeof value === "string") return { text: value, circular: false };
  if (value === undefined || value === null) return { text: "", circular: false };
  if (typeof value !== "object" && typeof value !== "function") return { text: primitiveText(value), circular: false };
  if (typeof value === "function") return { text: functionText(value), circular: false };
  // Plain data (the usual agent value) serializes the same with or without the replacer below, which costs far more
  // than the serialization itself; anything else, or anything big, deep or cyclic, takes the general path.
  if (plainDataBudget(value, 0, PLAIN_DATA_BUDGET) >= 0) {
    try {
      return { text: JSON.stringify(value) ?? "", circular: false };
    } catch {
      // a getter or Proxy that throws: the general path records the fault
    }
  }
  return serializeObject(value);
}

/** Most values the fast path checks before handing a value to the general serializer. */
const PLAIN_DATA_BUDGET = 256;
const MAX_PLAIN_DEPTH = 16;

/**
 * What is left of `budget` after checking that `value` is made only of plain objects (prototype Object.prototype or
 * null), plain arrays, strings, numbers, booleans, null and undefined, or -1 when it is not (or is too big or too
 * deep: a cycle exceeds the depth).
 */
function plainDataBudget(value: unknown, depth: number, budget: number): number {
  if (typeof value !== "object") return typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === undefined ? budget : -1;
  if (value === null) return budget;
  if (--budget < 0 || depth > MAX_PLAIN_DEPTH) return -1;
  try {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value)) {
      if (proto !== Array.prototype) return -1;
      for (let i = 0; i < value.length && budget >= 0; i++) budget = plainDataBudget(value[i], depth + 1, budget);
      return budget;
    }
    if (proto !== Object.prototype && proto !== null) return -1;
    for (const key in value) {
      budget = plainDataBudget((value as Record<string, unknown>)[key], depth + 1, budget);
      if (budget < 0) return -1;
    }
    return budget;
  } catch {
    return -1;
  }
}

function serializeObject(value: object): { text: string; circular: boolean; fault?: unknown } {
  let circular = false;
  // Ancestor stack rather than a seen-set: a value referenced twice side by side is repeated, not circular.
  // `holders` are what JSON.stringify walks (Maps and Sets are replaced), `originals` what the agent passed.
  const holders: unknown[] = [];
  const originals: unknown[] = [];
  const replacer = function (this: unknown, _key: string, v: unknown): unknown {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "function") return functionText(v);
    if (typeof v === "symbol") return v.toString();
    if (typeof v !== "object" || v === null) return v;
    while (holders.length > 0 && holders[holders.length - 1] !== this) {
      holders.pop();
      originals.pop();
    }
    if (originals.includes(v)) {
      circular = true;
      return "[Circular]";
    }
    const out = v instanceof Error ? { name: v.name, message: v.message } : v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v;
    holders.push(out);
    originals.push(v);
    return out;
  };
  try {
    const text = JSON.stringify(value, replacer);
    return { text: text ?? "", circular };
  } catch (fault) {
    return { text: fallbackText(value), circular, fault };
  }
}

function primitiveText(value: unknown): string {
  return typeof value === "symbol" ? value.toString() : String(value);
}

function functionText(fn: unknown): string {
  try {
    return `[Function ${(fn as { name?: unknown }).name || "anonymous"}]`;
  } catch {
    return "[Function]";
  }
}

function fallbackText(value: unknown): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return "[unserializable]";
  }
}

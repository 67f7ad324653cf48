/**
 * @module engine/stable-hash
 * Canonical JSON and its sha256. Cache keys must not depend on property order or on `undefined` fields, or two equal
 * requests would miss each other's cache entries.
 */
import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth; `undefined`, functions and symbols are dropped (as `JSON.stringify`
 * drops them), and a cyclic reference becomes `"[circular]"` instead of throwing.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, new Set())) ?? "null";
}

/** sha256 (hex) of {@link canonicalJson}. */
export function stableHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function normalize(value: unknown, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" || typeof value === "bigint" ? undefined : value;
  }
  if (ancestors.has(value)) return "[circular]";
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => normalize(item, ancestors) ?? null);
    const maybeJson = value as { toJSON?: () => unknown };
    if (typeof maybeJson.toJSON === "function") return normalize(maybeJson.toJSON(), ancestors);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = normalize((value as Record<string, unknown>)[key], ancestors);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * @module trace/describe-value
 * Short, safe descriptions of untrusted values for error and warning messages. `JSON.stringify` is no good there: it
 * throws on BigInt and circular values, and a message about bad input must never itself fail on that input.
 */

/** Longest quoted string kept in a message. */
const MAX_QUOTED = 40;

/**
 * A value as a message can show it: short strings quoted, numbers and booleans as they are, BigInts with their `n`,
 * anything else by its type. Never throws.
 *
 * @example
 * describeValue(5n); // "5n"
 * describeValue({ a: 1 }); // "an object"
 */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === "string") return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
    if (typeof value === "symbol") return "a symbol";
    if (typeof value === "function") return "a function";
    return Array.isArray(value) ? "an array" : "an object";
  } catch {
    // Array.isArray throws on a revoked Proxy
    return "an unreadable value";
  }
}

/** A thrown value as `Name: message`, for wrapping a foreign error into a typed one. Never throws. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
  } catch {
    return "an unreadable error";
  }
  return describeValue(error);
}

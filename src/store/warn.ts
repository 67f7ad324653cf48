/**
 * @module store/warn
 * How the store warns: a skipped line or record is never silent. Callers pass `onWarning`; without one, warnings go to
 * `process.emitWarning` (type "TracegradWarning"), which Node prints to stderr once per message.
 */

/** Receives each warning. */
export type Warn = (warning: string) => void;

/** The default {@link Warn}: `process.emitWarning(warning, { type: "TracegradWarning" })`. */
export function defaultWarn(warning: string): void {
  process.emitWarning(warning, { type: "TracegradWarning" });
}

/** The warning for a JSON line that did not parse: a torn last line (no newline after it) or a malformed one. */
export function unparsedLineWarning(file: string, line: { readonly line: number; readonly terminated: boolean }, error: unknown): string {
  if (!line.terminated) return `${file}:${line.line}: torn last line (no newline at the end: a writer was killed while writing it); skipped.`;
  return `${file}:${line.line}: not JSON (${error instanceof Error ? error.message : String(error)}); line skipped.`;
}

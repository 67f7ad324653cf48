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

/**
 * @module errors
 * Every error tracegrad throws derives from {@link TracegradError}. Messages name the node or setting that was
 * wrong and say how to fix it, so a user can act on the message alone.
 */

const MARKER = Symbol.for("tracegrad.error");

/** Base class of all tracegrad errors. Use `TracegradError.isInstance(e)` across package copies. */
export class TracegradError extends Error {
  readonly [MARKER] = true;
  /** The node, module or setting the error is about, when there is one. */
  readonly subject: string | undefined;

  constructor(message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.subject = options.subject;
  }

  /** True for any tracegrad error, even one thrown by another copy of the package. */
  static isInstance(error: unknown): error is TracegradError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** A Variable was built with bad arguments (empty role, non-string value, broken requiresGrad invariant). */
export class InvalidVariableError extends TracegradError {}

/** A call that talks to a model was made without an engine. */
export class NoEngineError extends TracegradError {}

/** The graph handed to backward() or buildGraph() is not a DAG. */
export class GraphCycleError extends TracegradError {}

/** An engine call failed; `cause` holds the engine's own error. */
export class EngineCallError extends TracegradError {}

/** A usage budget would be exceeded by the next call; no call was made. */
export class BudgetExceededError extends TracegradError {}

/** The on-disk cache directory cannot be created or written. */
export class CacheDirError extends TracegradError {}

/** A model's reply could not be parsed; the raw reply is kept for inspection. */
export class ReplyParseError extends TracegradError {
  /** The model's last raw reply. */
  readonly reply: string;
  constructor(message: string, options: { subject?: string; reply: string; cause?: unknown }) {
    super(message, options);
    this.reply = options.reply;
  }
}

/** The optimizer's reply had no parsable update, even after one repair attempt. The value was left as it was. */
export class UpdateParseError extends ReplyParseError {}

/** Configuration is missing or inconsistent (for example no model is configured for defaultEngine()). */
export class ConfigError extends TracegradError {}

/** A trace (spans or OTLP JSON) could not be read. */
export class TraceFormatError extends TracegradError {}

/** Arguments to a public function were invalid in a way no more specific error covers. */
export class InvalidArgumentError extends TracegradError {}

/** An evaluation's reply did not contain the tagged verdict a loss was told to parse. */
export class EvaluationParseError extends ReplyParseError {}

/** An internal fault or notice of the instrumentation (unserializable, circular or oversized value, failing span
 * processor). Only ever handed to the `onError` hook of trace(); tracing never throws into the traced agent. */
export class TraceCaptureError extends TracegradError {}

/** A FakeEngine was called more often than it has scripted responses. */
export class FakeEngineExhaustedError extends TracegradError {}

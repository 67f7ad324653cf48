/**
 * @module errors
 * Every error tracegrad throws derives from {@link TracegradError}. Messages name the node or setting that was
 * wrong and say how to fix it, so a user can act on the message alone.
 *
 * Each class carries a registered symbol (`Symbol.for`) as its marker, and `SomeError.isInstance(e)` checks that
 * marker: `instanceof` fails when an app ends up with two copies of the package (a dependency pins another version),
 * and comparing `error.name` strings breaks under minifiers and accepts any look-alike.
 */

/** A class of tracegrad errors, as `isInstance` sees it: a constructor with its own marker. */
type ErrorClass<T> = (abstract new (...args: never[]) => T) & { readonly marker: symbol };

/**
 * Base class of all tracegrad errors. Use `TracegradError.isInstance(e)` (or `EngineCallError.isInstance(e)`, …)
 * rather than `instanceof` or `e.name`: it also recognises errors thrown by another copy of the package.
 *
 * A subclass declares its own marker, `static override readonly marker = Symbol.for("tracegrad.error.MyError")`,
 * to be recognised across copies; without one, its `isInstance` falls back to `instanceof`.
 *
 * @example
 * try {
 *   await loss.backward({ engine });
 * } catch (error) {
 *   if (EngineCallError.isInstance(error)) console.error(error.message, error.cause);
 *   else throw error;
 * }
 */
export class TracegradError extends Error {
  /** The registered symbol that marks instances of this class. Kept as the older package versions spelled it,
   * so errors from an older copy still pass `TracegradError.isInstance`. */
  static readonly marker: symbol = Symbol.for("tracegrad.error");
  /** The node, module or setting the error is about, when there is one. */
  readonly subject: string | undefined;

  constructor(message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.subject = options.subject;
    // an instance is also an instance of every ancestor class: mark it with each marker up the chain
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "marker")) Object.defineProperty(this, (c as unknown as { marker: symbol }).marker, { value: true });
    }
  }

  /**
   * True when `error` is an instance of the class this is called on (or of a subclass), even one thrown by another
   * copy of the package. `EngineCallError.isInstance(e)` is false for a sibling such as a NoEngineError.
   */
  static isInstance<T>(this: ErrorClass<T>, error: unknown): error is T {
    if (!Object.hasOwn(this, "marker")) return error instanceof this;
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[this.marker] === true;
  }
}

/** A Variable was built with bad arguments (empty role, non-string value, broken requiresGrad invariant). */
export class InvalidVariableError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.InvalidVariableError");
}

/** A call that talks to a model was made without an engine. */
export class NoEngineError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.NoEngineError");
}

/** The graph handed to backward() or buildGraph() is not a DAG. */
export class GraphCycleError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.GraphCycleError");
}

/** An engine call failed; `cause` holds the engine's own error. */
export class EngineCallError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.EngineCallError");
}

/** A usage budget would be exceeded by the next call; no call was made. */
export class BudgetExceededError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.BudgetExceededError");
}

/** The on-disk cache directory cannot be created or written. */
export class CacheDirError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.CacheDirError");
}

/** A model's reply could not be parsed; the raw reply is kept for inspection. */
export class ReplyParseError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.ReplyParseError");
  /** The model's last raw reply. */
  readonly reply: string;
  constructor(message: string, options: { subject?: string; reply: string; cause?: unknown }) {
    super(message, options);
    this.reply = options.reply;
  }
}

/** The optimizer's reply had no parsable update, even after one repair attempt. The value was left as it was. */
export class UpdateParseError extends ReplyParseError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.UpdateParseError");
}

/** An evaluation's reply did not contain the tagged verdict a loss was told to parse. */
export class EvaluationParseError extends ReplyParseError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.EvaluationParseError");
}

/** Configuration is missing or inconsistent (for example no model is configured for defaultEngine()). */
export class ConfigError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.ConfigError");
}

/** A trace (spans or OTLP JSON) could not be read. */
export class TraceFormatError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.TraceFormatError");
}

/** Arguments to a public function were invalid in a way no more specific error covers. */
export class InvalidArgumentError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.InvalidArgumentError");
}

/** An internal fault or notice of the instrumentation (unserializable, circular or oversized value, failing span
 * processor). Only ever handed to the `onError` hook of trace(); tracing never throws into the traced agent. */
export class TraceCaptureError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.TraceCaptureError");
}

/** A trace or feedback file or directory could not be read or written (missing, not permitted, not a file). `cause`
 * holds the file system's error. */
export class StoreAccessError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.StoreAccessError");
}

/** A feedback record, or a row of an imported annotation export, is invalid; the message names the row and field. */
export class FeedbackFormatError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.FeedbackFormatError");
}

/** A prompt name, label or version asked of a prompt registry does not exist. Never answered with a fallback. */
export class PromptNotFoundError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.PromptNotFoundError");
}

/** A prompt store could not be read or written (unreadable or invalid file, lock not obtained, remote store down). */
export class PromptStoreError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.PromptStoreError");
}

/** A gradient report does not match its schema (or is not JSON); `path` names the first offending field, e.g. "nodes.3.kind". */
export class ReportFormatError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.ReportFormatError");
  /** Where in the document the first problem is, dot-separated ("" for the document itself). */
  readonly path: string;
  constructor(message: string, options: { path: string; subject?: string; cause?: unknown }) {
    super(message, options);
    this.path = options.path;
  }
}

/** An optimize() checkpoint directory could not be read or written, or its journal is corrupted (not just torn at the end). */
export class CheckpointError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.CheckpointError");
}

/** An optimize() checkpoint directory was written with other options (dataset, parameters, metric, seed, …); it is
 * refused rather than mixed. `fields` names what differs. */
export class CheckpointMismatchError extends ConfigError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.CheckpointMismatchError");
  /** The options that differ from the journal's. */
  readonly fields: readonly string[];
  constructor(message: string, options: { fields: readonly string[]; subject?: string; cause?: unknown }) {
    super(message, options);
    this.fields = options.fields;
  }
}

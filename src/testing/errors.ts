/**
 * @module testing/errors
 * Errors the test doubles throw when a test asks more of them than it scripted. They derive from tracegrad's
 * {@link TracegradError}, so `TracegradError.isInstance` recognises them too.
 */
import { TracegradError } from "../errors.js";

/** A {@link FakeEngine} was called more often than it has scripted responses. */
export class FakeEngineExhaustedError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.FakeEngineExhaustedError");
}

/** No rule of a {@link SimulatedModel} matches a request. Add a rule for it, or end the rules with a catch-all. */
export class NoMatchingRuleError extends TracegradError {
  static override readonly marker: symbol = Symbol.for("tracegrad.error.NoMatchingRuleError");
}

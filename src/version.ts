/**
 * @module version
 * The package version, in one place: the instrumentation scope version of every tracer tracegrad creates.
 * A test checks it against package.json.
 */

/** tracegrad's version. */
export const VERSION = "0.1.0";

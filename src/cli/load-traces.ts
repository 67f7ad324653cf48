/**
 * @module cli/load-traces
 * The traces at a path (an OTLP JSON or JSON-lines file, or a directory of them), with the store's warnings (torn or
 * malformed lines) shown on stderr rather than dropped.
 */
import { readTraces } from "../store/read-traces.js";
import type { StoredTrace } from "../store/stored-trace.js";

/**
 * Reads every trace at `path` in first-seen order; each warning is printed as `warning: …` on stderr.
 *
 * @throws StoreAccessError when the path cannot be read; TraceFormatError naming the bad field.
 */
export async function loadTraces(path: string): Promise<StoredTrace[]> {
  return readTraces(path, { onWarning: (w) => void process.stderr.write(`warning: ${w}\n`) });
}

/**
 * @module trace/select-output
 * The `output` option of trace(): which part of what the agent returned is the run's output for the graph (and so
 * what a loss judges). A LangGraph agent returns its whole state; the answer is its last message.
 */
import { TraceCaptureError } from "../errors.js";
import { reportFault, type FaultSink } from "./fault-sink.js";

/** Picks the run's output text from what the agent returned. */
export type OutputSelector<T> = (result: T) => string;

/**
 * The selected text, or undefined when there is no selector or it failed — a throw or a non-string is reported to
 * `sink` as a TraceCaptureError naming the option, and the default output is used (never thrown into the agent).
 *
 * @example
 * selectOutput({ messages: [{ content: "Hi" }] }, (s) => s.messages.at(-1)!.content, capture); // "Hi"
 */
export function selectOutput<T>(result: T, selector: OutputSelector<T> | undefined, sink: FaultSink): string | undefined {
  if (selector === undefined) return undefined;
  let selected: unknown;
  try {
    selected = selector(result);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    reportFault(sink, new TraceCaptureError(`trace(fn, { output }): the output selector threw (${reason}); the run's whole return value is the graph's output instead — make the selector handle this result.`, { subject: "output", cause: error }), "output selector");
    return undefined;
  }
  if (typeof selected === "string") return selected;
  reportFault(
    sink,
    new TraceCaptureError(
      `trace(fn, { output }): the output selector returned ${selected === null ? "null" : Array.isArray(selected) ? "an array" : typeof selected === "object" || typeof selected === "undefined" ? `an ${typeof selected}` : `a ${typeof selected}`}, not a string; the run's whole return value is the graph's output instead — return the text, e.g. (state) => String(state.messages.at(-1)?.content).`,
      { subject: "output" },
    ),
    "output selector",
  );
  return undefined;
}

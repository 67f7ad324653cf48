/**
 * @module trace/read-calls
 * Spans of any dialect → {@link ModuleCall} records. Each span goes to the first reader that recognises it, most
 * specific first (ours, then OpenInference, LangSmith, Vercel, GenAI current, GenAI legacy); spans nobody recognises
 * are kept as opaque calls with a warning. Nothing here throws on bad data: problems become warnings naming the span.
 */
import { OI } from "./attributes.js";
import { callBase, makeCall, str, type CallBase, type DialectReader } from "./dialects/common.js";
import { genaiReader } from "./dialects/genai.js";
import { genaiLegacyReader } from "./dialects/genai-legacy.js";
import { langsmithReader } from "./dialects/langsmith.js";
import { openinferenceReader } from "./dialects/openinference.js";
import { tracegradReader } from "./dialects/tracegrad.js";
import { vercelReader } from "./dialects/vercel.js";
import { IdTable } from "./id-map.js";
import type { ModuleCall } from "./module-call.js";
import type { SpanLike } from "./span-like.js";

const READERS: readonly DialectReader[] = [tracegradReader, openinferenceReader, langsmithReader, vercelReader, genaiReader, genaiLegacyReader];

/** Options of {@link readCalls}. */
export interface ReadCallsOptions {
  /** Receives each warning as it is found (they are also returned). */
  readonly onWarning?: (warning: string) => void;
}

/**
 * Reads spans (SDK `ReadableSpan`s or {@link fromOtlpJson} output) into calls, in start order.
 *
 * @example
 * const { calls, warnings } = readCalls(fromOtlpJson(json));
 * for (const c of calls) console.log(c.dialect, c.kind, c.name, c.output.slice(0, 40));
 */
export function readCalls(spans: readonly SpanLike[], options: ReadCallsOptions = {}): { calls: ModuleCall[]; warnings: string[] } {
  const warnings: string[] = [];
  const calls: ModuleCall[] = [];
  // one closure for all spans; the label is only rendered when there is something to say
  let index = 0;
  let base: CallBase | undefined;
  const warn = (problem: string) => {
    const w = `${base ? `span "${base.name}" (id ${base.spanId})` : `span #${index}`} ${problem}`;
    warnings.push(w);
    options.onWarning?.(w);
  };
  for (; index < spans.length; index++) {
    const span = spans[index]!;
    base = undefined;
    try {
      base = callBase(span);
      const reader = readerOf(span);
      calls.push(reader ? makeCall(base, reader.dialect, reader.read(span, base, warn)) : opaqueCall(span, base, warn));
    } catch (error) {
      warn(`could not be read (${error instanceof Error ? error.message : String(error)}); skipped`);
    }
  }
  sortByStart(calls);
  return { calls, warnings };
}

/**
 * Start order. SDK start times have millisecond precision (Date.now()), so a parent and its first child often start
 * "together": ties go to the shallower call (the ancestor), then keep their given order (the sort is stable). Depths
 * are worked out only once a tie is met: spans from a precise clock rarely tie, and a span-id map over 100k calls is
 * the costliest part of the sort.
 */
function sortByStart(calls: ModuleCall[]): void {
  // the calls as given: the sort may reorder `calls` before the first tie (and repeated ids keep the last parent)
  const given = calls.slice();
  let depth: ((id: string) => number) | undefined;
  calls.sort((a, b) => a.startTime - b.startTime || (depth ??= depthsIn(given))(a.spanId) - depth(b.spanId));
}

/** Depth of each call in the call tree, by span id, memoized: one walk per chain, so a 10k-deep chain stays linear. */
function depthsIn(calls: readonly ModuleCall[]): (id: string) => number {
  const parentOf = new IdTable<string | undefined>(calls.length);
  for (const c of calls) parentOf.set(c.spanId, c.parentSpanId);
  const depths = new IdTable<number>(calls.length);
  return (id) => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    const chain: string[] = [];
    // a Set beside the chain: a cycle check by chain.includes() was quadratic in the depth of a deep call tree
    const onChain = new Set<string>();
    let cur: string | undefined = id;
    let base = 0;
    while (cur !== undefined && parentOf.has(cur) && !onChain.has(cur)) {
      const d = depths.get(cur);
      if (d !== undefined) {
        base = d + 1;
        break;
      }
      chain.push(cur);
      onChain.add(cur);
      cur = parentOf.get(cur);
    }
    for (let i = chain.length - 1; i >= 0; i--) depths.set(chain[i]!, base + (chain.length - 1 - i));
    return depths.get(id)!;
  };
}

/** The first reader that recognises the span (a loop: `READERS.find` made a closure per span). */
function readerOf(span: SpanLike): DialectReader | undefined {
  // `span.attributes` read for each reader, as always: a getter on a hand-made span sees the same reads
  for (const reader of READERS) if (reader.matches(span.attributes)) return reader;
  return undefined;
}

function opaqueCall(span: SpanLike, base: CallBase, warn: (problem: string) => void): ModuleCall {
  warn("has no known GenAI attributes; kept as an opaque call");
  return makeCall(base, "unknown", { kind: "unknown", input: str(span.attributes, OI.inputValue) ?? "", output: str(span.attributes, OI.outputValue) ?? "" });
}

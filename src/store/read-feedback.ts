/**
 * @module store/read-feedback
 * Reading feedback back: the records of a feedback file (as {@link recordFeedback} writes them) and, given traces,
 * the `gen_ai.evaluation.result` events on their spans ({@link feedbackFromSpans}). A malformed or torn line is
 * skipped with a warning naming `file:line`; a missing file is a StoreAccessError (a wrong path is not "no feedback").
 */
import { accessError } from "./append-file.js";
import { describeIssues } from "./feedback-issues.js";
import { feedbackFromSpans } from "./feedback-from-spans.js";
import { FeedbackRecordSchema, type FeedbackRecord } from "./feedback-record.js";
import { scanLines } from "./line-scanner.js";
import type { StoredTrace } from "./stored-trace.js";
import { listTraceFiles } from "./trace-files.js";
import { defaultWarn, unparsedLineWarning, type Warn } from "./warn.js";

/** Options of {@link readFeedback}. */
export interface ReadFeedbackOptions {
  /** Traces whose spans' `gen_ai.evaluation.result` events are read as feedback too (after the file's records). */
  readonly traces?: readonly StoredTrace[];
  /** Receives each warning (a skipped line or event). Default: `process.emitWarning`. */
  readonly onWarning?: (warning: string) => void;
}

/**
 * Feedback records from a feedback file (or a directory of them), plus the evaluation events on `traces` when given.
 * A record whose `id` appears again is replaced by the later one (an upsert), keeping its first position.
 *
 * @example
 * const feedback = await readFeedback("feedback.jsonl");
 * const all = await readFeedback("feedback.jsonl", { traces: await readTraces("traces/") });
 * const fromEventsOnly = await readFeedback({ traces });
 * @throws StoreAccessError when the path cannot be read.
 */
export async function readFeedback(path: string, options?: ReadFeedbackOptions): Promise<FeedbackRecord[]>;
/** Feedback from the evaluation events on `traces` (and from `path`, when given). */
export async function readFeedback(source: { readonly path?: string; readonly traces?: readonly StoredTrace[] }, options?: Omit<ReadFeedbackOptions, "traces">): Promise<FeedbackRecord[]>;
export async function readFeedback(source: string | { readonly path?: string; readonly traces?: readonly StoredTrace[] }, options: ReadFeedbackOptions = {}): Promise<FeedbackRecord[]> {
  const warn: Warn = options.onWarning ?? defaultWarn;
  const path = typeof source === "string" ? source : source?.path;
  const traces = typeof source === "string" ? options.traces : source?.traces;
  const byId = new Map<string, FeedbackRecord>();
  if (path !== undefined) {
    for (const file of await listTraceFiles(path, "readFeedback")) {
      try {
        await readFile(file, byId, warn);
      } catch (error) {
        throw accessError(file, "readFeedback", "read", error);
      }
    }
  }
  if (traces) for (const record of feedbackFromSpans(traces, warn)) byId.set(record.id, record);
  return [...byId.values()];
}

async function readFile(file: string, byId: Map<string, FeedbackRecord>, warn: Warn): Promise<void> {
  for await (const l of scanLines(file)) {
    if (l.text.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(l.text);
    } catch (error) {
      warn(unparsedLineWarning(file, l, error));
      continue;
    }
    const parsed = FeedbackRecordSchema.safeParse(raw);
    if (!parsed.success) {
      warn(`${file}:${l.line}: not a feedback record (${describeIssues(parsed.error)}); line skipped.`);
      continue;
    }
    byId.set(parsed.data.id, parsed.data);
  }
}

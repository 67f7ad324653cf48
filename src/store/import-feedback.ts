/**
 * @module store/import-feedback
 * Feedback from the annotation exports of Langfuse (scores), LangSmith (feedback) and Phoenix (span annotations), as
 * feedback records. Each importer's module documents its field mapping as a table. Policy, the same for all three:
 * a row that breaks its vendor's shape (a missing name, a score that is not a number, an unreadable date) is a
 * FeedbackFormatError naming the file, the row and the field — an import never drops feedback silently; a row that is
 * valid but not about a trace (a Langfuse session or dataset-run score) is skipped with a warning.
 */
import { InvalidArgumentError } from "../errors.js";
import type { FeedbackRecord } from "./feedback-record.js";
import { importLangfuse } from "./importers/langfuse.js";
import { importLangSmith } from "./importers/langsmith.js";
import { importPhoenix } from "./importers/phoenix.js";
import type { StoredTrace } from "./stored-trace.js";
import { defaultWarn } from "./warn.js";

/** Options of {@link importFeedback}. */
export interface ImportFeedbackOptions {
  /** Whose export the file is. */
  readonly from: "langfuse" | "langsmith" | "phoenix";
  /** Stored traces, to find the trace of a Phoenix annotation that names only its span. */
  readonly traces?: readonly StoredTrace[];
  /** Receives each warning (a skipped row). Default: `process.emitWarning`. */
  readonly onWarning?: (warning: string) => void;
  /** The time given to rows that carry none (Phoenix dataframe exports). Default: now. */
  readonly now?: () => Date;
}

/**
 * Reads an annotation export (a JSON array of rows, the vendor API's `{ data: [...] }`, or JSON lines) as feedback
 * records. Nothing is written: pass the records to {@link recordFeedback} to keep them beside your own.
 *
 * @example
 * const scores = await importFeedback("langfuse-scores.json", { from: "langfuse" });
 * for (const r of scores) await recordFeedback(r, { path: "feedback.jsonl" });
 * @throws FeedbackFormatError naming the row and field of the first invalid row.
 * @throws StoreAccessError when the file cannot be read.
 */
export async function importFeedback(file: string, options: ImportFeedbackOptions): Promise<FeedbackRecord[]> {
  const warn = options?.onWarning ?? defaultWarn;
  switch (options?.from) {
    case "langfuse":
      return importLangfuse(file, warn);
    case "langsmith":
      return importLangSmith(file);
    case "phoenix":
      return importPhoenix(file, options.traces, (options.now ?? (() => new Date()))());
    default:
      throw new InvalidArgumentError(`importFeedback(file, { from }): from must be "langfuse", "langsmith" or "phoenix", got ${JSON.stringify(options?.from)}.`);
  }
}

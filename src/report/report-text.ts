/**
 * @module report/report-text
 * How the report keeps texts (whole when short, hash and preview when long), parameter versions, and word diffs.
 */
import { createHash } from "node:crypto";
import { diffWordsWithSpace } from "diff";
import { shortHash } from "../trace/safe-text.js";
import type { DiffPart, ReportText } from "./report-schema.js";

/** Texts up to this many characters are kept whole in a report; longer ones as sha256, length and a preview. */
export const REPORT_TEXT_LIMIT = 4000;
/** How many characters a preview of a long text keeps. */
const PREVIEW_CHARS = 600;
/** Past this many characters on either side a diff is not computed word by word (it would be slow and unreadable). */
const DIFF_LIMIT = 20_000;

/** A text as the report keeps it (see {@link REPORT_TEXT_LIMIT}). */
export function reportText(value: string, limit = REPORT_TEXT_LIMIT): ReportText {
  const sha256 = createHash("sha256").update(value).digest("hex");
  return value.length <= limit
    ? { sha256, chars: value.length, text: value }
    : { sha256, chars: value.length, preview: `${value.slice(0, PREVIEW_CHARS)}…` };
}

/** The content version of a parameter value: the same short hash its spans carry (`tracegrad.param.<id>.version`). */
export function versionOf(value: string): string {
  return shortHash(value);
}

/** A word diff from `before` to `after`; whole-text removal and addition when either side is very long. */
export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return before === "" ? [] : [{ op: "=", text: before }];
  if (before.length > DIFF_LIMIT || after.length > DIFF_LIMIT) {
    return [
      { op: "-", text: before },
      { op: "+", text: after },
    ];
  }
  const parts = diffWordsWithSpace(before, after).map((c): DiffPart => ({ op: c.added ? "+" : c.removed ? "-" : "=", text: c.value }));
  return parts.map((p, i) => (p.op === "=" ? { op: "=", text: elide(p.text, i > 0, i < parts.length - 1) } : p));
}

/** Unchanged text kept around a change: enough to see where the change is, not the whole prompt again. */
const CONTEXT_CHARS = 160;

function elide(text: string, keepHead: boolean, keepTail: boolean): string {
  if (text.length <= CONTEXT_CHARS * 2 + 20) return text;
  const head = keepHead ? text.slice(0, CONTEXT_CHARS) : "";
  const tail = keepTail ? text.slice(-CONTEXT_CHARS) : "";
  return `${head}[… ${text.length - head.length - tail.length} unchanged characters …]${tail}`;
}

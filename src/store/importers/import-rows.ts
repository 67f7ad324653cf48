/**
 * @module store/importers/import-rows
 * What every annotation importer shares: reading an export file into rows (a JSON array, a JSON object with a `data`
 * array — the vendors' list APIs — or JSON lines), and turning a row's problems into errors that name the row and field.
 */
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { FeedbackFormatError } from "../../errors.js";
import { accessError } from "../append-file.js";
import { FeedbackRecordSchema, type FeedbackRecord } from "../feedback-record.js";

/** One row of an export: its 1-based number (the line, for JSON lines; the element, for JSON) and its value. */
export interface Row {
  readonly row: number;
  readonly value: unknown;
}

/**
 * The rows of `file`.
 *
 * @throws StoreAccessError when the file cannot be read; FeedbackFormatError when it is neither JSON nor JSON lines.
 */
export async function readRows(file: string, from: string): Promise<Row[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw accessError(file, `importFeedback (${from})`, "read", error);
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return linesOf(text, file, from);
  }
  const list = Array.isArray(whole) ? whole : (whole as { data?: unknown })?.data;
  // JSON lines holding a single row parse as one JSON object
  if (!Array.isArray(list) && text.trim().split("\n").length === 1) return [{ row: 1, value: whole }];
  if (!Array.isArray(list)) {
    throw new FeedbackFormatError(`importFeedback (${from}): ${file} is a JSON object without a "data" array; expected an array of rows, { "data": [...] } as the ${from} API returns it, or JSON lines.`, { subject: file });
  }
  return list.map((value, i) => ({ row: i + 1, value }));
}

function linesOf(text: string, file: string, from: string): Row[] {
  const rows: Row[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      rows.push({ row: i + 1, value: JSON.parse(line) });
    } catch (error) {
      throw new FeedbackFormatError(`importFeedback (${from}): ${file} row ${i + 1} is not JSON (${(error as Error).message}); fix or remove the line.`, { subject: `${file}:${i + 1}` });
    }
  });
  return rows;
}

/** The row parsed by `schema`, or a FeedbackFormatError naming the row and each bad field. */
export function parseRow<T>(schema: z.ZodType<T>, row: Row, file: string, from: string): T {
  const parsed = schema.safeParse(row.value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => `field "${i.path.join(".") || "(row)"}": ${i.message}`).join("; ");
  throw rowError(file, row, from, fields);
}

/** A FeedbackFormatError for `row`. */
export function rowError(file: string, row: Row, from: string, problem: string): FeedbackFormatError {
  return new FeedbackFormatError(`importFeedback (${from}): ${file} row ${row.row}: ${problem}.`, { subject: `${file}:${row.row}` });
}

/** The finished record, validated; a row that maps to no usable feedback is an error naming it. */
export function toRecord(fields: Record<string, unknown>, row: Row, file: string, from: string): FeedbackRecord {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const parsed = FeedbackRecordSchema.safeParse(clean);
  if (parsed.success) return parsed.data;
  throw rowError(file, row, from, `maps to no valid feedback (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
}

/** A timestamp as ISO 8601 UTC; a zone-less one (LangSmith writes these) is read as UTC. Undefined when unreadable. */
export function isoTime(value: string | undefined | null): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

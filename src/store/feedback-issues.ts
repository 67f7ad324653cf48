/**
 * @module store/feedback-issues
 * zod issues as one readable sentence naming each field, for feedback errors and warnings.
 */
import type { z } from "zod";

/** `score: expected number, received string; name: required` — every issue, by field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "record"}: ${i.message}`).join("; ");
}

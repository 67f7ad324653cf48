/**
 * @module testing/simulated-tags
 * How the simulated model reads tracegrad's prompts and writes feedback. It parses tags only (the names in
 * `prompts/tags.ts` and the update tags), never the prose around them, so rewording a template does not break it.
 * Feedback quotes facts in one fixed form, `deciding fact …"F"`, which is how a fact survives several backward hops.
 */
import { extractAllTagged } from "../prompts/tags.js";
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "../prompts/update-tags.js";

/** The contents of every complete `<TAG>…</TAG>` block, in order, trimmed. */
export function readBlocks(text: string | undefined, tag: string): string[] {
  return text ? extractAllTagged(text, tag) : [];
}

/** The first complete `<TAG>…</TAG>` block, or undefined. */
export function readBlock(text: string | undefined, tag: string): string | undefined {
  return readBlocks(text, tag)[0];
}

/** Whether `text` has a complete `<TAG>…</TAG>` block. */
export function hasBlock(text: string | undefined, tag: string): boolean {
  return readBlocks(text, tag).length > 0;
}

/**
 * The tags an optimizer request asks the reply to be wrapped in: `<IMPROVED_VARIABLE>` when mentioned, else a custom
 * pair named as "between <X> and </X>" (the optimizer system prompt names the caller's tags). Undefined: not an
 * optimizer request.
 */
export function readUpdateTags(text: string | undefined): UpdateTags | undefined {
  if (!text) return undefined;
  if (text.includes(DEFAULT_UPDATE_TAGS.start)) return DEFAULT_UPDATE_TAGS;
  const custom = /between\s+<([A-Za-z_][\w-]*)>\s+and\s+<\/\1>/.exec(text);
  return custom ? { start: `<${custom[1]}>`, end: `</${custom[1]}>` } : undefined;
}

const FACT_PATTERN = /deciding fact[^"\u201C\n]{0,60}["\u201C]([^"\u201D]+)["\u201D]/gi;
const CORRECT_PATTERN = /correct answer is\s*["\u201C]([^"\u201D]+)["\u201D]/gi;

/** The facts quoted as `deciding fact …"F"`, distinct, in order of first appearance. */
export function extractFacts(text: string | undefined): string[] {
  if (!text) return [];
  return distinct([...text.matchAll(FACT_PATTERN)].map((m) => m[1]!.trim()));
}

/** The answers quoted as `correct answer is "Y"`, distinct, in order. */
export function extractCorrectAnswers(text: string | undefined): string[] {
  if (!text) return [];
  return distinct([...text.matchAll(CORRECT_PATTERN)].map((m) => m[1]!.trim()));
}

/** How feedback names a missing fact. Kept in one place so every role writes what {@link extractFacts} reads. */
export function missingFactSentence(fact: string): string {
  return `The deciding fact is missing: ${quoted(fact)}`;
}

/** `"text"`, followed by a period unless the text already ends a sentence. */
export function quoted(text: string): string {
  return /[.!?]$/.test(text) ? `"${text}"` : `"${text}".`;
}

/** The reply of a role that has nothing actionable to say. */
export const NO_CHANGES = "No changes needed.";

function distinct(items: string[]): string[] {
  return [...new Set(items)];
}

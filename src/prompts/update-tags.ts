/**
 * @module prompts/update-tags
 * The tags the optimizer's reply must wrap the improved value in, beside the parser that reads them.
 */
import { textBetween } from "./tags.js";

/** Start and end markers of the improved value in the optimizer's reply. */
export interface UpdateTags {
  readonly start: string;
  readonly end: string;
}

/** `<IMPROVED_VARIABLE>` … `</IMPROVED_VARIABLE>`. */
export const DEFAULT_UPDATE_TAGS: UpdateTags = Object.freeze({ start: "<IMPROVED_VARIABLE>", end: "</IMPROVED_VARIABLE>" });

/**
 * The improved value in an optimizer reply: the text after the FIRST start tag up to the LAST end tag, trimmed.
 * Returns undefined when either tag is missing. Using the last end tag means an improved value that itself contains
 * the end tag (a prompt about tags, or a forged tag) is kept whole instead of being cut short.
 *
 * @example
 * parseUpdate("ok <IMPROVED_VARIABLE>new text</IMPROVED_VARIABLE>"); // "new text"
 */
export function parseUpdate(reply: string, tags: UpdateTags = DEFAULT_UPDATE_TAGS): string | undefined {
  return textBetween(reply, tags.start, tags.end);
}

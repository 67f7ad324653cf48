/**
 * @module prompts/update-tags
 * The tags the optimizer's reply must wrap the improved value in, beside the parser that reads them. This parser has
 * its own rule, stricter than `extractTagged`'s: a prompt is written by us, but a reply is written by a model that may
 * quote the tags, echo the format instruction, offer alternatives or nest blocks — and whatever it returns is written
 * into the user's prompt.
 */

/** Start and end markers of the improved value in the optimizer's reply. */
export interface UpdateTags {
  readonly start: string;
  readonly end: string;
}

/** `<IMPROVED_VARIABLE>` … `</IMPROVED_VARIABLE>`. */
export const DEFAULT_UPDATE_TAGS: UpdateTags = Object.freeze({ start: "<IMPROVED_VARIABLE>", end: "</IMPROVED_VARIABLE>" });

/**
 * Why a reply has no usable value: `"missing"` — no start tag followed by an end tag; `"empty"` — the block holds only
 * whitespace; `"ambiguous"` — the tags are nested or repeated around the block, so it may be part of an outer value
 * or carry a stray tag. See {@link readUpdate} for the exact rule.
 */
export type UpdateProblem = "missing" | "empty" | "ambiguous";

/** The outcome of {@link readUpdate}: the value, or why there is none. */
export type UpdateReading = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: UpdateProblem };

/**
 * Reads the improved value from an optimizer reply. The rule, on the reply's tags scanned left to right (at each
 * position the longer tag is tried first, so custom tags may contain each other):
 *
 * 1. The block ends at the LAST end tag and starts at the nearest start tag before it; no such pair → `"missing"`.
 *    So the value can contain a literal (or forged) end tag, which is kept whole, but never a start tag; and of
 *    several blocks (an echoed format example, quoted tags, alternatives) the last one wins.
 * 2. Before the block, every start tag must be closed by an end tag before the next start tag; otherwise →
 *    `"ambiguous"`. In `<T>a <T>b</T> c</T>` the block `b</T> c` might be a fragment of one outer value, so
 *    neither reading is safe to write.
 * 3. The block's text, trimmed, is the value; if that is empty → `"empty"` (writing it would wipe the prompt).
 * 4. An end tag inside the value is kept only with text on both sides of it: a value that starts or ends with the end
 *    tag (`<T>new</T></T>`, a doubled end tag, or `<T></T>new</T>`) → `"ambiguous"`, since the tag is as likely
 *    stray as literal.
 *
 * @example
 * readUpdate("Between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>:\n<IMPROVED_VARIABLE>new</IMPROVED_VARIABLE>");
 * // { ok: true, value: "new" }
 */
export function readUpdate(reply: string, tags: UpdateTags = DEFAULT_UPDATE_TAGS): UpdateReading {
  const found = scanTags(reply, tags);
  const last = found.findLastIndex((t) => t.kind === "end");
  const first = last < 0 ? -1 : found.findLastIndex((t, i) => i < last && t.kind === "start");
  if (first < 0) return { ok: false, problem: "missing" };
  let open = false;
  for (const t of found.slice(0, first)) {
    if (t.kind === "start" && open) return { ok: false, problem: "ambiguous" };
    open = t.kind === "start";
  }
  if (open) return { ok: false, problem: "ambiguous" };
  const value = reply.slice(found[first]!.at + tags.start.length, found[last]!.at).trim();
  if (value === "") return { ok: false, problem: "empty" };
  if (value.startsWith(tags.end) || value.endsWith(tags.end)) return { ok: false, problem: "ambiguous" };
  return { ok: true, value };
}

/**
 * The improved value in an optimizer reply by the rule of {@link readUpdate}, or undefined when there is none
 * (missing, empty or ambiguous).
 *
 * @example
 * parseUpdate("ok <IMPROVED_VARIABLE>new text</IMPROVED_VARIABLE>"); // "new text"
 */
export function parseUpdate(reply: string, tags: UpdateTags = DEFAULT_UPDATE_TAGS): string | undefined {
  const reading = readUpdate(reply, tags);
  return reading.ok ? reading.value : undefined;
}

/** What was wrong with a reply, as a clause for error messages and the repair request. */
export function describeUpdateProblem(problem: UpdateProblem, tags: UpdateTags = DEFAULT_UPDATE_TAGS): string {
  switch (problem) {
    case "missing":
      return `the reply had no text between ${tags.start} and ${tags.end}`;
    case "empty":
      return `the text between ${tags.start} and ${tags.end} was empty`;
    case "ambiguous":
      return `the reply nested or repeated ${tags.start} and ${tags.end}, so which text is the improved value was ambiguous`;
  }
}

interface FoundTag {
  readonly kind: "start" | "end";
  readonly at: number;
}

function scanTags(text: string, tags: UpdateTags): FoundTag[] {
  // Longer tag first, so "####" is not read as "###" followed by "#".
  const order = tags.end.length >= tags.start.length ? (["end", "start"] as const) : (["start", "end"] as const);
  const found: FoundTag[] = [];
  let at = 0;
  while (at < text.length) {
    const kind = order.find((k) => tags[k] !== "" && text.startsWith(tags[k], at));
    if (kind === undefined) {
      at++;
      continue;
    }
    found.push({ kind, at });
    at += tags[kind].length;
  }
  return found;
}

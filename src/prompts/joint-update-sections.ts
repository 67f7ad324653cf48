/**
 * @module prompts/joint-update-sections
 * How one joint optimizer reply carries the improved values of several variables: one section per variable, numbered
 * as the request numbers them, `<IMPROVED_VARIABLE id="2">…</IMPROVED_VARIABLE>` (the tag name follows the caller's
 * update tags). The writer and the parser sit side by side.
 */
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "./update-tags.js";

/**
 * The section tag name of a joint reply, taken from update tags of the form `<NAME>` … `</NAME>`; undefined for tags
 * of any other form (a section needs an `id` attribute inside its opening tag).
 *
 * @example
 * jointSectionTag({ start: "<NEW>", end: "</NEW>" }); // "NEW"
 */
export function jointSectionTag(tags: UpdateTags = DEFAULT_UPDATE_TAGS): string | undefined {
  const name = /^<([A-Za-z_][\w-]*)>$/.exec(tags.start)?.[1];
  return name !== undefined && tags.end === `</${name}>` ? name : undefined;
}

/**
 * One section as the request shows it (and as the reply must write it).
 *
 * @example
 * renderJointSection("IMPROVED_VARIABLE", 2, "the new text"); // '<IMPROVED_VARIABLE id="2">\nthe new text\n</IMPROVED_VARIABLE>'
 */
export function renderJointSection(tag: string, id: number, body: string): string {
  return `<${tag} id="${id}">\n${body}\n</${tag}>`;
}

/**
 * Reads the sections of a joint reply: section id → its text, trimmed. Lenient where a model is sloppy, strict where
 * it matters, as the multi-variable backward reply is read (prompts/feedback-sections):
 * - ids outside 1…`count` are ignored; an empty section is left out, like a missing one (the caller asks again);
 * - a section ends at its closing tag, or at the next opening tag, or at the end of the reply (a forgotten close);
 * - when an id occurs twice, the LAST non-empty section wins, so an echoed format example before the answer is dropped;
 * - the attribute may use single, double or no quotes, and the tag any case.
 *
 * @example
 * parseJointSections('<IMPROVED_VARIABLE id="1">Be brief.</IMPROVED_VARIABLE>', "IMPROVED_VARIABLE", 2); // Map { 1 => "Be brief." }
 */
export function parseJointSections(reply: string, tag: string, count: number): Map<number, string> {
  // the name is a word with hyphens (jointSectionTag), so it needs no escaping
  const opens = [...reply.matchAll(new RegExp(`<${tag}\\s+id\\s*=\\s*["']?\\s*(\\d+)\\s*["']?\\s*>`, "gi"))];
  const close = new RegExp(`</${tag}\\s*>`, "i");
  const sections = new Map<number, string>();
  for (const [i, open] of opens.entries()) {
    const id = Number(open[1]);
    if (!(id >= 1 && id <= count)) continue;
    const rest = reply.slice(open.index + open[0].length, opens[i + 1]?.index ?? reply.length);
    const end = close.exec(rest);
    const text = (end ? rest.slice(0, end.index) : rest).trim();
    if (text !== "") sections.set(id, text);
  }
  return sections;
}

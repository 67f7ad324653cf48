/**
 * @module prompts/feedback-sections
 * How one backward reply carries feedback for several variables: one section per variable, numbered as the prompt
 * numbers them, `<FEEDBACK_FOR id="2">…</FEEDBACK_FOR>`. The writer and the parser sit side by side.
 */

/** The section tag of a multi-variable backward reply; each section carries an `id` attribute (1-based). */
export const FEEDBACK_FOR_TAG = "FEEDBACK_FOR";

/**
 * One section as the prompt shows it (and as the reply must write it).
 *
 * @example
 * renderFeedbackSection(2, "feedback on the question"); // '<FEEDBACK_FOR id="2">\nfeedback on the question\n</FEEDBACK_FOR>'
 */
export function renderFeedbackSection(id: number, body: string): string {
  return `<${FEEDBACK_FOR_TAG} id="${id}">\n${body}\n</${FEEDBACK_FOR_TAG}>`;
}

const OPEN = new RegExp(`<${FEEDBACK_FOR_TAG}\\s+id\\s*=\\s*["']?\\s*(\\d+)\\s*["']?\\s*>`, "gi");
const CLOSE = new RegExp(`</${FEEDBACK_FOR_TAG}\\s*>`, "i");

/**
 * Reads the sections of a multi-variable backward reply: section id → its text, trimmed (possibly empty). Lenient
 * where a model is sloppy, strict where it matters:
 * - ids outside 1…`count` are ignored; a section absent from the map is MISSING (ask again), unlike an empty one;
 * - a section ends at its closing tag, or at the next opening tag, or at the end of the reply (a forgotten close);
 * - when an id occurs twice, the LAST section wins, so an echoed format example before the real answer is dropped;
 * - the attribute may use single, double or no quotes, and the tag any case.
 *
 * @example
 * parseFeedbackSections('<FEEDBACK_FOR id="1">Name units.</FEEDBACK_FOR>', 2); // Map { 1 => "Name units." }
 */
export function parseFeedbackSections(reply: string, count: number): Map<number, string> {
  const opens = [...reply.matchAll(OPEN)];
  const sections = new Map<number, string>();
  opens.forEach((open, i) => {
    const id = Number(open[1]);
    if (!(id >= 1 && id <= count)) return;
    const from = open.index + open[0].length;
    const until = i + 1 < opens.length ? opens[i + 1]!.index : reply.length;
    const rest = reply.slice(from, until);
    const close = CLOSE.exec(rest);
    sections.set(id, (close ? rest.slice(0, close.index) : rest).trim());
  });
  return sections;
}

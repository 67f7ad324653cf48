/**
 * @module report/html/escape
 * Text into markup safely: attribute/element text, and JSON inside a `<script>` element.
 */

/** Escapes text for HTML/SVG element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a `<script type="application/json">` element: every `<` is written `\u003c`, so no value (a prompt that
 * contains `</script>` or `<!--`) can end the element early; JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Cuts `text` to `max` characters with an ellipsis, whitespace collapsed. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A score for display: integers as they are, else at most three decimals. */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined) return "–";
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

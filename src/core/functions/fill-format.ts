/**
 * @module core/functions/fill-format
 * Fills a `{field}` template in one pass, so a value that itself contains `{field}` is never substituted again.
 */

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `{name}` with `values[name]` for names in `values`; other braces are kept as written, and `{{` / `}}`
 * become `{` / `}` (as in Python's `str.format`, so TextGrad templates carry over).
 *
 * @example
 * fillFormat("Question: {question}", { question: "2+2?" }); // "Question: 2+2?"
 */
export function fillFormat(format: string, values: Readonly<Record<string, string>>): string {
  return format.replace(PLACEHOLDER, (match: string, name: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    return name !== undefined && Object.hasOwn(values, name) ? values[name]! : match;
  });
}

/**
 * @module optim/optimize/example-text
 * What of an example (any shape) the overfitting guard looks for in proposals: its answer and its input text.
 * A string example is all input. An object's answer is its first string or number field named answer, output,
 * label, target, expected or solution; every other string field (nested ones too) is input.
 */

/** Field names read as an example's answer, in order of preference. */
export const ANSWER_FIELDS: readonly string[] = ["answer", "output", "label", "target", "expected", "solution"];

/** An example's answer (if it has one) and input text. */
export interface ExampleText {
  readonly answer?: string;
  readonly input: string;
}

/** Reads `example` as described in the module comment. */
export function exampleText(example: unknown): ExampleText {
  if (typeof example === "string") return { input: example };
  if (typeof example !== "object" || example === null) return { input: example === undefined ? "" : String(example) };
  const record = example as Record<string, unknown>;
  const key = ANSWER_FIELDS.find((k) => typeof record[k] === "string" || typeof record[k] === "number");
  const inputs: string[] = [];
  collectStrings(Object.entries(record).filter(([k]) => k !== key).map(([, v]) => v), inputs, 0);
  return { ...(key === undefined ? {} : { answer: String(record[key]) }), input: inputs.join("\n") };
}

function collectStrings(values: readonly unknown[], into: string[], depth: number): void {
  if (depth > 4) return;
  for (const v of values) {
    if (typeof v === "string") into.push(v);
    else if (typeof v === "object" && v !== null) collectStrings(Array.isArray(v) ? v : Object.values(v), into, depth + 1);
  }
}

/**
 * @module prompts/evaluation
 * Forward-time texts of the evaluation losses that build their own prompt (multi-field evaluations).
 */

/** Default system prompt of `MultiFieldEvaluation`. */
export function renderMultiFieldSystemPrompt(): string {
  return "You are an evaluator. You compare the fields you are given and judge them as the instruction asks.";
}

/**
 * The user message of a multi-field evaluation: the instruction, then each field under its role, in order.
 *
 * @example
 * renderMultiFieldPrompt({ instruction: "Is the prediction right?", fields: [{ role: "question", value: "2+2?" }] });
 */
export function renderMultiFieldPrompt(input: {
  readonly instruction: string;
  readonly fields: ReadonlyArray<{ readonly role: string; readonly value: string }>;
}): string {
  return [input.instruction, ...input.fields.map((f) => `**${f.role}**: ${f.value}`)].join("\n");
}

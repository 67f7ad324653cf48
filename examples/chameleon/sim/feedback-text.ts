/**
 * @module examples/chameleon/sim/feedback-text
 * How the simulated Chameleon model writes and reads feedback. Feedback quotes facts in one fixed form,
 * `deciding fact …"F"`, which is how a fact survives several backward hops: every role writes what
 * {@link extractFacts} reads.
 */

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

/**
 * The modules a plan's backward request says did not run (tracegrad's control-feedback prompt lists them in a
 * `<MODULES_NOT_RUN>` line); undefined when the request is not about a plan's choices.
 */
export function modulesNotRun(prompt: string | undefined): string[] | undefined {
  const body = /<MODULES_NOT_RUN>([^<]*)<\/MODULES_NOT_RUN>/.exec(prompt ?? "")?.[1];
  if (body === undefined) return undefined;
  return body.trim().startsWith("(") ? [] : body.split(",").map((m) => m.trim()).filter((m) => m !== "");
}

/** How feedback on a plan says a module that did not run would have supplied the missing fact. */
export function notRunSentence(module: string, fact: string): string {
  return `${module} did not run; the deciding fact was missing: ${quoted(fact)} The plan should include ${module}.`;
}

/** The reply of a role that has nothing actionable to say. */
export const NO_CHANGES = "No changes needed.";

function distinct(items: string[]): string[] {
  return [...new Set(items)];
}

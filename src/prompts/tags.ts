/**
 * @module prompts/tags
 * The tag names every backward and optimizer prompt uses, with the helpers that write and read them. Other code (the
 * simulated model, the trace tooling) parses prompts with {@link extractTagged}, so the names are a contract.
 */

/** What the variable is (its role description). */
export const ROLE_TAG = "ROLE";
/** The variable's full current text. */
export const VARIABLE_TAG = "VARIABLE";
/** System prompt of the LLM call the variable took part in. */
export const LM_SYSTEM_PROMPT_TAG = "LM_SYSTEM_PROMPT";
/** User input of that LLM call. */
export const LM_INPUT_TAG = "LM_INPUT";
/** Output of that LLM call. */
export const LM_OUTPUT_TAG = "LM_OUTPUT";
/** Chain mode only: the feedback the output received downstream. Absent in evaluation mode. */
export const OBJECTIVE_FUNCTION_TAG = "OBJECTIVE_FUNCTION";
/** What a string-based function is for. */
export const FUNCTION_PURPOSE_TAG = "FUNCTION_PURPOSE";
/** The named inputs of a string-based function. */
export const INPUTS_TO_FUNCTION_TAG = "INPUTS_TO_FUNCTION";
/** The output of a string-based function. */
export const OUTPUT_OF_FUNCTION_TAG = "OUTPUT_OF_FUNCTION";
/** Optimizer prompt: all feedback with its exchanges. */
export const CONTEXT_TAG = "CONTEXT";
/** One exchange a piece of feedback came from. */
export const CONVERSATION_TAG = "CONVERSATION";
/** One piece of feedback (one per gradient in the optimizer and reduce prompts). */
export const FEEDBACK_TAG = "FEEDBACK";
/** Optimizer prompt: numbered constraints. */
export const CONSTRAINTS_TAG = "CONSTRAINTS";
/** Optimizer prompt: in-context examples. */
export const EXAMPLES_TAG = "EXAMPLES";
/** Optimizer prompt: earlier values of the variable (momentum). */
export const PAST_ITERATIONS_TAG = "PAST_ITERATIONS";
/** Optimizer prompt: feedback from earlier steps (gradient memory). */
export const PAST_FEEDBACK_TAG = "PAST_FEEDBACK";

/** `<TAG>body</TAG>` on one line, for short texts such as roles. */
export function inlineTag(tag: string, body: string): string {
  return `<${tag}>${body}</${tag}>`;
}

/** `<TAG>`, the body, `</TAG>` on separate lines, for texts that may span lines. */
export function blockTag(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

/**
 * The text between the first `<tag>` and the last `</tag>` after it, trimmed; undefined when either is missing.
 * This is the rule for reading the prompts tracegrad writes (the simulated model and tests read them with it): a
 * section is opened once, and its body may quote tags — a `<VARIABLE>` about tags, or a forged `</tag>` — so the last
 * closing tag keeps the body whole. Optimizer replies are read by a different, stricter rule (`readUpdate` in
 * prompts/update-tags), because a model may quote, repeat or nest the tags and the result is written into a prompt.
 *
 * @example
 * extractTagged("<ROLE>system prompt</ROLE>", "ROLE"); // "system prompt"
 */
export function extractTagged(text: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const at = text.indexOf(open);
  if (at < 0) return undefined;
  const from = at + open.length;
  const to = text.lastIndexOf(`</${tag}>`);
  if (to < from) return undefined;
  return text.slice(from, to).trim();
}

/**
 * Every `<tag>…</tag>` block in order (each closed by the nearest `</tag>`), trimmed. For tags that repeat, such as
 * one `FEEDBACK` block per gradient.
 */
export function extractAllTagged(text: string, tag: string): string[] {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start < 0) return found;
    const end = text.indexOf(close, start + open.length);
    if (end < 0) return found;
    found.push(text.slice(start + open.length, end).trim());
    from = end + close.length;
  }
}

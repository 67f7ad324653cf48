/**
 * @module prompts/backward-prompt
 * The user prompt of a backward call: who the variable is, the exchange it took part in, what the output was judged
 * against (downstream feedback in chain mode, the evaluation itself in evaluation mode), and the variable's full text.
 */
import { blockTag, inlineTag, OBJECTIVE_FUNCTION_TAG, ROLE_TAG, VARIABLE_TAG } from "./tags.js";

/** Everything a backward prompt shows. */
export interface BackwardPromptInput {
  /** Role of the variable receiving feedback. */
  readonly role: string;
  /** Whether the exchange was an LLM call or a plain function (changes the wording only). */
  readonly exchangeKind: "llm" | "function";
  /** The exchange, already rendered by `renderLlmExchange` / `renderFunctionExchange`. */
  readonly exchange: string;
  /** "evaluation": the exchange's output is the evaluation. "chain": `feedback` holds what it received downstream. */
  readonly mode: "evaluation" | "chain";
  /** Role of the exchange's output: how it was used downstream. */
  readonly usedAs: string;
  /** Downstream feedback on the output, in order (chain mode). */
  readonly feedback: readonly string[];
  /** The variable's full current text. Never truncated: a rewrite can only fix what it can see. */
  readonly value: string;
}

/**
 * Renders the user prompt of one backward call.
 *
 * @example
 * renderBackwardPrompt({ role: "system prompt", exchangeKind: "llm", exchange, mode: "chain", usedAs: "answer",
 *   feedback: ["The answer forgot the units."], value: "You are a solver." });
 */
export function renderBackwardPrompt(input: BackwardPromptInput): string {
  const what = input.exchangeKind === "llm" ? "language model call" : "function (not a language model)";
  const parts = [`Give feedback on a variable with this role: ${inlineTag(ROLE_TAG, input.role)}`, ""];
  if (input.mode === "evaluation") {
    parts.push(`The variable took part in this ${what}, whose output is an evaluation of the variable:`, input.exchange, "");
    parts.push("That evaluation is the objective. The only goal is to do better on it, and nothing else.", "");
  } else {
    parts.push(`The variable took part in this ${what}:`, input.exchange, "");
    parts.push(
      `The call is one step of a larger system: its output was then used as ${input.usedAs}. Further along, that output received this feedback:`,
      blockTag(OBJECTIVE_FUNCTION_TAG, numbered(input.feedback)),
      "",
    );
  }
  parts.push("The variable's full current text:", blockTag(VARIABLE_TAG, input.value), "");
  parts.push(
    `Explain how the ${input.role} should change so that the objective above is met better. Be critical and specific, and do not write the new version.`,
  );
  return parts.join("\n");
}

/** One text as is; several as "1. …", "2. …" separated by blank lines, so the model can tell them apart. */
export function numbered(texts: readonly string[]): string {
  if (texts.length === 1) return texts[0]!;
  return texts.map((t, i) => `${i + 1}. ${t}`).join("\n\n");
}

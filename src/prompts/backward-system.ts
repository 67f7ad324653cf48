/**
 * @module prompts/backward-system
 * The system prompt of every backward (feedback) call. It never mentions the optimizer's reply tags: a model (or a
 * test double) tells feedback requests from update requests by the system prompt.
 */

/**
 * The backward engine's system prompt: write criticism, not a rewrite.
 *
 * @example
 * engine.generate({ system: renderBackwardSystemPrompt(), prompt: renderBackwardPrompt({ … }) });
 */
export function renderBackwardSystemPrompt(): string {
  return [
    "You write feedback for one part of a system made of language model calls and functions. That part is called the variable.",
    "Your feedback works like a gradient: a later step rewrites the variable from it, so do not write a new version yourself. Explain what in the variable hurts the objective and in which direction it should change.",
    "Be concrete. Point at the passages that cause trouble, say why they do, and suggest what would work better (for example: \"the instruction never asks for units, so answers mix them\"). If the variable already serves its role well, say that no change is needed.",
    "",
    "The request is organised with these tags:",
    "- ROLE: what the variable is.",
    "- VARIABLE: the variable's full current text.",
    "- LM_SYSTEM_PROMPT, LM_INPUT, LM_OUTPUT: the system prompt, input and output of the language model call the variable took part in.",
    "- FUNCTION_PURPOSE, INPUTS_TO_FUNCTION, OUTPUT_OF_FUNCTION: the same for a plain (non-LLM) function.",
    "- OBJECTIVE_FUNCTION: feedback the output received further along the system; your feedback must help address it.",
  ].join("\n");
}

/**
 * @module prompts/backward-system
 * The system prompts of backward (feedback) calls. They never mention the optimizer's reply tags: a model (or a test
 * double) tells feedback requests from update requests by the system prompt.
 */
import { FEEDBACK_FOR_TAG } from "./feedback-sections.js";
import { NO_CHANGE_MARKER } from "./no-change.js";

/** Which backward calls a system prompt is for: one call per node (default) or TextGrad's one call per input. */
export type BackwardSystemStyle = "per-node" | "per-input";

const INTRO = [
  "You write feedback for one part of a system made of language model calls and functions. That part is called the variable.",
  "Your feedback works like a gradient: a later step rewrites the variable from it, so do not write a new version yourself. Explain what in the variable hurts the objective and in which direction it should change.",
];
const CONCRETE = 'Be concrete. Point at the passages that cause trouble, say why they do, and suggest what would work better (for example: "the instruction never asks for units, so answers mix them").';
const GLOSSARY = [
  "The request is organised with these tags:",
  "- ROLE: what the variable is.",
  "- VARIABLE: the variable's full current text.",
  "- LM_SYSTEM_PROMPT, LM_INPUT, LM_OUTPUT: the system prompt, input and output of the language model call the variable took part in.",
  "- FUNCTION_PURPOSE, INPUTS_TO_FUNCTION, OUTPUT_OF_FUNCTION: the same for a plain (non-LLM) function.",
  "- OBJECTIVE_FUNCTION: feedback the output received further along the system; your feedback must help address it.",
];

/**
 * The backward engine's system prompt: write criticism, not a rewrite. `"per-node"` (default) also asks for the
 * {@link NO_CHANGE_MARKER} when a variable needs no change, and explains the per-variable reply sections;
 * `"per-input"` is the prompt of TextGrad's one-call-per-input mode, unchanged.
 *
 * @example
 * engine.generate({ system: renderBackwardSystemPrompt(), prompt: renderBackwardPrompt({ … }) });
 */
export function renderBackwardSystemPrompt(style: BackwardSystemStyle = "per-node"): string {
  if (style === "per-input") {
    return [...INTRO, `${CONCRETE} If the variable already serves its role well, say that no change is needed.`, "", ...GLOSSARY].join("\n");
  }
  return [
    ...INTRO,
    CONCRETE,
    `If a variable already serves its role well, reply just ${NO_CHANGE_MARKER} for it: any other text counts as a request to change it.`,
    "",
    ...GLOSSARY,
    `- ${FEEDBACK_FOR_TAG}: asked about several variables, reply with one such section per variable, numbered as they are.`,
  ].join("\n");
}

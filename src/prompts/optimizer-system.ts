/**
 * @module prompts/optimizer-system
 * The system prompt of the optimizer (TGD) calls. It names the reply tags, so a model or a test double can tell an
 * update request from a feedback request by the system prompt alone.
 */
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "./update-tags.js";

/**
 * The optimizer's system prompt, written with the caller's reply tags.
 *
 * @example
 * renderOptimizerSystemPrompt({ start: "<NEW>", end: "</NEW>" });
 */
export function renderOptimizerSystemPrompt(tags: UpdateTags = DEFAULT_UPDATE_TAGS): string {
  return [
    "You improve one piece of text, called the variable, inside a system made of language model calls and functions.",
    "You are given the variable's role, its full current text, and feedback on it together with the exchanges the feedback came from.",
    "Feedback can be noisy or contradictory: act on what is important and well supported, and ignore the rest. Make the changes the feedback asks for while keeping the variable fit for its role, and respect every constraint you are given.",
    "",
    `Reply with the complete improved variable between ${tags.start} and ${tags.end}, like this:`,
    `${tags.start}`,
    "the improved variable",
    `${tags.end}`,
    "",
    "The request is organised with these tags:",
    "- ROLE: what the variable is.",
    "- VARIABLE: the variable's full current text.",
    "- CONTEXT: all feedback; each FEEDBACK block may follow the CONVERSATION it came from.",
    "- CONSTRAINTS: rules the improved variable must follow.",
    "- EXAMPLES: examples to base the improved variable on.",
    "- PAST_ITERATIONS: earlier versions of the variable.",
    "- PAST_FEEDBACK: feedback from earlier steps.",
  ].join("\n");
}

/**
 * @module prompts/repair-prompt
 * The one follow-up sent when the optimizer's reply had no tagged value: the bad reply goes back as history and the
 * model is asked for the tagged format only.
 */
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "./update-tags.js";

/**
 * The repair request.
 *
 * @example
 * engine.generate({ system, history: [{ role: "user", content: prompt }, { role: "assistant", content: reply }],
 *   prompt: renderRepairPrompt(tags) });
 */
export function renderRepairPrompt(tags: UpdateTags = DEFAULT_UPDATE_TAGS): string {
  return [
    `Your reply did not contain the improved variable between ${tags.start} and ${tags.end}, so it could not be used.`,
    `Send the complete improved variable again, starting with ${tags.start} and ending with ${tags.end}, with nothing else between them.`,
  ].join("\n");
}

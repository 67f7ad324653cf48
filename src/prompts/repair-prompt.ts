/**
 * @module prompts/repair-prompt
 * The one follow-up sent when the optimizer's reply had no usable value: the bad reply goes back as history and the
 * model is told what was wrong and asked for the tagged format only.
 */
import { DEFAULT_UPDATE_TAGS, type UpdateProblem, type UpdateTags } from "./update-tags.js";

/**
 * The repair request for a reply whose value could not be read because of `problem` (default `"missing"`).
 *
 * @example
 * engine.generate({ system, history: [{ role: "user", content: prompt }, { role: "assistant", content: reply }],
 *   prompt: renderRepairPrompt(tags, "empty") });
 */
export function renderRepairPrompt(tags: UpdateTags = DEFAULT_UPDATE_TAGS, problem: UpdateProblem = "missing"): string {
  const again = `Send the complete improved variable again, starting with ${tags.start} and ending with ${tags.end}, with nothing else between them.`;
  switch (problem) {
    case "missing":
      return [`Your reply did not contain the improved variable between ${tags.start} and ${tags.end}, so it could not be used.`, again].join("\n");
    case "empty":
      return [`The text between ${tags.start} and ${tags.end} in your reply was empty, so it could not be used.`, again].join("\n");
    case "ambiguous":
      return [
        `Your reply nested or repeated ${tags.start} and ${tags.end}, so it was unclear which text is the improved variable.`,
        `${again} Write each tag once, around the improved variable only.`,
      ].join("\n");
  }
}

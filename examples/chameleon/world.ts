/**
 * @module examples/chameleon/world
 * The simulated world of the Chameleon example: the questions, the search corpus and the topic background, plus the
 * one planner blind spot ("word study"). Hand it to `createChameleonModel` (`sim/chameleon-model.ts`) to get an offline model that answers like an LLM
 * with the documented mistakes (see README.md).
 */
import type { SimulatedWorld } from "./sim/simulated-world.js";
import { background } from "./data/background.js";
import { corpus } from "./data/corpus.js";
import { questions } from "./data/questions.js";

/**
 * The Chameleon world.
 *
 * @example
 * const model = createChameleonModel(chameleonWorld);
 */
export const chameleonWorld: SimulatedWorld = {
  questions,
  corpus,
  background,
  // Without the planner trigger, the planner treats dictionary and vocabulary questions as needing no background.
  plannerSkipsKnowledgeFor: ["word study"],
};

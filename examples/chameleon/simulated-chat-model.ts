/**
 * @module examples/chameleon/simulated-chat-model
 * A LangChain chat model that answers with a {@link SimulatedModel} (any rules; here the Chameleon ones) in-process —
 * the agent runs offline without a server. Over HTTP, use the stub server with `simulatedReply` and the real
 * ChatOpenAI instead.
 */
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { SimulatedModel } from "../../src/testing/index.js";
import { messageText } from "./modules/format.js";

/**
 * Sends the system messages (joined) and the last user message to the simulated model.
 *
 * @example
 * const agent = createChameleon({ model: new SimulatedChatModel(createChameleonModel(chameleonWorld)) });
 */
export class SimulatedChatModel extends BaseChatModel {
  readonly simulated: SimulatedModel;

  constructor(simulated: SimulatedModel) {
    super({});
    this.simulated = simulated;
  }

  override _llmType(): string {
    return "tracegrad-simulated";
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const system = messages.filter((m) => m.getType() === "system").map((m) => messageText(m.content));
    const prompt = messages.filter((m) => m.getType() === "human").map((m) => messageText(m.content)).at(-1) ?? "";
    const text = this.simulated.reply({ system: system.length > 0 ? system.join("\n\n") : undefined, prompt });
    return { generations: [{ text, message: new AIMessage(text) }] };
  }
}

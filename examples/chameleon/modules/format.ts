/**
 * @module examples/chameleon/modules/format
 * What the LLM modules share: the problem type, the few-shot-style user prompt Chameleon uses ("Question: …",
 * "Context: …", "Options: …", "Metadata: …", then a cue such as "Knowledge:"), and one model call.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";

/** A multiple-choice question as the agent sees it (no answer, no key fact). */
export interface ChameleonProblem {
  readonly id?: string;
  readonly question: string;
  /** Text that comes with the question (ScienceQA's "context"), if any. */
  readonly context?: string;
  readonly choices: readonly string[];
  readonly subject?: string;
  readonly topic?: string;
  readonly grade?: number;
}

/** Any LangChain chat model: ChatOpenAI, a fake, or an adapter. */
export type ChameleonModel = Pick<BaseChatModel, "invoke">;

/** "(A) x (B) y …" */
export function formatOptions(choices: readonly string[]): string {
  return choices.map((c, i) => `(${String.fromCharCode(65 + i)}) ${c}`).join(" ");
}

/**
 * The user prompt of an LLM module. `notes` is the blackboard text gathered so far; it is shown as part of the context,
 * as Chameleon does. `cue` ends the prompt and tells the model which part to write.
 */
export function formatProblem(problem: ChameleonProblem, notes: string, cue: string): string {
  const context = [problem.context, notes].filter((t) => t !== undefined && t.trim() !== "").join("\n\n") || "N/A";
  const metadata = JSON.stringify({ subject: problem.subject, topic: problem.topic, grade: problem.grade });
  return [`Question: ${problem.question}`, `Context: ${context}`, `Options: ${formatOptions(problem.choices)}`, `Metadata: ${metadata}`, cue].join("\n\n");
}

/** Sends one system + user message pair and returns the reply text. */
export async function askModel(model: ChameleonModel, system: string, user: string): Promise<string> {
  const reply = await model.invoke([new SystemMessage(system), new HumanMessage(user)]);
  return messageText(reply.content).trim();
}

/** A message's text, whether its content is a string or a list of parts. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : "")).join("");
}

/**
 * @module engine/engine-like
 * What every `engine` option accepts: a tracegrad {@link Engine}, or a LangChain chat model (ChatOpenAI, a fake chat
 * model, any BaseChatModel), which is wrapped with {@link chatModelEngine}. A chat model must be recognized before
 * `generate` is looked at: it has a `generate(messages[][])` of its own, and calling that with an engine request
 * fails deep inside LangChain with "messages.map is not a function".
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { NoEngineError } from "../errors.js";
import { chatModelEngine } from "./chat-model-engine.js";
import type { Engine } from "./types.js";

/** The part of a LangChain chat model tracegrad relies on (structural, so no LangChain import is needed). */
export interface ChatModelLike {
  invoke(input: never, options?: never): Promise<unknown>;
  _llmType(): string;
}

/** An engine, or a LangChain chat model that becomes one. */
export type EngineLike = Engine | ChatModelLike;

// A pure cache: the same chat model always yields the same engine (so identity-keyed wrappers keep working), and the
// WeakMap never keeps a model alive.
const wrapped = new WeakMap<object, Engine>();

/**
 * True for a LangChain chat model: it has `invoke` and `_llmType` (or the `lc_namespace` every LangChain class has).
 *
 * @example
 * isChatModel(new ChatOpenAI({ model: "gpt-4o-mini" })); // true
 * isChatModel(new FakeEngine(["x"])); // false
 */
export function isChatModel(value: unknown): value is ChatModelLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { invoke?: unknown; _llmType?: unknown; lc_namespace?: unknown };
  return typeof v.invoke === "function" && (typeof v._llmType === "function" || Array.isArray(v.lc_namespace));
}

/**
 * The engine behind an `engine` option: an Engine as is, a LangChain chat model wrapped with chatModelEngine (the
 * same wrapper each time for the same model). Throws NoEngineError naming `who`, `subject` and where the engine goes
 * (`passTo`) for anything else.
 *
 * @example
 * const engine = toEngine(new ChatOpenAI({ model: "gpt-4o-mini" }), "TextLoss", "judge");
 * await engine.generate({ prompt: "Hi" });
 */
export function toEngine(engine: EngineLike | undefined, who: string, subject: string, passTo = "its constructor"): Engine {
  if (isChatModel(engine)) {
    let known = wrapped.get(engine);
    if (!known) wrapped.set(engine, (known = chatModelEngine(engine as unknown as BaseChatModel)));
    return known;
  }
  if (engine && typeof (engine as Partial<Engine>).generate === "function") return engine as Engine;
  const got =
    engine === undefined || engine === null
      ? ""
      : ` It got ${typeof engine === "object" ? "an object with neither generate(request) nor invoke()" : `a ${typeof engine}`}: pass an Engine (an object with generate(request)) or a LangChain chat model such as new ChatOpenAI({ model }).`;
  throw new NoEngineError(`${who} needs an engine — pass { engine } to ${passTo}.${got}`,
    { subject },
  );
}

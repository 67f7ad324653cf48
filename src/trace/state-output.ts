/**
 * @module trace/state-output
 * The answer inside a graph run's returned state. A LangGraph run returns its whole `{ messages: [...] }` state; a
 * judge shown that JSON grades the transcript, not the answer, so the output node holds the last message's text.
 */

/**
 * The text content of the last message when `text` is the JSON of a `{ messages: [...] }` state (plain
 * `{ role, content }` messages or LangChain's serialized `{ kwargs: { content } }` form); otherwise undefined.
 *
 * @example
 * lastMessageText('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}'); // "hello"
 */
export function lastMessageText(text: string): string | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return undefined;
  }
  const messages = (state as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last = messages[messages.length - 1] as { content?: unknown; kwargs?: { content?: unknown }; data?: { content?: unknown } } | null;
  const content = last?.content ?? last?.kwargs?.content ?? last?.data?.content;
  if (typeof content === "string") return content === "" ? undefined : content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((p: unknown) => (typeof p === "string" ? p : (p as { text?: unknown } | null)?.text)).filter((t): t is string => typeof t === "string");
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/**
 * @module prompts/history-elided
 * The line that stands for the earlier part of a conversation in the exchange a backward call is shown, when the
 * previous step of the same conversation already read that part (and feedback on it travels through that step).
 */

/**
 * The marker for `count` omitted messages that the previous step, `previous`, read too.
 *
 * @example
 * renderElidedHistory(12, "chat gpt-4o-mini")
 * // "[12 earlier messages of this conversation omitted: the previous step (chat gpt-4o-mini) read them too, and feedback on them goes through it]"
 */
export function renderElidedHistory(count: number, previous: string): string {
  const what = count === 1 ? "1 earlier message" : `${count} earlier messages`;
  return `[${what} of this conversation omitted: the previous step (${previous}) read ${count === 1 ? "it" : "them"} too, and feedback on ${count === 1 ? "it" : "them"} goes through it]`;
}

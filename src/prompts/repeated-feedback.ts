/**
 * @module prompts/repeated-feedback
 * How an update names a piece of feedback that arrived more than once (say two consumers sent back the same text): it
 * is shown once, and its sender line says who sent it and how many times, so the repetition still counts as evidence.
 */

/**
 * The sender line of a feedback text that arrived `times` times from `senders`.
 *
 * @example
 * renderRepeatedSenders(["answer", "summary"], 2); // "answer; summary (the same feedback arrived 2 times)"
 */
export function renderRepeatedSenders(senders: readonly string[], times: number): string {
  return `${senders.join("; ")} (the same feedback arrived ${times} times)`;
}

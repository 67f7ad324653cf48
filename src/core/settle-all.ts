/**
 * @module core/settle-all
 * Concurrent work that must not outlive its caller: backward rules and optimizer updates start several engine calls
 * at once, and if one fails the others are still waited for before the failure is thrown.
 */

/**
 * Waits for every promise, then returns their values in order, or throws the first rejection in input order (not in
 * time order, so the error a caller sees does not depend on which call happened to fail first).
 */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

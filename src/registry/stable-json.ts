/**
 * @module registry/stable-json
 * JSON with keys in a fixed order: the same document always gives the same bytes, so a prompt file diffs cleanly in git.
 */

/**
 * `value` with the keys of every plain object sorted (arrays keep their order).
 *
 * @example
 * JSON.stringify(sortKeys({ production: 1, latest: 2 })); // '{"latest":2,"production":1}'
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

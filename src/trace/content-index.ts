/**
 * @module trace/content-index
 * Finds which earlier outputs reappear inside a later input, in time linear in the input's length: producers are
 * indexed by a rolling hash of their first {@link MIN_SUBSTRING} characters, and each consumer input is scanned once.
 */

/** Shortest output that may match as a substring; shorter texts only match exactly (too many false positives). */
export const MIN_SUBSTRING = 32;

const BASE = 257;
const MOD = 1_000_000_007;

/** Trims and collapses whitespace, so formatting differences do not hide reuse. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The text to match on: a recorded JSON value (a module's argument list, an object it returned) is matched by the
 * strings inside it — a multi-line string is escaped in JSON and would never match its own producer otherwise.
 */
export function matchableText(text: string): string {
  const t = text.trimStart();
  if (!(t.startsWith("[") || t.startsWith("{") || t.startsWith('"'))) return normalizeText(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return normalizeText(text);
  }
  const strings: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0 && strings.length < 10_000) {
    const v = stack.pop();
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else if (v && typeof v === "object") stack.push(...Object.values(v).reverse());
  }
  return normalizeText(strings.join("\n"));
}

function hashWindow(text: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + MIN_SUBSTRING; i++) h = (h * BASE + text.charCodeAt(i)) % MOD;
  return h;
}

let highPower = 1;
for (let i = 1; i < MIN_SUBSTRING; i++) highPower = (highPower * BASE) % MOD;

/** An index of producer texts (already normalized) that answers "which of these occur inside this text?". */
export class ContentIndex<K> {
  readonly #byAnchor = new Map<number, Array<{ key: K; text: string }>>();

  /** Adds a producer. Texts shorter than {@link MIN_SUBSTRING} are ignored (use exact matching for those). */
  add(key: K, text: string): void {
    if (text.length < MIN_SUBSTRING) return;
    const anchor = hashWindow(text, 0);
    const list = this.#byAnchor.get(anchor);
    if (list) list.push({ key, text });
    else this.#byAnchor.set(anchor, [{ key, text }]);
  }

  /** Every producer whose whole text occurs in `haystack` (normalized), each once. */
  occurrencesIn(haystack: string): K[] {
    const found: K[] = [];
    if (haystack.length < MIN_SUBSTRING || this.#byAnchor.size === 0) return found;
    const seen = new Set<K>();
    let h = hashWindow(haystack, 0);
    for (let i = 0; ; i++) {
      const candidates = this.#byAnchor.get(h);
      if (candidates) {
        for (const c of candidates) {
          if (!seen.has(c.key) && haystack.startsWith(c.text, i)) {
            seen.add(c.key);
            found.push(c.key);
          }
        }
      }
      const next = i + MIN_SUBSTRING;
      if (next >= haystack.length) break;
      h = (h - ((haystack.charCodeAt(i) * highPower) % MOD) + MOD) % MOD;
      h = (h * BASE + haystack.charCodeAt(next)) % MOD;
    }
    return found;
  }
}

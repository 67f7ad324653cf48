/**
 * @module trace/content-index
 * Finds which earlier outputs reappear inside a later input, in time linear in the input's length: each producer is
 * indexed by a rolling hash of one {@link MIN_SUBSTRING}-character window (its rarest candidate window), and each
 * consumer input is scanned once.
 */
import { normalizeText } from "./safe-text.js";

// Trims and collapses whitespace, so formatting differences do not hide reuse: the same rule value hashes use.
export { normalizeText };

/** Shortest output that may match as a substring; shorter texts only match exactly (too many false positives). */
export const MIN_SUBSTRING = 32;

// A polynomial rolling hash in 32-bit integer arithmetic (wrapping): cheap per character; collisions are harmless
// because every hit is verified with startsWith.
const BASE = 257;

/**
 * The text to match on: a recorded JSON value (a module's argument list, an object it returned) is matched by the
 * strings inside it — a multi-line string is escaped in JSON and would never match its own producer otherwise.
 */
export function matchableText(text: string): string {
  const t = text.trimStart();
  if (!(t.startsWith("[") || t.startsWith("{"))) return normalizeText(text);
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
  for (let i = from; i < from + MIN_SUBSTRING; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

let highPower = 1;
for (let i = 1; i < MIN_SUBSTRING; i++) highPower = Math.imul(highPower, BASE);

/** Bits of the anchor prefilter: most scanned positions miss, and a bit test is far cheaper than a map lookup. */
const FILTER_BITS = 1 << 20;

/** Offsets (as fractions of the text) whose windows are candidate anchors. */
const ANCHOR_POINTS = [0, 0.25, 0.5, 0.75, 1];

/**
 * An index of producer texts (already normalized) that answers "which of these occur inside this text?".
 * Each text is anchored on one 32-character window, chosen among a few candidates as the one rarest across all
 * texts: model replies often share an opening ("Sure! Here is…") or a closing, and anchoring every reply on the
 * same window would make each lookup compare against all of them.
 */
export class ContentIndex<K> {
  readonly #byAnchor = new Map<number, Array<{ key: K; text: string; offset: number }>>();
  readonly #filter = new Uint8Array(FILTER_BITS >> 3);

  /** Indexes `entries`. Texts shorter than {@link MIN_SUBSTRING} are left out (use exact matching for those). */
  constructor(entries: Iterable<{ readonly key: K; readonly text: string }>) {
    const kept: Array<{ key: K; text: string }> = [];
    for (const e of entries) if (e.text.length >= MIN_SUBSTRING) kept.push(e);
    // flat arrays: one hash and one offset per candidate window, no objects per text (this runs once per span)
    const points = ANCHOR_POINTS.length;
    const hashes = new Int32Array(kept.length * points);
    const offsets = new Int32Array(kept.length * points);
    const frequency = new Map<number, number>();
    for (let k = 0; k < kept.length; k++) {
      const text = kept[k]!.text;
      const last = text.length - MIN_SUBSTRING;
      for (let j = 0; j < points; j++) {
        const offset = Math.round(ANCHOR_POINTS[j]! * last);
        const previous = j > 0 ? offsets[k * points + j - 1] : -1;
        offsets[k * points + j] = offset;
        if (offset === previous) {
          hashes[k * points + j] = hashes[k * points + j - 1]!; // short text: the same window again, counted once
          continue;
        }
        const h = hashWindow(text, offset);
        hashes[k * points + j] = h;
        frequency.set(h, (frequency.get(h) ?? 0) + 1);
      }
    }
    for (let k = 0; k < kept.length; k++) {
      let best = k * points;
      for (let j = k * points + 1; j < (k + 1) * points; j++) if (frequency.get(hashes[j]!)! < frequency.get(hashes[best]!)!) best = j;
      const hash = hashes[best]!;
      const entry = { key: kept[k]!.key, text: kept[k]!.text, offset: offsets[best]! };
      const list = this.#byAnchor.get(hash);
      if (list) list.push(entry);
      else this.#byAnchor.set(hash, [entry]);
      const bit = hash & (FILTER_BITS - 1);
      this.#filter[bit >> 3]! |= 1 << (bit & 7);
    }
  }

  /** Every producer whose whole text occurs in `haystack` (normalized), each once, in order of first occurrence. */
  occurrencesIn(haystack: string): K[] {
    const found: K[] = [];
    if (haystack.length < MIN_SUBSTRING || this.#byAnchor.size === 0) return found;
    const filter = this.#filter;
    let h = hashWindow(haystack, 0);
    for (let i = 0; ; i++) {
      const bit = h & (FILTER_BITS - 1);
      const candidates = filter[bit >> 3]! & (1 << (bit & 7)) ? this.#byAnchor.get(h) : undefined;
      if (candidates) {
        for (const c of candidates) {
          const at = i - c.offset;
          if (at >= 0 && haystack.startsWith(c.text, at) && !found.includes(c.key)) found.push(c.key);
        }
      }
      const next = i + MIN_SUBSTRING;
      if (next >= haystack.length) break;
      h = (h - Math.imul(haystack.charCodeAt(i), highPower)) | 0;
      h = (Math.imul(h, BASE) + haystack.charCodeAt(next)) | 0;
    }
    return found;
  }
}

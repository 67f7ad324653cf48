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
    else if (v && typeof v === "object") {
      // no spread: an object with ~100k values would exceed the argument limit
      const values = Object.values(v);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
  return normalizeText(strings.join("\n"));
}

function hashWindow(text: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + MIN_SUBSTRING; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/** The same polynomial hash over `text[from, to)`. */
function hashOf(text: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/** BASE^n in the same wrapping arithmetic. */
function powerOf(n: number): number {
  let p = 1;
  let b = BASE;
  for (let e = n; e > 0; e >>= 1) {
    if (e & 1) p = Math.imul(p, b);
    b = Math.imul(b, b);
  }
  return p;
}

/** `prefix[i]` is the hash of `text[0, i)`, so the hash of `text[a, b)` is `prefix[b] - prefix[a]·BASE^(b-a)`. */
function prefixHashes(text: string): Int32Array {
  const prefix = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) prefix[i + 1] = (Math.imul(prefix[i]!, BASE) + text.charCodeAt(i)) | 0;
  return prefix;
}

let highPower = 1;
for (let i = 1; i < MIN_SUBSTRING; i++) highPower = Math.imul(highPower, BASE);

/**
 * Bits of the anchor prefilter (most scanned positions miss, and a bit test is far cheaper than a map lookup): about
 * 32 per indexed text, so few misses pass it, as a power of two between 2^9 and 2^20. A fixed 2^20 bits (128 KiB,
 * zero-filled) cost most of the time of building a small graph; 2^9 bits is 64 bytes, the largest typed array V8
 * allocates on its own heap rather than through malloc (~0.3–0.6 µs each).
 */
function filterBits(entries: number): number {
  let bits = 1 << 9;
  while (bits < entries * 32 && bits < 1 << 20) bits <<= 1;
  return bits;
}

/**
 * Candidate comparisons per haystack made directly (startsWith) before its prefix hashes are computed: most haystacks
 * have a hit or two, and the prefix array (the haystack's length, malloc'd) pays off only when an anchor keeps
 * hitting, as in repetitive text.
 */
const DIRECT_CHECKS = 8;

/** Offsets (as fractions of the text) whose windows are candidate anchors. */
const ANCHOR_POINTS = [0, 0.25, 0.5, 0.75, 1];

/**
 * An index of producer texts (already normalized) that answers "which of these occur inside this text?".
 * Each text is anchored on one 32-character window, chosen among a few candidates as the one rarest across all
 * texts: model replies often share an opening ("Sure! Here is…") or a closing, and anchoring every reply on the
 * same window would make each lookup compare against all of them.
 */
/** An indexed text: its key, where its anchor window starts, and the hash of the whole text with BASE^length. */
interface Anchored<K> {
  readonly key: K;
  readonly text: string;
  readonly offset: number;
  readonly textHash: number;
  readonly power: number;
}

export class ContentIndex<K> {
  readonly #byAnchor = new Map<number, Array<Anchored<K>>>();
  readonly #filter: Uint8Array;
  readonly #mask: number;

  /** Indexes `entries`. Texts shorter than {@link MIN_SUBSTRING} are left out (use exact matching for those). */
  constructor(entries: Iterable<{ readonly key: K; readonly text: string }>) {
    const kept: Array<{ key: K; text: string }> = [];
    for (const e of entries) if (e.text.length >= MIN_SUBSTRING) kept.push(e);
    const bits = filterBits(kept.length);
    this.#filter = new Uint8Array(bits >> 3);
    this.#mask = bits - 1;
    // flat arrays: one hash and one offset per candidate window, no objects per text (this runs once per span); plain
    // arrays, since typed arrays past 64 bytes are malloc'd, which cost more than the rest of a small index
    const points = ANCHOR_POINTS.length;
    const hashes: number[] = new Array<number>(kept.length * points).fill(0);
    const offsets: number[] = new Array<number>(kept.length * points).fill(0);
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
      const text = kept[k]!.text;
      const entry = { key: kept[k]!.key, text, offset: offsets[best]!, textHash: hashOf(text, 0, text.length), power: powerOf(text.length) };
      const list = this.#byAnchor.get(hash);
      if (list) list.push(entry);
      else this.#byAnchor.set(hash, [entry]);
      const bit = hash & this.#mask;
      this.#filter[bit >> 3]! |= 1 << (bit & 7);
    }
    // offset order, so a scan can admit candidates as it passes their offsets
    for (const list of this.#byAnchor.values()) if (list.length > 1) list.sort((a, b) => a.offset - b.offset);
  }

  /**
   * Every producer whose whole text occurs in `haystack` (normalized), each once, in order of first occurrence.
   *
   * Repetitive text ("word word word …") hits the same anchor at every period, so each producer is looked at as few
   * times as possible: it joins a per-anchor pending list once the scan has passed its anchor offset (lists are in
   * offset order), leaves it when found or when it can no longer fit, and is compared by the hash of the whole span
   * it would cover (prefix hashes of the haystack) before any character comparison. Comparing every candidate's
   * whole text at every hit was quadratic.
   */
  occurrencesIn(haystack: string): K[] {
    const found: K[] = [];
    if (haystack.length < MIN_SUBSTRING || this.#byAnchor.size === 0) return found;
    // made on the first anchor hit: most haystacks of a small graph have none
    let seen: Set<K> | undefined;
    let scans: Map<readonly Anchored<K>[], { next: number; pending: Anchored<K>[] }> | undefined;
    let prefix: Int32Array | undefined;
    let direct = DIRECT_CHECKS;
    const filter = this.#filter;
    const mask = this.#mask;
    let h = hashWindow(haystack, 0);
    for (let i = 0; ; i++) {
      const bit = h & mask;
      const candidates = filter[bit >> 3]! & (1 << (bit & 7)) ? this.#byAnchor.get(h) : undefined;
      if (candidates) {
        seen ??= new Set();
        scans ??= new Map();
        let scan = scans.get(candidates);
        if (!scan) scans.set(candidates, (scan = { next: 0, pending: [] }));
        while (scan.next < candidates.length && candidates[scan.next]!.offset <= i) {
          const c = candidates[scan.next++]!;
          if (c.text.length <= haystack.length) scan.pending.push(c);
        }
        let kept = 0;
        for (const c of scan.pending) {
          if (seen.has(c.key)) continue;
          const at = i - c.offset;
          const end = at + c.text.length;
          if (end > haystack.length) continue; // too long from here on
          if (prefix === undefined && --direct < 0) prefix = prefixHashes(haystack);
          if ((prefix === undefined || ((prefix[end]! - Math.imul(prefix[at]!, c.power)) | 0) === c.textHash) && haystack.startsWith(c.text, at)) {
            seen.add(c.key);
            found.push(c.key);
          } else scan.pending[kept++] = c;
        }
        scan.pending.length = kept;
      }
      const next = i + MIN_SUBSTRING;
      if (next >= haystack.length) break;
      h = (h - Math.imul(haystack.charCodeAt(i), highPower)) | 0;
      h = (Math.imul(h, BASE) + haystack.charCodeAt(next)) | 0;
    }
    return found;
  }
}

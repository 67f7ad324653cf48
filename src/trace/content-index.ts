/**
 * @module trace/content-index
 * Finds which earlier outputs reappear inside a later input, in time linear in the input's length: each producer is
 * indexed by a rolling hash of one {@link MIN_SUBSTRING}-character window (its rarest candidate window), and each
 * consumer input is scanned once.
 */
import { HashSlots } from "./hash-slots.js";
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
 *
 * Flat arrays, one entry per indexed text, grouped by anchor and in offset order within an anchor: no object, array
 * or boxed map key per text (the index is built once per graph, over the output of every span).
 */
export class ContentIndex<K> {
  readonly #keys: K[] = [];
  readonly #texts: string[] = [];
  /** Where each text's anchor window starts. */
  readonly #offsets: number[];
  /** Hash of each whole text and BASE^length, made when first needed (0: not yet; a power of the odd BASE is odd). */
  readonly #textHashes: number[];
  readonly #powers: number[];
  /** The entries anchored on slot s are [#starts[s], #starts[s + 1]). */
  readonly #anchors: HashSlots;
  readonly #starts: number[];
  readonly #filter: Uint8Array;
  readonly #mask: number;
  /** Per entry, the first entry with the same key: a key is reported once however many texts it has. */
  readonly #firstOfKey: number[];
  /**
   * Scratch state of one query, reused by the next (numbered by `#query`, so nothing needs clearing): the query that
   * last reported each key (by its first entry), that last scanned each anchor, where that scan's admission stands,
   * and the anchor's pending entries. A set, a map and an object per haystack were most of a query's cost.
   */
  #query = 0;
  #reported: number[] | undefined;
  #scanned: number[] | undefined;
  #nextEntry: number[] | undefined;
  #pending: Array<number[] | undefined> = [];

  /**
   * An index of `texts` keyed by their positions: the same as `new ContentIndex(texts.map((text, key) => ({ key, text
   * })))`, without an object per text.
   */
  static ofTexts(texts: readonly string[]): ContentIndex<number> {
    return new ContentIndex<number>(new PositionedTexts(texts));
  }

  /** Indexes `entries`. Texts shorter than {@link MIN_SUBSTRING} are left out (use exact matching for those). */
  constructor(entries: Iterable<{ readonly key: K; readonly text: string }>) {
    const keys: K[] = [];
    const texts: string[] = [];
    if (entries instanceof PositionedTexts) {
      const all = entries.texts;
      for (let i = 0; i < all.length; i++) {
        if (all[i]!.length < MIN_SUBSTRING) continue;
        keys.push(i as K);
        texts.push(all[i]!);
      }
    } else {
      for (const e of entries) {
        if (e.text.length < MIN_SUBSTRING) continue;
        keys.push(e.key);
        texts.push(e.text);
      }
    }
    const n = texts.length;
    const bits = filterBits(n);
    this.#filter = new Uint8Array(bits >> 3);
    this.#mask = bits - 1;
    const points = ANCHOR_POINTS.length;
    // a typed array: a plain one would turn into a double array, a copy, at the first hash past the small integers
    const hashes = new Int32Array(n * points);
    const offsets: number[] = new Array<number>(n * points).fill(0);
    // how many texts have each candidate window (by hash), counted per slot
    const windows = new HashSlots(n * points);
    const frequency: number[] = new Array<number>(n * points).fill(0);
    // each candidate window's slot, kept so choosing the rarest needs no second lookup
    const slotOf: number[] = new Array<number>(n * points).fill(0);
    for (let k = 0; k < n; k++) {
      const text = texts[k]!;
      const last = text.length - MIN_SUBSTRING;
      for (let j = 0; j < points; j++) {
        const offset = Math.round(ANCHOR_POINTS[j]! * last);
        const previous = j > 0 ? offsets[k * points + j - 1] : -1;
        offsets[k * points + j] = offset;
        if (offset === previous) {
          hashes[k * points + j] = hashes[k * points + j - 1]!; // short text: the same window again, counted once
          slotOf[k * points + j] = slotOf[k * points + j - 1]!;
          continue;
        }
        const h = hashWindow(text, offset);
        hashes[k * points + j] = h;
        const slot = windows.add(h);
        slotOf[k * points + j] = slot;
        frequency[slot]!++;
      }
    }
    // each text's rarest window (the first of equally rare ones), then the texts grouped by anchor
    this.#anchors = new HashSlots(n);
    const anchorOf: number[] = new Array<number>(n).fill(0);
    const chosen: number[] = new Array<number>(n).fill(0);
    const counts: number[] = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      let best = k * points;
      let rarest = frequency[slotOf[best]!]!;
      for (let j = best + 1; j < (k + 1) * points; j++) {
        const f = frequency[slotOf[j]!]!;
        if (f < rarest) {
          best = j;
          rarest = f;
        }
      }
      const hash = hashes[best]!;
      const slot = this.#anchors.add(hash);
      anchorOf[k] = slot;
      chosen[k] = offsets[best]!;
      counts[slot]!++;
      const bit = hash & this.#mask;
      this.#filter[bit >> 3]! |= 1 << (bit & 7);
    }
    const slots = this.#anchors.size;
    const starts: number[] = new Array<number>(slots + 1).fill(0);
    for (let s = 0; s < slots; s++) starts[s + 1] = starts[s]! + counts[s]!;
    this.#starts = starts;
    const next = starts.slice(0, slots);
    const order: number[] = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) order[next[anchorOf[k]!]!++] = k;
    // offset order within an anchor (stable: equal offsets keep the texts' order), so a scan can admit candidates as
    // it passes their offsets
    for (let s = 0; s < slots; s++) if (counts[s]! > 1) sortByOffset(order, starts[s]!, starts[s + 1]!, chosen);
    // small integers in plain arrays (a typed array costs more to make than a small index takes to build)
    this.#offsets = new Array<number>(n).fill(0);
    this.#firstOfKey = new Array<number>(n).fill(0);
    this.#textHashes = new Array<number>(n).fill(0);
    this.#powers = new Array<number>(n).fill(0);
    // (keys by position are distinct; others may repeat)
    const firstOf = entries instanceof PositionedTexts ? undefined : new Map<K, number>();
    for (let e = 0; e < n; e++) {
      const k = order[e]!;
      this.#keys.push(keys[k]!);
      this.#texts.push(texts[k]!);
      this.#offsets[e] = chosen[k]!;
      const first = firstOf?.get(keys[k]!);
      if (first === undefined) firstOf?.set(keys[k]!, e);
      this.#firstOfKey[e] = first ?? e;
    }
  }

  /**
   * Every producer whose whole text occurs in `haystack` (normalized), each once, in order of first occurrence.
   *
   * Repetitive text ("word word word …") hits the same anchor at every period, so each producer is looked at as few
   * times as possible: it joins a per-anchor pending list once the scan has passed its anchor offset (lists are in
   * offset order), leaves it when found or when it can no longer fit, and is compared by the hash of the whole span
   * it would cover (prefix hashes of the haystack) before any character comparison. Comparing every candidate's
   * whole text at every hit was quadratic.
   *
   * `into`, when given, receives the keys (appended) and is returned: a caller asking about every input of a trace
   * can reuse one array.
   */
  occurrencesIn(haystack: string, into: K[] = []): K[] {
    const found = into;
    if (haystack.length < MIN_SUBSTRING || this.#texts.length === 0) return found;
    let query = 0; // numbered on the first anchor hit: most haystacks of a small graph have none
    let prefix: Int32Array | undefined;
    let direct = DIRECT_CHECKS;
    const filter = this.#filter;
    const mask = this.#mask;
    const texts = this.#texts;
    const offsets = this.#offsets;
    let h = hashWindow(haystack, 0);
    for (let i = 0; ; i++) {
      const bit = h & mask;
      const slot = filter[bit >> 3]! & (1 << (bit & 7)) ? this.#anchors.find(h) : -1;
      if (slot >= 0) {
        if (query === 0) query = this.#startQuery();
        const reported = this.#reported!;
        const nextEntry = this.#nextEntry!;
        const start = this.#starts[slot]!;
        const end = this.#starts[slot + 1]!;
        const fresh = this.#scanned![slot] !== query;
        if (fresh) {
          this.#scanned![slot] = query;
          nextEntry[slot] = start;
        }
        if (end - start === 1) {
          // one text on this anchor (the usual case), without a pending list: its state is nextEntry's value, `start`
          // not yet admitted, `end` pending, -1 done (reported, or too long from here on)
          let state = nextEntry[slot]!;
          if (state === start && offsets[start]! <= i) state = texts[start]!.length <= haystack.length ? end : -1;
          if (state === end) {
            const at = i - offsets[start]!;
            if (reported[this.#firstOfKey[start]!] === query || at + texts[start]!.length > haystack.length) state = -1;
            else {
              if (prefix === undefined && --direct < 0) prefix = prefixHashes(haystack);
              if (this.#occursAt(start, haystack, at, prefix)) {
                reported[this.#firstOfKey[start]!] = query;
                found.push(this.#keys[start]!);
                state = -1;
              }
            }
          }
          nextEntry[slot] = state;
        } else {
          let pending = this.#pending[slot];
          if (!pending) this.#pending[slot] = pending = [];
          else if (fresh) pending.length = 0;
          while (nextEntry[slot]! < end && offsets[nextEntry[slot]!]! <= i) {
            const e = nextEntry[slot]!++;
            if (texts[e]!.length <= haystack.length) pending.push(e);
          }
          let kept = 0;
          for (const e of pending) {
            if (reported[this.#firstOfKey[e]!] === query) continue;
            const at = i - offsets[e]!;
            if (at + texts[e]!.length > haystack.length) continue; // too long from here on
            if (prefix === undefined && --direct < 0) prefix = prefixHashes(haystack);
            if (this.#occursAt(e, haystack, at, prefix)) {
              reported[this.#firstOfKey[e]!] = query;
              found.push(this.#keys[e]!);
            } else pending[kept++] = e;
          }
          pending.length = kept;
        }
      }
      const next = i + MIN_SUBSTRING;
      if (next >= haystack.length) break;
      h = (h - Math.imul(haystack.charCodeAt(i), highPower)) | 0;
      h = (Math.imul(h, BASE) + haystack.charCodeAt(next)) | 0;
    }
    return found;
  }

  /** A new query number, with the scratch arrays made on the first query that hits an anchor. */
  #startQuery(): number {
    if (!this.#reported) {
      const slots = this.#anchors.size;
      this.#reported = new Array<number>(this.#texts.length).fill(0);
      this.#scanned = new Array<number>(slots).fill(0);
      this.#nextEntry = new Array<number>(slots).fill(0);
      this.#pending = new Array<number[] | undefined>(slots).fill(undefined);
    }
    return ++this.#query;
  }

  /** Whether entry e's text is at `at` in `haystack`: compared by hash first when the haystack's prefix hashes exist. */
  #occursAt(e: number, haystack: string, at: number, prefix: Int32Array | undefined): boolean {
    const text = this.#texts[e]!;
    if (prefix !== undefined && ((prefix[at + text.length]! - Math.imul(prefix[at]!, this.#powerOf(e))) | 0) !== this.#textHashes[e]) return false;
    return haystack.startsWith(text, at);
  }

  /** BASE^length of entry `e`, with the hash of its whole text made alongside (both only for repetitive haystacks). */
  #powerOf(e: number): number {
    if (this.#powers[e] === 0) {
      const text = this.#texts[e]!;
      this.#textHashes[e] = hashOf(text, 0, text.length);
      this.#powers[e] = powerOf(text.length);
    }
    return this.#powers[e]!;
  }
}

/** Texts keyed by position, read by {@link ContentIndex.ofTexts} as an array (iterable for any other reader). */
class PositionedTexts implements Iterable<{ readonly key: number; readonly text: string }> {
  constructor(readonly texts: readonly string[]) {}

  *[Symbol.iterator](): Iterator<{ readonly key: number; readonly text: string }> {
    for (let key = 0; key < this.texts.length; key++) yield { key, text: this.texts[key]! };
  }
}

/** Stable sort of `order[from, to)` by `offset[order[i]]` (insertion sort: anchors shared by many texts are rare). */
function sortByOffset(order: number[], from: number, to: number, offset: readonly number[]): void {
  if (to - from > 32) {
    const part = order.slice(from, to).sort((a, b) => offset[a]! - offset[b]!);
    for (let i = 0; i < part.length; i++) order[from + i] = part[i]!;
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const k = order[i]!;
    let j = i - 1;
    while (j >= from && offset[order[j]!]! > offset[k]!) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
}

/**
 * @module trace/hash-slots
 * A set of 32-bit integer hashes, each given a dense slot number: the content index counts and groups windows by their
 * rolling hash, and a Map keyed by numbers outside the small-integer range boxes every key (one heap number per
 * window, at 100k spans a large share of building the index).
 */

/**
 * Most distinct hashes kept in a plain list: a small graph's index counts a few windows, and allocating typed tables
 * (malloc'd past 64 bytes) cost more than searching a short list.
 */
const SMALL = 16;

/**
 * Open addressing with linear probing, over typed arrays: a zero-filled plain array turns into a double array (a copy
 * of the whole table) at the first hash outside the small-integer range.
 */
export class HashSlots {
  /** The hash held by each table position; `#slot` is 0 where the position is free, else its slot number + 1. */
  readonly #hashes: Int32Array | undefined;
  readonly #slot: Int32Array | undefined;
  readonly #mask: number = 0;
  /** Up to {@link SMALL} hashes: in slot order, searched one by one (no table to allocate). */
  readonly #few: number[] | undefined;
  #size = 0;

  /** A table for at most `capacity` distinct hashes. */
  constructor(capacity: number) {
    if (capacity <= SMALL) {
      this.#few = [];
      return;
    }
    let positions = 8;
    while (positions < capacity * 2) positions <<= 1;
    this.#hashes = new Int32Array(positions);
    this.#slot = new Int32Array(positions);
    this.#mask = positions - 1;
  }

  /** How many distinct hashes were added. */
  get size(): number {
    return this.#size;
  }

  /** The slot of `hash`, added with the next free slot number when new. */
  add(hash: number): number {
    if (this.#few) {
      const slot = this.#few.indexOf(hash);
      if (slot >= 0) return slot;
      this.#few.push(hash);
      return this.#size++;
    }
    const mask = this.#mask;
    // multiplicative spreading: the low bits of a polynomial hash of similar windows are not well mixed
    for (let i = Math.imul(hash, 0x9e3779b1) >>> 7; ; i++) {
      const at = i & mask;
      const slot = this.#slot![at]!;
      if (slot === 0) {
        this.#hashes![at] = hash;
        this.#slot![at] = ++this.#size;
        return this.#size - 1;
      }
      if (this.#hashes![at] === hash) return slot - 1;
    }
  }

  /** The slot of `hash`, or -1 when it was never added. */
  find(hash: number): number {
    if (this.#few) return this.#few.indexOf(hash);
    const mask = this.#mask;
    for (let i = Math.imul(hash, 0x9e3779b1) >>> 7; ; i++) {
      const at = i & mask;
      const slot = this.#slot![at]!;
      if (slot === 0) return -1;
      if (this.#hashes![at] === hash) return slot - 1;
    }
  }
}

/**
 * How often each key was asked for lately, approximately and in fixed
 * memory: a count-min sketch (four small counters per key, in four rows,
 * the smallest of them its estimate) whose counters are all halved once
 * the sketch has counted ten times as many requests as it has columns, so
 * that old popularity fades. This is the frequency half of TinyLFU
 * (Einziger, Friedman and Manes, 2017), which Caffeine and Ristretto use
 * to decide whether a newcomer deserves the place of the entry an LRU
 * would evict.
 *
 * @module
 */

const ROWS = 4;
/** Counters stop here (four bits' worth, as in the paper). */
const MAX_COUNT = 15;
/**
 * Columns: at least enough to tell a few keys apart however small the
 * cache, and few enough that a huge entry bound cannot take much memory.
 */
const MIN_WIDTH = 256;
const MAX_WIDTH = 1 << 20;

/** Approximate recent request counts for string keys. */
export class FrequencySketch {
  readonly #counters: Uint8Array;
  readonly #mask: number;
  readonly #sampleSize: number;
  #counted = 0;

  /** A sketch sized for about `expectedKeys` keys. */
  constructor(expectedKeys: number) {
    let width = MIN_WIDTH;
    while (width < expectedKeys && width < MAX_WIDTH) width *= 2;
    this.#counters = new Uint8Array(ROWS * width);
    this.#mask = width - 1;
    this.#sampleSize = 10 * width;
  }

  /** Counts one request for `key`. */
  increment(key: string): void {
    const [h1, h2] = hashes(key);
    let added = false;
    for (let row = 0; row < ROWS; row++) {
      const at = this.#cell(row, h1, h2);
      const count = this.#counters[at]!;
      if (count < MAX_COUNT) {
        this.#counters[at] = count + 1;
        added = true;
      }
    }
    if (added && ++this.#counted >= this.#sampleSize) this.#halve();
  }

  /** About how many requests for `key` were counted lately. */
  estimate(key: string): number {
    const [h1, h2] = hashes(key);
    let least = MAX_COUNT;
    for (let row = 0; row < ROWS; row++) {
      least = Math.min(least, this.#counters[this.#cell(row, h1, h2)]!);
    }
    return least;
  }

  #cell(row: number, h1: number, h2: number): number {
    return row * (this.#mask + 1) + ((h1 + row * h2) & this.#mask);
  }

  #halve(): void {
    const counters = this.#counters;
    for (let i = 0; i < counters.length; i++) counters[i] = counters[i]! >> 1;
    this.#counted = Math.floor(this.#counted / 2);
  }
}

/** Two independent 32-bit hashes of `key` (FNV-1a, and a remix of it). */
function hashes(key: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
  // An odd step visits every column of a power-of-two row.
  return [h >>> 0, ((g ^ (g >>> 16)) | 1) >>> 0];
}

/**
 * A least-recently-used map bounded both by the total cost of its values (in
 * bytes) and by their number.
 *
 * @module
 */

/** A value the LRU can hold: it says what it costs in bytes. */
export interface Costed {
  readonly cost: number;
}

/**
 * Least-recently-used map with two bounds: `maxCost` (the sum of the values'
 * `cost`) and `maxEntries`. A `Map` keeps insertion order, so moving a key
 * to the end on each use makes its first key the least recently used one.
 */
export class Lru<V extends Costed> {
  readonly maxCost: number;
  readonly maxEntries: number;
  #map = new Map<string, V>();
  #cost = 0;

  constructor(maxCost: number, maxEntries: number) {
    this.maxCost = maxCost;
    this.maxEntries = maxEntries;
  }

  /** The sum of the held values' costs. */
  get cost(): number {
    return this.#cost;
  }

  /** How many values are held. */
  get size(): number {
    return this.#map.size;
  }

  /** The value under `key`, now the most recently used; or `undefined`. */
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /**
   * Stores `value` under `key` as the most recently used, evicting the least
   * recently used values until both bounds hold. A value costing more than
   * the whole budget is not stored (and any old value under `key` goes).
   */
  set(key: string, value: V): void {
    this.delete(key);
    if (value.cost > this.maxCost || this.maxEntries < 1) return;
    this.#map.set(key, value);
    this.#cost += value.cost;
    for (const [oldest, old] of this.#map) {
      if (this.#cost <= this.maxCost && this.#map.size <= this.maxEntries) {
        break;
      }
      this.#map.delete(oldest);
      this.#cost -= old.cost;
    }
  }

  /** Removes the value under `key`, if any. */
  delete(key: string): void {
    const old = this.#map.get(key);
    if (old === undefined) return;
    this.#map.delete(key);
    this.#cost -= old.cost;
  }

  /** Removes every value. */
  clear(): void {
    this.#map.clear();
    this.#cost = 0;
  }
}

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

/** A held value and whether it was used since the eviction sweep last passed it. */
interface Slot<V> {
  value: V;
  used: boolean;
}

/**
 * Least-recently-used map with two bounds: `maxCost` (the sum of the values'
 * `cost`) and `maxEntries`, approximated as CLOCK (second chance): a hit
 * only marks its entry, and eviction goes through the entries oldest first,
 * moving a marked one to the back (unmarked) and removing the first
 * unmarked one. A hit therefore writes nothing to the map: moving the key on
 * every use, as exact LRU order needs, made the map rebuild its table every
 * few thousand hits, a large allocation for a cache of many files.
 */
export class Lru<V extends Costed> {
  readonly maxCost: number;
  readonly maxEntries: number;
  #map = new Map<string, Slot<V>>();
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

  /** The value under `key`, now marked as used; or `undefined`. */
  get(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  /**
   * Stores `value` under `key` as the newest, evicting until both bounds
   * hold (see the class). A value costing more than the whole budget is not
   * stored (and any old value under `key` goes).
   */
  set(key: string, value: V): void {
    this.delete(key);
    if (value.cost > this.maxCost || this.maxEntries < 1) return;
    this.#cost += value.cost;
    this.#evict(this.#map.size + 1);
    this.#map.set(key, { value, used: false });
  }

  /** Evicts until the cost bound holds and `count` entries fit the entry bound. */
  #evict(count: number): void {
    const map = this.#map;
    while (this.#cost > this.maxCost || count > this.maxEntries) {
      // Every entry gets at most one second chance per sweep, so this ends.
      const [oldest, slot] = map.entries().next().value as [string, Slot<V>];
      map.delete(oldest);
      if (slot.used) {
        slot.used = false;
        map.set(oldest, slot);
      } else {
        this.#cost -= slot.value.cost;
        count--;
      }
    }
  }

  /** Removes the value under `key`, if any. */
  delete(key: string): void {
    const old = this.#map.get(key);
    if (old === undefined) return;
    this.#map.delete(key);
    this.#cost -= old.value.cost;
  }

  /** Removes every value. */
  clear(): void {
    this.#map.clear();
    this.#cost = 0;
  }
}

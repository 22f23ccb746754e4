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

/** A held value, where it sits on the clock, and whether it was used since the hand last passed it. */
interface Slot<V> {
  readonly key: string;
  readonly value: V;
  readonly index: number;
  used: boolean;
}

/**
 * Least-recently-used map with two bounds: `maxCost` (the sum of the values'
 * `cost`) and `maxEntries`, approximated as CLOCK (second chance): entries
 * sit on a ring; a hit only marks its entry, and to make room a hand goes
 * round the ring, unmarking marked entries and removing the first unmarked
 * one. A hit writes nothing and an eviction moves nothing: exact LRU order,
 * kept by moving keys to the end of a `Map`, made the map rebuild its table
 * every few thousand hits and its first live key ever slower to find.
 */
export class Lru<V extends Costed> {
  readonly maxCost: number;
  readonly maxEntries: number;
  #map = new Map<string, Slot<V>>();
  #ring: (Slot<V> | null)[] = [];
  /** Places on the ring left empty by removals, the latest last. */
  #free: number[] = [];
  #hand = 0;
  #cost = 0;

  readonly #onRemove: ((value: V) => void) | null;

  /**
   * An LRU within both bounds; `onRemove` is told of every value that
   * leaves, whether evicted, replaced, deleted or cleared.
   */
  constructor(
    maxCost: number,
    maxEntries: number,
    onRemove: ((value: V) => void) | null = null,
  ) {
    this.maxCost = maxCost;
    this.maxEntries = maxEntries;
    this.#onRemove = onRemove;
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
   * Stores `value` under `key`, evicting until both bounds hold (see the
   * class). A value costing more than the whole budget is not stored (and
   * any old value under `key` goes).
   */
  set(key: string, value: V): void {
    this.delete(key);
    if (value.cost > this.maxCost || this.maxEntries < 1) return;
    this.#cost += value.cost;
    this.#evict(this.#map.size + 1);
    // The place just freed behind the hand, if any: the hand reaches it last.
    const index = this.#free.pop() ?? this.#ring.length;
    const slot: Slot<V> = { key, value, index, used: false };
    this.#ring[index] = slot;
    this.#map.set(key, slot);
  }

  /** Evicts until the cost bound holds and `count` entries fit the entry bound. */
  #evict(count: number): void {
    const ring = this.#ring;
    // Each turn of the hand unmarks every entry it passes, so this ends.
    while (this.#cost > this.maxCost || count > this.maxEntries) {
      if (this.#hand >= ring.length) this.#hand = 0;
      const slot = ring[this.#hand++];
      if (slot === null || slot === undefined) continue;
      if (slot.used) {
        slot.used = false;
      } else {
        this.#remove(slot);
        count--;
      }
    }
  }

  /**
   * The key of the value the next eviction would remove, if any: the hand
   * moves on as an eviction's would (unmarking the marked entries it
   * passes) and stops at it, so that the eviction takes that one.
   */
  peekVictim(): string | undefined {
    const ring = this.#ring;
    if (this.#map.size === 0) return undefined;
    while (true) {
      if (this.#hand >= ring.length) this.#hand = 0;
      const slot = ring[this.#hand];
      if (slot !== null && slot !== undefined) {
        if (!slot.used) return slot.key;
        slot.used = false;
      }
      this.#hand++;
    }
  }

  #remove(slot: Slot<V>): void {
    this.#map.delete(slot.key);
    this.#ring[slot.index] = null;
    this.#free.push(slot.index);
    this.#cost -= slot.value.cost;
    this.#onRemove?.(slot.value);
  }

  /** Removes the value under `key`, if any. */
  delete(key: string): void {
    const slot = this.#map.get(key);
    if (slot !== undefined) this.#remove(slot);
  }

  /** Removes every value. */
  clear(): void {
    const held = this.#map;
    this.#map = new Map();
    this.#ring = [];
    this.#free = [];
    this.#hand = 0;
    this.#cost = 0;
    for (const slot of held.values()) this.#onRemove?.(slot.value);
  }
}

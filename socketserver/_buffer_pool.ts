/**
 * Fixed-size buffers kept between connections. A server answering one
 * request per connection (Python's default HTTP/1.0) would otherwise
 * allocate a read buffer and a write buffer for every request, and
 * collecting them became a fifth of its CPU time.
 *
 * A buffer is given back only by its owner, once no system call can still
 * write into it or read from it; the pool never hands out a buffer twice.
 *
 * @module
 */

/**
 * A free list of equally sized buffers, bounded so that a burst of
 * connections does not keep its memory for ever.
 *
 * @example
 * ```ts
 * import { equal, notEqual } from "node:assert/strict";
 * import { BufferPool } from "./_buffer_pool.ts";
 * const pool = new BufferPool(1024, 2);
 * const first = pool.take();
 * equal(first.length, 1024);
 * pool.give(first);
 * equal(pool.take(), first); // reused
 * notEqual(pool.take(), first); // the pool is empty again: a new buffer
 * ```
 */
export class BufferPool {
  /** The length of every buffer of the pool. */
  readonly size: number;
  readonly #max: number;
  readonly #free: Uint8Array<ArrayBuffer>[] = [];

  /** A pool of `size`-byte buffers that keeps at most `max` free ones. */
  constructor(size: number, max: number) {
    this.size = size;
    this.#max = max;
  }

  /** A free buffer, or a new one. Its content is whatever was last in it. */
  take(): Uint8Array<ArrayBuffer> {
    return this.#free.pop() ?? new Uint8Array(this.size);
  }

  /** Takes `buffer` back for reuse; buffers of another size are left alone. */
  give(buffer: Uint8Array<ArrayBuffer>): void {
    if (
      buffer.length === this.size && buffer.byteOffset === 0 &&
      buffer.buffer.byteLength === this.size && this.#free.length < this.#max
    ) {
      this.#free.push(buffer);
    }
  }
}

/**
 * Writing a whole buffer to a file or connection, whose `write` may take
 * only part of it.
 *
 * @module
 */

/**
 * Writes all of `bytes` to `file`, calling `write` until it has taken
 * them.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { writeAll } from "./write_all.ts";
 * const taken: number[] = [];
 * // A file that takes at most two bytes a write.
 * const file = {
 *   write(p: Uint8Array): Promise<number> {
 *     const n = Math.min(2, p.length);
 *     taken.push(...p.subarray(0, n));
 *     return Promise.resolve(n);
 *   },
 * };
 * await writeAll(file, new Uint8Array([1, 2, 3, 4, 5]));
 * equal(taken.join(), "1,2,3,4,5");
 * ```
 */
export async function writeAll(
  file: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    at += await file.write(bytes.subarray(at));
  }
}

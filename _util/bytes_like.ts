/**
 * Python's bytes-like objects in JavaScript: any view of binary memory
 * (`Uint8Array`, other typed arrays, `DataView`) or an `ArrayBuffer`, read
 * as the bytes it holds.
 *
 * Follows CPython 3.13 `Objects/abstract.c`, `PyObject_GetBuffer` (the buffer protocol).
 *
 * @module
 */

import { typeName } from "./py_type_name.ts";

/** What Python accepts where it asks for a bytes-like object. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

/**
 * Whether `value` is bytes-like.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isBytesLike } from "./bytes_like.ts";
 * equal(isBytesLike(new ArrayBuffer(2)), true);
 * equal(isBytesLike("text"), false);
 * ```
 */
export function isBytesLike(value: unknown): value is BytesLike {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * The bytes of `value` as a `Uint8Array` over the same memory (no copy):
 * every byte of a wider typed array, as Python's `memoryview` gives them.
 *
 * @throws {TypeError} When `value` is not bytes-like, in Python's words.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { asBytes } from "./bytes_like.ts";
 * equal(asBytes(new Uint16Array([1, 2])).length, 4);
 * ```
 */
export function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(
    `a bytes-like object is required, not '${typeName(value)}'`,
  );
}

/**
 * `bytes` typed as the web APIs that take a `BufferSource` want them:
 * `bytes` itself when its buffer is a plain `ArrayBuffer`, else (a
 * `SharedArrayBuffer`) a copy. For bytes handed to users that come from
 * elsewhere (a caller's own file object, a Node `Buffer`).
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return isOwned(bytes) ? bytes : bytes.slice();
}

function isOwned(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}

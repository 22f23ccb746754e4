/**
 * Python's `UnicodeEncodeError` and `UnicodeDecodeError`, with the messages
 * CPython 3.13 gives them.
 *
 * Follows CPython 3.13 `Objects/exceptions.c`, `UnicodeEncodeError` and `UnicodeDecodeError`.
 *
 * @module
 */
import { escapeCodePoint } from "../py_repr.ts";

/**
 * Python's `UnicodeEncodeError`: a `TypeError`, since Python's is a
 * `ValueError`.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { encodeText, UnicodeEncodeError } from "./mod.ts";
 * throws(() => encodeText("é", "ascii"), (e: unknown) => {
 *   equal((e as UnicodeEncodeError).start, 0);
 *   return e instanceof UnicodeEncodeError && e instanceof TypeError;
 * });
 * ```
 */
export class UnicodeEncodeError extends TypeError {
  /** Python's class name. */
  override name = "UnicodeEncodeError";
  /**
   * Builds the error with Python's message.
   *
   * @param encoding codec name as Python reports it (`'charmap'` for code pages)
   * @param object the text being encoded
   * @param start first bad code point (counted in code points, as Python does)
   * @param end one past the last bad code point
   * @param reason Python's reason text
   * @param badCodePoint the code point at `start`, quoted in the message
   */
  constructor(
    readonly encoding: string,
    readonly object: string,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
    badCodePoint: number,
  ) {
    super(
      end - start === 1
        ? `'${encoding}' codec can't encode character '${
          escapeCodePoint(badCodePoint)
        }' in position ${start}: ${reason}`
        : `'${encoding}' codec can't encode characters in position ${start}-${
          end - 1
        }: ${reason}`,
    );
  }
}

/**
 * Python's `UnicodeDecodeError`: a `TypeError`, since Python's is a
 * `ValueError`.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { decodeBytes } from "./mod.ts";
 * throws(() => decodeBytes(new Uint8Array([0xff])), {
 *   name: "UnicodeDecodeError",
 *   message: "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
 * });
 * ```
 */
export class UnicodeDecodeError extends TypeError {
  /** Python's class name. */
  override name = "UnicodeDecodeError";
  /**
   * Builds the error with Python's message.
   *
   * @param encoding codec name as Python reports it
   * @param object the bytes being decoded
   * @param start first bad byte
   * @param end one past the last bad byte
   * @param reason Python's reason text
   */
  constructor(
    readonly encoding: string,
    readonly object: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
  ) {
    super(
      end - start === 1
        ? `'${encoding}' codec can't decode byte 0x${
          hex2(object[start] ?? 0)
        } in position ${start}: ${reason}`
        : `'${encoding}' codec can't decode bytes in position ${start}-${
          end - 1
        }: ${reason}`,
    );
  }
}

/** Two lower-case hex digits, as Python prints a byte (`0x%02x`). */
export function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

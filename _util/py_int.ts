/**
 * Python's `int(text)` for decimal text: an optional sign, digits with
 * single underscores between them, and surrounding whitespace, nothing
 * else (no `0x`, exponent or fraction, which JavaScript's `Number` takes).
 *
 * Follows CPython 3.13 `Objects/longobject.c`, `PyLong_FromString` (base 10).
 *
 * @module
 */

const DECIMAL = /^[+-]?\d+(?:_\d+)*$/;

/**
 * The value of `text` as Python's `int(text)` reads it, or `null` where
 * Python raises `ValueError`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyInt } from "./py_int.ts";
 * equal(pyInt(" 1_024 "), 1024);
 * equal(pyInt("0x10"), null);
 * equal(pyInt("3.0"), null);
 * ```
 */
export function pyInt(text: string): number | null {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed.replaceAll("_", "")) : null;
}

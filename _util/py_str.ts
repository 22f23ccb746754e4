/**
 * Python's notion of whitespace for `str.strip()` and `str.split()`, which
 * differs from JavaScript's `trim()`: Python strips the information
 * separators U+001C..U+001F and NEL (U+0085), and keeps U+FEFF (the BOM).
 *
 * Follows CPython 3.13 `Objects/unicodectype.c`, `_PyUnicode_IsWhitespace` (the characters `str.isspace()` accepts).
 *
 * @module
 */

/** Every character for which Python's `str.isspace()` is true. */
export const PY_SPACE: string = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" +
  "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
  "\u2028\u2029\u202f\u205f\u3000";

/**
 * Python's `text.strip(chars)`: `text` without the characters of `chars`
 * (by default Python whitespace) at either end.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyStrip } from "./py_str.ts";
 * equal(pyStrip("\x1c a \x85"), "a");
 * equal(pyStrip("\ufeffa"), "\ufeffa");
 * equal(pyStrip(" \xa0a\t", " \t"), "\xa0a");
 * ```
 */
export function pyStrip(text: string, chars: string = PY_SPACE): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text.charAt(start))) start++;
  while (end > start && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** What Python strips from bytes (`bytes.strip()`, `int(b" 5 ")`): ASCII whitespace. */
export const ASCII_SPACE = " \t\n\v\f\r";

/**
 * Python's `text.rstrip()`: `text` without Python whitespace at its end.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyRstrip } from "./py_str.ts";
 * equal(pyRstrip(" a \x85"), " a");
 * ```
 */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && PY_SPACE.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** A run of Python whitespace. */
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE}]+`);

/**
 * Python's `text.split()` (no separator): the words between runs of Python
 * whitespace, none empty.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { pySplit } from "./py_str.ts";
 * deepEqual(pySplit(" a\x1cb \x85c "), ["a", "b", "c"]);
 * deepEqual(pySplit("a\ufeffb"), ["a\ufeffb"]);
 * ```
 */
export function pySplit(text: string): string[] {
  return text.split(PY_SPACE_RUN).filter((word) => word !== "");
}

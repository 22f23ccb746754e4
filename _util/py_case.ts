/**
 * Python 3.13's `str.lower()` and `str.upper()`, which follow the Unicode
 * 15.1 database: JavaScript's `toLowerCase()` and `toUpperCase()` follow
 * V8's newer one, where a few letters gained a case form that Python does
 * not know.
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, `unicode_lower_impl` and `unicode_upper_impl`, with `Objects/unicodetype_db.h` (Unicode 15.1).
 *
 * @module
 */

// Letters that gained a lower-case mapping after Unicode 15.1: Python
// leaves them as they are, V8 does not.
const NEWER_CASED = /([\u1C89\uA7CB\uA7CC\uA7DA\uA7DC\u{10D50}-\u{10D65}])/u;
// Letters that gained an upper-case mapping after Unicode 15.1.
const NEWER_UPPER = /[\u019B\u0264\u1C8A\uA7CD\uA7DB\u{10D70}-\u{10D85}]/u;

/**
 * Python 3.13's `text.lower()`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyLower } from "./py_case.ts";
 * equal(pyLower("HeLLo"), "hello");
 * equal(pyLower("\u1C89"), "\u1C89"); // no lower case in Unicode 15.1
 * ```
 */
export function pyLower(text: string): string {
  if (!NEWER_CASED.test(text)) return text.toLowerCase();
  // Split parts keep the letters at odd indexes; they are not cased to
  // Python, so they also end any final-sigma context, as a split does.
  return text.split(NEWER_CASED)
    .map((part, i) => (i % 2 === 1 ? part : part.toLowerCase()))
    .join("");
}

/**
 * Python 3.13's `text.upper()`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyUpper } from "./py_case.ts";
 * equal(pyUpper("straße"), "STRASSE");
 * equal(pyUpper("\u0264"), "\u0264"); // no upper case in Unicode 15.1
 * ```
 */
export function pyUpper(text: string): string {
  if (!NEWER_UPPER.test(text)) return text.toUpperCase();
  // Upper-casing has no context: each code point maps on its own.
  return Array.from(
    text,
    (char) => NEWER_UPPER.test(char) ? char : char.toUpperCase(),
  ).join("");
}

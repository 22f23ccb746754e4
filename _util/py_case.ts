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
// Letters whose title case (a word's first letter to str.title() and
// str.capitalize()) is not their upper case, by Unicode 15.1, beside two
// runs handled in pyTitleChar: Georgian letters (their capitals are no
// title case) and Greek letters with a iota below (U+1F80-U+1FAF).
const TITLE_CASE: Readonly<Record<string, string>> = {
  "\u00df": "Ss",
  "\u01c4": "\u01c5",
  "\u01c5": "\u01c5",
  "\u01c6": "\u01c5",
  "\u01c7": "\u01c8",
  "\u01c8": "\u01c8",
  "\u01c9": "\u01c8",
  "\u01ca": "\u01cb",
  "\u01cb": "\u01cb",
  "\u01cc": "\u01cb",
  "\u01f1": "\u01f2",
  "\u01f2": "\u01f2",
  "\u01f3": "\u01f2",
  "\u0587": "\u0535\u0582",
  "\u1fb2": "\u1fba\u0345",
  "\u1fb3": "\u1fbc",
  "\u1fb4": "\u0386\u0345",
  "\u1fb7": "\u0391\u0342\u0345",
  "\u1fbc": "\u1fbc",
  "\u1fc2": "\u1fca\u0345",
  "\u1fc3": "\u1fcc",
  "\u1fc4": "\u0389\u0345",
  "\u1fc7": "\u0397\u0342\u0345",
  "\u1fcc": "\u1fcc",
  "\u1ff2": "\u1ffa\u0345",
  "\u1ff3": "\u1ffc",
  "\u1ff4": "\u038f\u0345",
  "\u1ff7": "\u03a9\u0342\u0345",
  "\u1ffc": "\u1ffc",
  "\ufb00": "Ff",
  "\ufb01": "Fi",
  "\ufb02": "Fl",
  "\ufb03": "Ffi",
  "\ufb04": "Ffl",
  "\ufb05": "St",
  "\ufb06": "St",
  "\ufb13": "\u0544\u0576",
  "\ufb14": "\u0544\u0565",
  "\ufb15": "\u0544\u056b",
  "\ufb16": "\u054e\u0576",
  "\ufb17": "\u0544\u056d",
};

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

/**
 * Python 3.13's title case of one character (`ch`, a code point): what
 * `str.title()` and `str.capitalize()` make of a word's first letter. It
 * is the upper case but for a few: `ß` is `Ss`, `ǆ` is `ǅ`, `ﬁ` is `Fi`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyTitleChar } from "./py_case.ts";
 * equal(pyTitleChar("a"), "A");
 * equal(pyTitleChar("\u00df"), "Ss");
 * equal(pyTitleChar("\u01c6"), "\u01c5");
 * ```
 */
export function pyTitleChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0xdf) return ch.toUpperCase();
  const special = TITLE_CASE[ch];
  if (special !== undefined) return special;
  if (
    (code >= 0x10d0 && code <= 0x10fa) || (code >= 0x10fd && code <= 0x10ff)
  ) {
    return ch;
  }
  // The title case of U+1F80-U+1F87 is U+1F88-U+1F8F, and likewise.
  if (code >= 0x1f80 && code <= 0x1faf) return String.fromCodePoint(code | 8);
  return pyUpper(ch);
}

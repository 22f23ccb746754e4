/**
 * Python's `int(text)` for decimal text: an optional sign, digits with
 * single underscores between them, and surrounding whitespace (Python's:
 * NEL and no-break spaces too, not the BOM), nothing else (no `0x`,
 * exponent or fraction, which JavaScript's `Number` takes).
 *
 * Also Python's `float(text)` (`pyFloat`): digits with underscores, a
 * fraction, an exponent, `inf` and `nan`.
 *
 * Follows CPython 3.13 `Objects/longobject.c`, `PyLong_FromString` (base 10), and `Python/pystrtod.c` for `float()`.
 *
 * @module
 */

import { PY_SPACE } from "./py_str.ts";

/**
 * The whitespace `int()` and `float()` strip: ASCII's and Unicode's beyond
 * it, but not the separators U+001C-U+001F, which `str.strip()` takes
 * (CPython keeps characters below 127 as they are before parsing).
 */
// deno-lint-ignore no-control-regex
const NUMBER_SPACE = PY_SPACE.replace(/[\x1c-\x1f]/g, "");

function stripSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && NUMBER_SPACE.includes(text.charAt(start))) start++;
  while (end > start && NUMBER_SPACE.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

const DECIMAL = /^[+-]?\d+(?:_\d+)*$/;

/**
 * Python's default `sys.get_int_max_str_digits()`: `int()` refuses decimal
 * text of more digits (leading zeros count; the sign and underscores do
 * not) with ValueError.
 */
const MAX_STR_DIGITS = 4300;

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
  const trimmed = stripSpace(text);
  if (!DECIMAL.test(trimmed)) return null;
  const plain = trimmed.replaceAll("_", "");
  const sign = plain[0] === "+" || plain[0] === "-" ? 1 : 0;
  return plain.length - sign > MAX_STR_DIGITS ? null : Number(plain);
}

const DIGITS = String.raw`\d+(?:_\d+)*`;
const FLOAT = new RegExp(
  String
    .raw`^[+-]?(?:(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.?)(?:[eE][+-]?${DIGITS})?$`,
);
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * The value of `text` as Python's `float(text)` reads it, or `null` where
 * Python raises `ValueError`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { pyFloat } from "./py_int.ts";
 * equal(pyFloat(" 1_0.5e1 "), 105);
 * equal(pyFloat("-inf"), -Infinity);
 * equal(pyFloat("0x10"), null);
 * ```
 */
export function pyFloat(text: string): number | null {
  const trimmed = stripSpace(text);
  if (SPECIAL.test(trimmed)) {
    return /nan/i.test(trimmed)
      ? NaN
      : trimmed.startsWith("-")
      ? -Infinity
      : Infinity;
  }
  return FLOAT.test(trimmed) ? Number(trimmed.replaceAll("_", "")) : null;
}

/**
 * pyInt and pyFloat against what CPython 3.13's int() and float() answer
 * for the same text (checked with python3.13; `null` where it raises
 * ValueError).
 */
import { equal } from "node:assert/strict";
import { pyFloat, pyInt } from "../../_util/py_int.ts";

Deno.test("pyInt and pyFloat read text as Python's int() and float() do", () => {
  const cases: [string, number | null, number | null][] = [
    [" 1_024 ", 1024, 1024],
    ["+7", 7, 7],
    ["0x10", null, null],
    ["3.0", null, 3],
    ["1_", null, null],
    ["_1", null, null],
    ["1__0", null, null],
    [".", null, null],
    ["1e", null, null],
    ["1.5E+3", null, 1500],
    ["5.", null, 5],
    [".5", null, 0.5],
    ["1e_5", null, null],
    ["-inf", null, -Infinity],
    ["Infinity", null, Infinity],
    // Python's whitespace: NEL and no-break spaces strip; the BOM and the
    // separators U+001C-U+001F do not (int() keeps ASCII as it is).
    ["\x8512", 12, 12],
    ["\u00a07\u3000", 7, 7],
    ["\ufeff12", null, null],
    ["\x1c5\x1f", null, null],
  ];
  for (const [text, int, float] of cases) {
    equal(pyInt(text), int, `int(${JSON.stringify(text)})`);
    equal(pyFloat(text), float, `float(${JSON.stringify(text)})`);
  }
  equal(Number.isNaN(pyFloat(" nan ")), true);
});

Deno.test("pyInt refuses more than 4,300 digits, as Python's int() does by default", () => {
  // sys.get_int_max_str_digits(): the sign and underscores do not count,
  // leading zeros do. An HTTP date's zone of 5,000 digits is thereby no
  // zone at all in CPython, and the date is read as UTC.
  equal(pyInt("1".repeat(4300)), Infinity);
  equal(pyInt("-" + "1".repeat(4300)), -Infinity);
  equal(pyInt(" +" + "1".repeat(4300) + " "), Infinity);
  equal(pyInt("1_".repeat(4299) + "1"), Infinity);
  equal(pyInt("1".repeat(4301)), null);
  equal(pyInt("+" + "1".repeat(4301)), null);
  equal(pyInt("0".repeat(4301)), null);
  equal(pyInt("0".repeat(4300)), 0);
  equal(pyFloat("1".repeat(5000)), Infinity);
});

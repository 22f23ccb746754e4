/**
 * Python's `str()` and `repr()` for the JavaScript values urlencode and
 * parse_qsl meet, so query strings and error messages read as Python's.
 *
 * @module
 */

import { reprBytes, reprStr } from "./_split_codec.ts";

/**
 * Python's `str()` of a number. Safe integers print as Python ints (`1`,
 * not `1.0`); every other number as a Python float, whose exponent form
 * starts at 1e16 and below 1e-4 and has at least two exponent digits.
 */
export function pyNumberStr(value: number): string {
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  const [mantissa, exponent] = value.toExponential().split("e") as [
    string,
    string,
  ];
  const exp = Number(exponent);
  if (exp >= -4 && exp < 16) {
    const fixed = String(value);
    return Number.isInteger(value) ? fixed + ".0" : fixed;
  }
  const sign = exp < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function isPlainRecord(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Python's `str()` for what a JavaScript caller may pass: `true` -> `True`,
 * `null` and `undefined` -> `None`, arrays as lists, plain objects and Maps
 * as dicts, Sets as sets, bytes as `b'...'`; other objects use their own
 * `toString()`.
 */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return pyNumberStr(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "True" : "False";
    case "undefined":
      return "None";
    case "symbol":
      throw new TypeError(`cannot convert ${String(value)} to str`);
    case "function":
      return String(value);
  }
  if (value === null) return "None";
  if (value instanceof Uint8Array) return reprBytes(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Set) {
    return value.size === 0
      ? "set()"
      : `{${[...value].map(pyRepr).join(", ")}}`;
  }
  if (value instanceof Map) return reprEntries(value.entries());
  if (isPlainRecord(value as object)) {
    return reprEntries(Object.entries(value as Record<string, unknown>));
  }
  return String(value);
}

function reprEntries(entries: Iterable<[unknown, unknown]>): string {
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(`${pyRepr(k)}: ${pyRepr(v)}`);
  return `{${parts.join(", ")}}`;
}

/** Python's `repr()`: quoted str and bytes, otherwise {@linkcode pyStr}. */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") return reprStr(value);
  return pyStr(value);
}

/**
 * Python's printf-style `%` string formatting (`"%s - %d" % (a, b)`), enough
 * for the logging and error-page templates Python programs carry over:
 * conversions `s r a d i u x X o f F e E g G c %`, the flags `- + 0 # space`,
 * widths, precisions (including `*`) and `%(name)s` mapping keys.
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, `PyUnicode_Format` (the
 * printf-style `str % args`).
 *
 * @module
 */

import { typeName } from "./py_type_name.ts";
import { pyAscii, pyRepr, pyStr } from "./py_repr.ts";

/** CPython keeps a width in a C `Py_ssize_t` and a precision in an `int`. */
const SSIZE_MAX = 2n ** 63n - 1n;
const INT_MAX = 2 ** 31 - 1;

/**
 * V8's longest string (`String::kMaxLength`): padding beyond it (where
 * CPython would build the string, or raise MemoryError) is refused with a
 * message that says so, not V8's bare "Invalid string length".
 */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

const INTEGER_CONVERSIONS = "diuxXo";
const FLOAT_CONVERSIONS = "eEfFgG";
const TEXT_CONVERSIONS = "sra";
const CONVERSIONS = new Set([
  ...INTEGER_CONVERSIONS,
  ...FLOAT_CONVERSIONS,
  ...TEXT_CONVERSIONS,
  "c",
]);

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
}

/** `text` repeated `count` times, refusing a length V8 cannot hold. */
function repeat(text: string, count: number): string {
  if (count <= 0) return "";
  if (count > MAX_STRING_LENGTH) {
    throw new RangeError("formatted string too long");
  }
  return text.repeat(count);
}

/** Python counts code points; a surrogate pair is one. */
function codePointLength(text: string): number {
  const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return text.length - (pairs?.length ?? 0);
}

/** The name of `value`'s Python type; a missing value is None. */
function pyTypeName(value: unknown): string {
  return value === undefined ? "NoneType" : typeName(value);
}

/** Whether a JavaScript value is a Python int (a bool is one). */
function isPyInt(value: unknown): value is number | bigint | boolean {
  return typeof value === "bigint" || typeof value === "boolean" ||
    Number.isSafeInteger(value);
}

// ---------------------------------------------------------------------------
// Arguments and parsing, in CPython's order: a key is looked up, then each
// `*` takes its argument as it is read, then the conversion takes its own
// before its character is checked.

/** Where conversions take their arguments from, as CPython's formatter. */
class ArgumentCursor {
  readonly #mapping: Readonly<Record<string, unknown>> | null;
  #values: readonly unknown[];
  #next = 0;

  constructor(args: readonly unknown[] | Readonly<Record<string, unknown>>) {
    const tuple = Array.isArray(args);
    this.#mapping = tuple ? null : args as Readonly<Record<string, unknown>>;
    // A mapping is also the one argument of a conversion without a key (`%s`
    // shows it whole), as in Python, until a key or such a conversion used it.
    this.#values = tuple ? args : [args];
  }

  take(): unknown {
    if (this.#next >= this.#values.length) {
      throw new TypeError("not enough arguments for format string");
    }
    return this.#values[this.#next++];
  }

  /**
   * Reads the `(key)` opening at `format[open]` and makes its value the one
   * argument of its conversion, `*`s included. Returns where the key ends.
   */
  useKey(format: string, open: number): number {
    const mapping = this.#mapping;
    // CPython wants a mapping before it reads the key.
    if (mapping === null) throw new TypeError("format requires a mapping");
    const close = keyEnd(format, open + 1);
    const key = format.slice(open + 1, close);
    // Python's KeyError, its text (the key's repr) prefixed to say what failed.
    if (!Object.hasOwn(mapping, key)) {
      throw new RangeError(`format key not found: ${pyRepr(key)}`);
    }
    this.#values = [mapping[key]];
    this.#next = 0;
    return close + 1;
  }

  /** Python refuses a tuple with items left over, never a mapping. */
  checkAllUsed(): void {
    if (this.#mapping === null && this.#next < this.#values.length) {
      throw new TypeError(
        "not all arguments converted during string formatting",
      );
    }
  }
}

/** The end of a `(key)` whose `(` is just before `start`. */
function keyEnd(format: string, start: number): number {
  // CPython balances parentheses inside a key: `%(a(b))s` names "a(b)".
  let depth = 1;
  for (let i = start; i < format.length; i++) {
    if (format[i] === "(") depth++;
    else if (format[i] === ")" && --depth === 0) return i;
  }
  throw new TypeError("incomplete format key");
}

const DIGITS = /\d+/y;

function digitsAt(format: string, at: number): string {
  DIGITS.lastIndex = at;
  return DIGITS.exec(format)?.[0] ?? "";
}

/** A literal width or precision, within the C type CPython parses it into. */
function literalNumber(digits: string, limit: bigint, what: string): number {
  if (BigInt(digits) > limit) throw new RangeError(`${what} too big`);
  return Number(digits);
}

/** A `*` argument: a Python int (a bool is one) within a C type. */
function starArgument(value: unknown, min: bigint, max: bigint): number {
  if (!isPyInt(value)) throw new TypeError("* wants int");
  const n = BigInt(value);
  if (n < min || n > max) {
    const cType = max === SSIZE_MAX ? "ssize_t" : "int";
    throw new RangeError(`Python int too large to convert to C ${cType}`);
  }
  return Number(n);
}

interface Conversion {
  readonly conv: string;
  /** Where the conversion character starts. */
  readonly at: number;
  readonly spec: Spec;
}

/** Reads the conversion after a `%` at `start - 1`, taking `*` arguments. */
function parseConversion(
  format: string,
  start: number,
  args: ArgumentCursor,
): Conversion {
  let i = start;
  if (format[i] === "(") i = args.useKey(format, i);
  let flags = "";
  while (i < format.length && "-+ #0".includes(format.charAt(i))) {
    flags += format[i++];
  }
  let width = 0;
  if (format[i] === "*") {
    width = starArgument(args.take(), -SSIZE_MAX - 1n, SSIZE_MAX);
    i++;
  } else {
    const digits = digitsAt(format, i);
    if (digits) width = literalNumber(digits, SSIZE_MAX, "width");
    i += digits.length;
  }
  if (width < 0) {
    flags += "-";
    // CPython negates in a C ssize_t, where -2**63 stays negative: no width.
    width = width === -(2 ** 63) ? 0 : -width;
  }
  let precision: number | undefined;
  if (format[i] === ".") {
    i++;
    if (format[i] === "*") {
      const star = starArgument(
        args.take(),
        BigInt(-INT_MAX - 1),
        BigInt(INT_MAX),
      );
      precision = Math.max(star, 0);
      i++;
    } else {
      const digits = digitsAt(format, i);
      precision = digits
        ? literalNumber(digits, BigInt(INT_MAX), "precision")
        : 0;
      i += digits.length;
    }
  }
  // A length modifier (`%ld`) means nothing in Python; one is skipped.
  if (i < format.length && "hlL".includes(format.charAt(i))) i++;
  if (i >= format.length) throw new TypeError("incomplete format");
  const conv = String.fromCodePoint(format.codePointAt(i) ?? 0);
  return { conv, at: i, spec: { flags, width, precision } };
}

/** Python's error for a conversion character it does not know. */
function unsupportedCharacter(
  format: string,
  conv: string,
  at: number,
): TypeError {
  const code = conv.codePointAt(0) ?? 0;
  // CPython prints the character only when it is plain ASCII.
  const shown = code >= 31 && code <= 126 ? conv : "?";
  return new TypeError(
    `unsupported format character '${shown}' (0x${code.toString(16)}) ` +
      `at index ${codePointLength(format.slice(0, at))}`,
  );
}

// ---------------------------------------------------------------------------
// Padding: CPython writes the sign, then any `0x`/`0X`/`0o` prefix, before
// the zeros of the `0` flag, and counts the width in code points.

function signOf(negative: boolean, flags: string): string {
  if (negative) return "-";
  if (flags.includes("+")) return "+";
  if (flags.includes(" ")) return " ";
  return "";
}

/** `head` (sign and prefix) and `body` padded to the width. */
function pad(
  head: string,
  body: string,
  spec: Spec,
  numeric: boolean,
): string {
  const { flags, width } = spec;
  const text = head + body;
  const missing = width - codePointLength(text);
  if (missing <= 0) return text;
  if (flags.includes("-")) return text + repeat(" ", missing);
  // Only numbers take the `0` flag, nan and inf included.
  if (numeric && flags.includes("0")) {
    return head + repeat("0", missing) + body;
  }
  return repeat(" ", missing) + text;
}

// ---------------------------------------------------------------------------
// Integers.

function toInteger(value: unknown, conv: string): bigint {
  if (isPyInt(value)) return BigInt(value);
  const hexOrOctal = conv === "x" || conv === "X" || conv === "o";
  if (typeof value === "number" && !hexOrOctal) {
    // `%d` truncates a float as int() does; `%x` and `%o` want an index.
    if (Number.isFinite(value)) return BigInt(Math.trunc(value));
    const what = Number.isNaN(value) ? "NaN" : "infinity";
    throw new RangeError(`cannot convert float ${what} to integer`);
  }
  const kind = hexOrOctal
    ? "an integer is required"
    : "a real number is required";
  throw new TypeError(`%${conv} format: ${kind}, not ${pyTypeName(value)}`);
}

function formatInteger(value: unknown, conv: string, spec: Spec): string {
  const n = toInteger(value, conv);
  const magnitude = n < 0n ? -n : n;
  const radix = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
  let digits = magnitude.toString(radix);
  const precision = spec.precision ?? 0;
  // CPython keeps room for a sign and prefix within a C int.
  if (precision > INT_MAX - 3) throw new RangeError("precision too large");
  digits = repeat("0", precision - digits.length) + digits;
  let prefix = "";
  if (spec.flags.includes("#") && radix !== 10) {
    prefix = radix === 8 ? "0o" : "0x";
  }
  if (conv === "X") {
    digits = digits.toUpperCase();
    prefix = prefix.toUpperCase();
  }
  return pad(signOf(n < 0n, spec.flags) + prefix, digits, spec, true);
}

// ---------------------------------------------------------------------------
// Floats. JavaScript's toFixed and toExponential stop at 100 digits, write
// 1e21 and above in exponent form and round ties half-up; Python rounds the
// exact binary value half-to-even at any precision. Every finite double is
// exactly a decimal fraction, so it is expanded through BigInt and rounded
// as a digit string.

/** A finite double ≥ 0, exactly: `digits` × 10^-`scale`. */
interface ExactDecimal {
  readonly digits: string;
  readonly scale: number;
}

function exactDecimal(x: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number(bits >> 52n) & 0x7ff;
  const fraction = bits & (2n ** 52n - 1n);
  // Subnormals have no implicit leading bit and the smallest exponent.
  const mantissa = biasedExponent === 0 ? fraction : fraction | 2n ** 52n;
  const exponent = Math.max(biasedExponent, 1) - 1075;
  if (exponent >= 0) {
    return { digits: (mantissa << BigInt(exponent)).toString(), scale: 0 };
  }
  // m × 2^-k = m × 5^k / 10^k: k decimal places hold it exactly.
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return { digits, scale: -exponent };
}

/** The value × 10^`places`, rounded half-to-even to an integer's digits. */
function scaledDigits({ digits, scale }: ExactDecimal, places: number): string {
  const dropped = scale - places;
  if (dropped <= 0) return digits + repeat("0", -dropped);
  if (dropped > digits.length) return "0";
  const kept = digits.slice(0, digits.length - dropped);
  const next = digits.charAt(kept.length);
  const beyond = digits.slice(kept.length + 1);
  const odd = /[13579]$/.test(kept);
  const up = next > "5" || (next === "5" && (odd || /[1-9]/.test(beyond)));
  return up ? (BigInt("0" + kept) + 1n).toString() : kept || "0";
}

/** `whole.fraction`; `#` keeps the point when there is no fraction. */
function withPoint(whole: string, fraction: string, alt: boolean): string {
  return fraction || alt ? `${whole}.${fraction}` : whole;
}

function fixedNotation(
  x: ExactDecimal,
  precision: number,
  alt: boolean,
): string {
  let digits = scaledDigits(x, precision);
  digits = repeat("0", precision + 1 - digits.length) + digits;
  const point = digits.length - precision;
  return withPoint(digits.slice(0, point), digits.slice(point), alt);
}

/** `x` rounded to `count` significant digits, and the first one's power. */
function significant(
  x: ExactDecimal,
  count: number,
): { digits: string; exponent: number } {
  let exponent = x.digits === "0" ? 0 : x.digits.length - 1 - x.scale;
  let digits = scaledDigits(x, count - 1 - exponent);
  digits = repeat("0", count - digits.length) + digits;
  if (digits.length > count) {
    // Rounding carried into a new leading digit (9.99 to 10.0).
    exponent++;
    digits = digits.slice(0, count);
  }
  return { digits, exponent };
}

function exponentNotation(
  digits: string,
  exponent: number,
  alt: boolean,
): string {
  // Python writes at least two exponent digits: 1e+05.
  const power = String(Math.abs(exponent)).padStart(2, "0");
  const sign = exponent < 0 ? "-" : "+";
  return `${withPoint(digits.charAt(0), digits.slice(1), alt)}e${sign}${power}`;
}

/** `%g`: fixed or exponent form by the rounded exponent, zeros trimmed. */
function generalNotation(
  x: ExactDecimal,
  precision: number,
  alt: boolean,
): string {
  const count = Math.max(precision, 1);
  const { digits, exponent } = significant(x, count);
  // Trailing zeros go unless `#`; the rest places the point.
  const shown = alt ? digits : digits.replace(/(?<=.)0+$/, "");
  if (exponent < -4 || exponent >= count) {
    return exponentNotation(shown, exponent, alt);
  }
  if (exponent < 0) {
    return withPoint("0", repeat("0", -exponent - 1) + shown, alt);
  }
  const whole = shown.slice(0, exponent + 1);
  return withPoint(
    whole + repeat("0", exponent + 1 - whole.length),
    shown.slice(exponent + 1),
    alt,
  );
}

function toFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return Number(value);
  if (typeof value === "bigint") {
    // Like Python's float(int): rounded half-to-even, or refused.
    const x = Number(value);
    if (!Number.isFinite(x)) {
      throw new RangeError("int too large to convert to float");
    }
    return x;
  }
  throw new TypeError(`must be real number, not ${pyTypeName(value)}`);
}

function formatFloat(value: unknown, conv: string, spec: Spec): string {
  const x = toFloat(value);
  const precision = spec.precision ?? 6;
  const alt = spec.flags.includes("#");
  let body: string;
  if (Number.isNaN(x)) body = "nan";
  else if (!Number.isFinite(x)) body = "inf";
  else {
    const exact = exactDecimal(Math.abs(x));
    const kind = conv.toLowerCase();
    if (kind === "f") body = fixedNotation(exact, precision, alt);
    else if (kind === "g") body = generalNotation(exact, precision, alt);
    else {
      const { digits, exponent } = significant(exact, precision + 1);
      body = exponentNotation(digits, exponent, alt);
    }
  }
  if (conv !== conv.toLowerCase()) body = body.toUpperCase();
  const negative = x < 0 || Object.is(x, -0);
  return pad(signOf(negative, spec.flags), body, spec, true);
}

// ---------------------------------------------------------------------------
// Text.

/** What `%c` shows: a code point given as an int, or a one-character str. */
function charOf(value: unknown): string {
  if (isPyInt(value)) {
    const code = BigInt(value);
    if (code < 0n || code > 0x10ffffn) {
      throw new RangeError("%c arg not in range(0x110000)");
    }
    return String.fromCodePoint(Number(code));
  }
  if (typeof value === "string" && codePointLength(value) === 1) return value;
  throw new TypeError("%c requires int or char");
}

function formatText(value: unknown, conv: string, spec: Spec): string {
  const text = conv === "s"
    ? pyStr(value)
    : conv === "r"
    ? pyRepr(value)
    : pyAscii(value);
  const { precision } = spec;
  // The precision counts code points, as Python's does.
  const cut = precision === undefined || precision >= text.length
    ? text
    : [...text].slice(0, precision).join("");
  return pad("", cut, spec, false);
}

function formatOne(value: unknown, conv: string, spec: Spec): string {
  if (TEXT_CONVERSIONS.includes(conv)) return formatText(value, conv, spec);
  if (INTEGER_CONVERSIONS.includes(conv)) {
    return formatInteger(value, conv, spec);
  }
  if (FLOAT_CONVERSIONS.includes(conv)) return formatFloat(value, conv, spec);
  return pad("", charOf(value), spec, false);
}

/**
 * Formats `format` with `args` as Python's `format % args` does. Pass an
 * array for positional conversions (Python's tuple), or one plain object
 * for `%(name)s` conversions (Python's dict).
 *
 * @throws {TypeError} When the arguments do not match the conversions, as
 * Python's `TypeError`s, or a conversion is unknown (Python's `ValueError`).
 * @throws {RangeError} For a key the mapping lacks (Python's `KeyError`), a
 * width or precision beyond Python's limits (`OverflowError`), or a result
 * longer than a JavaScript string can hold.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { percentFormat } from "./percent_format.ts";
 * assert(percentFormat("%s %d %r", ["a", 42, "b"]) === "a 42 'b'");
 * assert(percentFormat("%05.1f|%-4s|%x", [3.14159, "ab", 255]) === "003.1|ab  |ff");
 * assert(percentFormat("%(code)d %(msg)s", { code: 404, msg: "gone" }) === "404 gone");
 * ```
 */
export function percentFormat(
  format: string,
  args: readonly unknown[] | Readonly<Record<string, unknown>>,
): string {
  const cursor = new ArgumentCursor(args);
  let out = "";
  let last = 0;
  for (let i = format.indexOf("%"); i !== -1; i = format.indexOf("%", last)) {
    out += format.slice(last, i);
    if (format[i + 1] === "%") {
      out += "%";
      last = i + 2;
      continue;
    }
    const { conv, at, spec } = parseConversion(format, i + 1, cursor);
    // CPython takes the argument before it looks at the character.
    const value = cursor.take();
    if (!CONVERSIONS.has(conv)) throw unsupportedCharacter(format, conv, at);
    out += formatOne(value, conv, spec);
    last = at + conv.length;
  }
  cursor.checkAllUsed();
  return out + format.slice(last);
}

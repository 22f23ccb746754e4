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

const CONVERSION =
  /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([diouxXeEfFgGcrsa%])?/y;

function toInteger(value: unknown, conv: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number" && Number.isFinite(value)) {
    return BigInt(Math.trunc(value));
  }
  if (typeof value === "number") {
    throw new RangeError(
      `cannot convert float ${
        Number.isNaN(value) ? "NaN" : "infinity"
      } to integer`,
    );
  }
  const kind = conv === "x" || conv === "X" || conv === "o"
    ? "an integer is required"
    : "a real number is required";
  throw new TypeError(`%${conv} format: ${kind}, not ${pyTypeName(value)}`);
}

/** What `%c` shows: a code point given as an int, or a one-character str. */
function charOf(value: unknown): string {
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value < 0 || value > 0x10ffff) {
      throw new RangeError("%c arg not in range(0x110000)");
    }
    return String.fromCodePoint(value);
  }
  if (typeof value === "string" && [...value].length === 1) return value;
  throw new TypeError("%c requires int or char");
}

/** Python's error for a conversion character it does not know. */
function unsupportedCharacter(format: string, at: number): TypeError {
  return new TypeError(
    `unsupported format character '${format[at]}' (0x${
      (format.codePointAt(at) ?? 0).toString(16)
    }) at index ${at}`,
  );
}

/** A `*` width or precision: Python takes an int (a bool is one) only. */
function starArgument(value: unknown): number {
  if (typeof value === "boolean") return Number(value);
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError("* wants int");
  }
  return value;
}

function pyTypeName(value: unknown): string {
  // Python's None is also what a missing value shows as.
  return value === undefined ? "NoneType" : typeName(value);
}

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const { flags, width } = spec;
  const length = sign.length + body.length;
  if (length >= width) return sign + body;
  if (flags.includes("-")) return sign + body + " ".repeat(width - length);
  if (numeric && flags.includes("0")) {
    return sign + "0".repeat(width - length) + body;
  }
  return " ".repeat(width - length) + sign + body;
}

function signOf(negative: boolean, flags: string): string {
  if (negative) return "-";
  if (flags.includes("+")) return "+";
  if (flags.includes(" ")) return " ";
  return "";
}

function formatInteger(value: unknown, conv: string, spec: Spec): string {
  const n = toInteger(value, conv);
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let digits: string;
  let prefix = "";
  if (conv === "x" || conv === "X") {
    digits = magnitude.toString(16);
    if (spec.flags.includes("#")) prefix = "0x";
    if (conv === "X") {
      digits = digits.toUpperCase();
      prefix = prefix.toUpperCase();
    }
  } else if (conv === "o") {
    digits = magnitude.toString(8);
    if (spec.flags.includes("#")) prefix = "0o";
  } else {
    digits = magnitude.toString();
  }
  if (spec.precision !== undefined) {
    digits = digits.padStart(spec.precision, "0");
  }
  return pad(prefix + digits, signOf(negative, spec.flags), spec, true);
}

function formatFloat(value: unknown, conv: string, spec: Spec): string {
  let x: number;
  if (typeof value === "number") x = value;
  else if (typeof value === "bigint" || typeof value === "boolean") {
    x = Number(value);
  } else {
    throw new TypeError(
      `must be real number, not ${pyTypeName(value)}`,
    );
  }
  const precision = spec.precision ?? 6;
  const negative = x < 0 || Object.is(x, -0);
  const magnitude = Math.abs(x);
  let body: string;
  if (!Number.isFinite(magnitude)) {
    body = Number.isNaN(magnitude) ? "nan" : "inf";
  } else if (conv === "f" || conv === "F") {
    body = toFixedEven(magnitude, precision);
  } else if (conv === "e" || conv === "E") {
    body = pythonExponent(toExponentialEven(magnitude, precision));
  } else {
    body = formatGeneral(
      magnitude,
      precision === 0 ? 1 : precision,
      spec.flags,
    );
  }
  if (conv === conv.toUpperCase()) body = body.toUpperCase();
  return pad(
    body,
    signOf(negative && !Number.isNaN(x), spec.flags),
    spec,
    Number.isFinite(magnitude),
  );
}

/**
 * `digits` of `text` (a decimal string) were rounded half-up by
 * JavaScript; Python rounds exact ties to even. `exact` is the same number
 * with more digits, to tell a true tie.
 */
function fixTie(rounded: string, exact: string, keep: number): string {
  // `keep` characters of `exact` survive; a tie is "5" then only zeros.
  const rest = exact.slice(keep).replace(/e.*$/, "").replace(".", "");
  if (!/^50*$/.test(rest)) return rounded;
  const kept = exact.slice(0, keep);
  const lastDigit = kept.replace(/\D/g, "").slice(-1);
  // Even last digit: truncating is the even choice; else JS was right.
  if (Number(lastDigit) % 2 === 0) {
    const exponent = /e.*$/.exec(rounded)?.[0] ?? "";
    return kept.replace(/\.$/, "") +
      (exponent ? exact.slice(exact.indexOf("e")) : "");
  }
  return rounded;
}

function toFixedEven(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  if (digits + 25 > 100) return rounded;
  const exact = x.toFixed(digits + 25);
  const point = exact.indexOf(".");
  const keep = digits === 0 ? point : point + 1 + digits;
  return fixTie(rounded, exact, keep);
}

function toExponentialEven(x: number, digits: number): string {
  const rounded = x.toExponential(digits);
  if (digits + 25 > 100) return rounded;
  const exact = x.toExponential(digits + 25);
  const keep = digits === 0 ? 1 : 2 + digits;
  const fixed = fixTie(rounded, exact, keep);
  if (fixed === rounded) return rounded;
  return fixed;
}

function pythonExponent(s: string): string {
  // JavaScript writes "1e+5"; Python writes at least two exponent digits.
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function formatGeneral(x: number, precision: number, flags: string): string {
  if (x === 0) return flags.includes("#") ? (0).toFixed(precision - 1) : "0";
  const exponent = Math.floor(Math.log10(x));
  const rounded = Number(x.toExponential(precision - 1));
  const exp = rounded === 0 ? exponent : Math.floor(Math.log10(rounded));
  let body: string;
  if (exp < -4 || exp >= precision) {
    body = pythonExponent(toExponentialEven(x, precision - 1));
    if (!flags.includes("#")) body = body.replace(/\.?0+e/, "e");
  } else {
    body = toFixedEven(x, Math.max(0, precision - 1 - exp));
    if (!flags.includes("#") && body.includes(".")) {
      body = body.replace(/\.?0+$/, "");
    }
  }
  return body;
}

function formatOne(value: unknown, conv: string, spec: Spec): string {
  switch (conv) {
    case "s":
    case "r":
    case "a": {
      const text = conv === "s"
        ? pyStr(value)
        : conv === "r"
        ? pyRepr(value)
        : pyAscii(value);
      // The precision counts code points, as Python's does.
      return pad(
        spec.precision === undefined
          ? text
          : [...text].slice(0, spec.precision).join(""),
        "",
        spec,
        false,
      );
    }
    case "c":
      return pad(charOf(value), "", spec, false);
    case "d":
    case "i":
    case "u":
    case "x":
    case "X":
    case "o":
      return formatInteger(value, conv, spec);
    default:
      return formatFloat(value, conv, spec);
  }
}

/**
 * Formats `format` with `args` as Python's `format % args` does. Pass an
 * array for positional conversions (Python's tuple), or one plain object
 * for `%(name)s` conversions (Python's dict).
 *
 * @throws {TypeError} When the arguments do not match the conversions, as
 * Python's `TypeError`s, or a conversion is unknown (Python's `ValueError`).
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
  const positional = Array.isArray(args) ? args : null;
  const mapping = positional ? null : args as Readonly<Record<string, unknown>>;
  let argIndex = 0;
  // A mapping is also the one argument of a conversion without a key (`%s`
  // shows it whole), as in Python, until a key or such a conversion used it.
  let mappingUsed = false;
  const nextArg = (): unknown => {
    if (!positional) {
      if (mappingUsed) {
        throw new TypeError("not enough arguments for format string");
      }
      mappingUsed = true;
      return mapping;
    }
    if (argIndex >= positional.length) {
      throw new TypeError("not enough arguments for format string");
    }
    return positional[argIndex++];
  };
  let out = "";
  let last = 0;
  let i = format.indexOf("%");
  while (i !== -1) {
    out += format.slice(last, i);
    CONVERSION.lastIndex = i;
    const match = CONVERSION.exec(format);
    const conv = match?.[5];
    if (!match || conv === undefined) {
      // Python names the character where the conversion should be.
      const at = i + (match?.[0].length ?? 1);
      if (at >= format.length) throw new TypeError("incomplete format");
      throw unsupportedCharacter(format, at);
    }
    const [whole, key, flags = "", widthText, precisionText] = match;
    if (conv === "%" && whole === "%%") {
      out += "%";
    } else {
      // A key makes its value the one argument of this conversion, `*`s
      // included, as in Python.
      let keyed: unknown[] | null = null;
      if (key !== undefined) {
        if (!mapping) throw new TypeError("format requires a mapping");
        mappingUsed = true;
        if (!Object.hasOwn(mapping, key)) {
          throw new TypeError(`format key not found: ${pyRepr(key)}`);
        }
        keyed = [mapping[key]];
      }
      const take = (): unknown => {
        if (keyed === null) return nextArg();
        if (keyed.length === 0) {
          throw new TypeError("not enough arguments for format string");
        }
        return keyed.pop();
      };
      let width = 0;
      if (widthText === "*") width = starArgument(take());
      else if (widthText) width = Number(widthText);
      let precision: number | undefined;
      if (precisionText === "*") precision = starArgument(take());
      else if (precisionText !== undefined) {
        precision = Number(precisionText || "0");
      }
      let allFlags = flags;
      if (width < 0) {
        allFlags += "-";
        width = -width;
      }
      const value = take();
      // Python 3.13 takes an argument for `%5%`, then refuses the `%`.
      if (conv === "%") {
        throw unsupportedCharacter(format, i + whole.length - 1);
      }
      out += formatOne(value, conv, { flags: allFlags, width, precision });
    }
    last = i + whole.length;
    i = format.indexOf("%", last);
  }
  out += format.slice(last);
  if (positional && argIndex < positional.length) {
    throw new TypeError("not all arguments converted during string formatting");
  }
  return out;
}

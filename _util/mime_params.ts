/**
 * Header parameters as Python's `email.message.Message` reads them
 * (`text/html; charset="utf-8"`, `attachment; filename*=UTF-8''na%C3%AFve`):
 * the split at semicolons outside quotes, RFC 2231's encoded and continued
 * parameters, and the values' unquoting. Pure.
 *
 * Follows CPython 3.13 `Lib/email/message.py` (`_parseparam`,
 * `_get_params_preserve`, `_unquotevalue`) and `Lib/email/utils.py`
 * (`decode_params`, `decode_rfc2231`, `collapse_rfc2231_value`, `quote`,
 * `unquote`).
 *
 * @module
 */
import { decodeBytes } from "./codec/mod.ts";
import { pyLower } from "./py_case.ts";
import { pyStrip } from "./py_str.ts";

/**
 * A parameter RFC 2231 encoded, as Python gives it: `[charset, language,
 * text]`, the text's characters standing for the encoded bytes; charset
 * and language are `null` when the value did not name them.
 */
export type Rfc2231Value = [
  charset: string | null,
  language: string | null,
  text: string,
];

/** A parameter's value: text, or {@linkcode Rfc2231Value}. */
export type ParamValue = string | Rfc2231Value;

/** `name*`, `name*0`, `name*0*`: RFC 2231's extended and continued names. */
const CONTINUATION = /^([A-Za-z0-9_]+)\*(?:([0-9]+)\*?)?$/;

/** Python's `email.utils.quote`: backslashes and quote marks escaped. */
export function quoteValue(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

/** Python's `email.utils.unquote`: one pair of `"…"` or `<…>` removed. */
function unquoteValue(text: string): string {
  if (text.length > 1) {
    if (text.startsWith('"') && text.endsWith('"')) {
      return text.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
    }
    if (text.startsWith("<") && text.endsWith(">")) return text.slice(1, -1);
  }
  return text;
}

/** How many times `needle` occurs in `text` before `end` (Python's `count`). */
function countBefore(text: string, needle: string, end: number): number {
  return text.slice(0, end).split(needle).length - 1;
}

/**
 * Python's `_parseparam`: the parts between semicolons that are outside
 * quotes (a quote mark preceded by a backslash does not count), each
 * stripped, with the name before a `=` lower-cased.
 */
function splitParams(value: string): string[] {
  let rest = ";" + value;
  const parts: string[] = [];
  while (rest.startsWith(";")) {
    rest = rest.slice(1);
    let end = rest.indexOf(";");
    while (
      end > 0 &&
      (countBefore(rest, '"', end) - countBefore(rest, '\\"', end)) % 2 !== 0
    ) {
      end = rest.indexOf(";", end + 1);
    }
    if (end < 0) end = rest.length;
    let part = rest.slice(0, end);
    const eq = part.indexOf("=");
    if (eq !== -1) {
      part = pyLower(pyStrip(part.slice(0, eq))) + "=" +
        pyStrip(part.slice(eq + 1));
    }
    parts.push(pyStrip(part));
    rest = rest.slice(end);
  }
  return parts;
}

/** `%XX` escapes as the characters of those byte values (Latin-1). */
function percentDecodeLatin1(text: string): string {
  return text.replace(
    /%([0-9A-Fa-f]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

/** Python's `decode_rfc2231`: charset, language and text at the ticks. */
function splitTicks(text: string): Rfc2231Value {
  const first = text.indexOf("'");
  const second = first === -1 ? -1 : text.indexOf("'", first + 1);
  if (second === -1) return [null, null, text];
  return [
    text.slice(0, first),
    text.slice(first + 1, second),
    text.slice(second + 1),
  ];
}

/** Compares as Python compares `(num, text, encoded)` tuples. */
function byContinuation(
  a: [number | null, string, boolean],
  b: [number | null, string, boolean],
): number {
  if (a[0] !== b[0]) {
    if (a[0] === null || b[0] === null) {
      // Python cannot order None against a number either.
      throw new TypeError(
        "'<' not supported between instances of 'NoneType' and 'int'",
      );
    }
    return a[0] - b[0];
  }
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return Number(a[2]) - Number(b[2]);
}

/**
 * Python's `_get_params_preserve` with `decode_params`: `[name, value]`
 * pairs, values still quoted; RFC 2231 parameters (`name*`, `name*0`, …)
 * joined and decoded, and moved after the others, as Python moves them.
 */
export function paramsOf(value: string): [string, ParamValue][] {
  const pairs = splitParams(value).map((part): [string, string] => {
    const eq = part.indexOf("=");
    return eq === -1
      ? [pyStrip(part), ""]
      : [pyStrip(part.slice(0, eq)), pyStrip(part.slice(eq + 1))];
  });
  const out: [string, ParamValue][] = [pairs[0]!];
  const continued = new Map<string, [number | null, string, boolean][]>();
  for (const [name, raw] of pairs.slice(1)) {
    const text = unquoteValue(raw);
    const match = CONTINUATION.exec(name);
    if (!match) {
      out.push([name, `"${quoteValue(text)}"`]);
      continue;
    }
    const pieces = continued.get(match[1]!) ?? [];
    pieces.push([
      match[2] === undefined ? null : Number(match[2]),
      text,
      name.endsWith("*"),
    ]);
    continued.set(match[1]!, pieces);
  }
  for (const [name, pieces] of continued) {
    pieces.sort(byContinuation);
    const extended = pieces.some(([, , encoded]) => encoded);
    const joined = quoteValue(
      pieces.map(([, text, encoded]) =>
        encoded ? percentDecodeLatin1(text) : text
      ).join(""),
    );
    if (extended) {
      const [charset, language, text] = splitTicks(joined);
      out.push([name, [charset, language, `"${text}"`]]);
    } else {
      out.push([name, `"${joined}"`]);
    }
  }
  return out;
}

/** Python's `_unquotevalue`: the text unquoted, inside the triple too. */
export function unquoteParam(value: ParamValue): ParamValue {
  return typeof value === "string"
    ? unquoteValue(value)
    : [value[0], value[1], unquoteValue(value[2])];
}

/**
 * Python's `str.encode('raw-unicode-escape')`: characters up to U+00FF as
 * their byte, others as `\uXXXX` or `\UXXXXXXXX`.
 */
function rawUnicodeEscape(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) {
      bytes.push(cp);
      continue;
    }
    const escape = cp < 0x10000
      ? "\\u" + cp.toString(16).padStart(4, "0")
      : "\\U" + cp.toString(16).padStart(8, "0");
    for (const c of escape) bytes.push(c.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}

/**
 * The text of an RFC 2231 value in its charset; throws Python's errors
 * (`unknown encoding`, `UnicodeDecodeError`) as the codec module does.
 */
export function decodeRfc2231Text(
  value: Rfc2231Value,
  fallbackCharset: string,
  errors: string,
): string {
  return decodeBytes(
    rawUnicodeEscape(value[2]),
    value[0] ?? fallbackCharset,
    errors,
  );
}

/**
 * Python's `email.utils.collapse_rfc2231_value`: a parameter as text,
 * an RFC 2231 value decoded in its charset (bytes it cannot decode
 * replaced; an unknown charset leaves the text as it is).
 */
export function collapseRfc2231Value(value: ParamValue): string {
  if (typeof value === "string") return unquoteValue(value);
  try {
    return decodeRfc2231Text(value, "us-ascii", "replace");
  } catch {
    return unquoteValue(value[2]);
  }
}

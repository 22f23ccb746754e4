/**
 * The machinery behind quote.ts, shared with query.ts without becoming
 * public API.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_Quoter`, `quote_from_bytes` and
 * `_unquote_impl`.
 *
 * @module
 */
import {
  decodeBytes,
  encodeText,
  lookupEncoding,
  UTF8_LEADS,
} from "../../_util/codec/mod.ts";
import { typeName } from "../../_util/py_type_name.ts";

// ---------------------------------------------------------------------------
// Safe-character tables

/** `%XX` for every byte, upper-case hex as Python writes it. */
const PERCENT: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => "%" + b.toString(16).toUpperCase().padStart(2, "0"),
);

const ALWAYS_SAFE =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";

interface SafeTable {
  /** 1 for bytes left as they are. */
  readonly safe: Uint8Array;
  /** What each byte becomes: itself or `%XX`. */
  readonly out: readonly string[];
}

const tableCache = new Map<string, SafeTable>();

/** The last table of each kind, so repeated calls skip the cache key. */
const lastTables: [unknown, SafeTable | undefined][] = [
  [undefined, undefined],
  [undefined, undefined],
];

/**
 * The table for a `safe` argument. Only ASCII can be safe: Python drops
 * non-ASCII characters from a str `safe` and bytes >= 0x80 from a bytes one.
 * With `plus`, a space becomes `+`, which is what quote_plus's "quote with
 * a space made safe, then swap spaces for `+`" amounts to.
 */
function safeTable(safe: unknown, plus: boolean): SafeTable {
  const last = lastTables[plus ? 1 : 0] as [unknown, SafeTable | undefined];
  if (last[0] === safe && last[1]) return last[1];
  let key: string;
  if (typeof safe === "string") {
    key = "s" + safe;
  } else if (safe instanceof Uint8Array) {
    key = "b" + String.fromCharCode(...safe);
  } else {
    throw new TypeError(
      `quote() argument 'safe' must be str or bytes, not ${typeName(safe)}`,
    );
  }
  if (plus) key = "+" + key;
  let table = tableCache.get(key);
  if (!table) {
    table = buildTable(key.slice(plus ? 2 : 1), plus);
    // Bound the cache: callers passing ever-new `safe` strings must not leak.
    if (tableCache.size >= 64) tableCache.clear();
    tableCache.set(key, table);
  }
  last[0] = safe;
  last[1] = table;
  return table;
}

function buildTable(safeChars: string, plus: boolean): SafeTable {
  const flags = new Uint8Array(256);
  for (let i = 0; i < ALWAYS_SAFE.length; i++) {
    flags[ALWAYS_SAFE.charCodeAt(i)] = 1;
  }
  for (let i = 0; i < safeChars.length; i++) {
    const c = safeChars.charCodeAt(i);
    if (c < 0x80) flags[c] = 1;
  }
  const out = PERCENT.map((pct, b) => flags[b] ? String.fromCharCode(b) : pct);
  if (plus) {
    // Not flagged safe: the fast paths copy safe characters verbatim.
    flags[0x20] = 0;
    out[0x20] = "+";
  }
  return { safe: flags, out };
}

function quoteBytes(bytes: Uint8Array, table: SafeTable): string {
  const { safe, out } = table;
  let i = 0;
  while (i < bytes.length && safe[bytes[i] as number]) i++;
  let result = asciiString(bytes.subarray(0, i));
  for (; i < bytes.length; i++) result += out[bytes[i] as number];
  return result;
}

function asciiString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/**
 * UTF-8 quoting straight from the UTF-16 string, skipping the byte array.
 * Returns null on a lone surrogate so the codec can apply `errors`.
 */
function quoteUtf8(text: string, table: SafeTable): string | null {
  const { safe, out } = table;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || !safe[c]) break;
    i++;
  }
  if (i === n) return text;
  let result = text.slice(0, i);
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      result += out[c];
    } else if (c < 0x800) {
      result += PERCENT[0xc0 | (c >> 6)]! + PERCENT[0x80 | (c & 0x3f)];
    } else if (c < 0xd800 || c > 0xdfff) {
      result += PERCENT[0xe0 | (c >> 12)]! +
        PERCENT[0x80 | ((c >> 6) & 0x3f)] + PERCENT[0x80 | (c & 0x3f)];
    } else {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return null;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      result += PERCENT[0xf0 | (cp >> 18)]! +
        PERCENT[0x80 | ((cp >> 12) & 0x3f)] +
        PERCENT[0x80 | ((cp >> 6) & 0x3f)] + PERCENT[0x80 | (cp & 0x3f)];
      i++;
    }
  }
  return result;
}

const utf8Names = new Map<string, boolean>([["utf-8", true], ["utf8", true]]);

/** Whether `encoding` names UTF-8 (unknown names fall to the codec's error). */
function isUtf8(encoding: string): boolean {
  let known = utf8Names.get(encoding);
  if (known === undefined) {
    try {
      known = lookupEncoding(encoding) === "utf-8";
    } catch {
      known = false;
    }
    if (utf8Names.size < 64) utf8Names.set(encoding, known);
  }
  return known;
}

/**
 * `value` if it is a string, else Python's TypeError for `fn(param=...)`
 * (whose argument parser names `None` itself, not its type).
 */
export function checkText(value: unknown, param: string, fn: string): string {
  if (typeof value !== "string") {
    const type = value === null ? "None" : typeName(value);
    throw new TypeError(`${fn}() argument '${param}' must be str, not ${type}`);
  }
  return value;
}

/**
 * Python's quote once its arguments are resolved (`null` = not given);
 * `plus` gives quote_plus.
 */
export function quoteImpl(
  string: unknown,
  safe: unknown,
  encoding: unknown,
  errors: unknown,
  plus = false,
): string {
  if (typeof string === "string") {
    if (!string) return string;
    const enc = encoding === null
      ? "utf-8"
      : checkText(encoding, "encoding", "encode");
    const err = errors === null
      ? "strict"
      : checkText(errors, "errors", "encode");
    const table = safeTable(safe, plus);
    if (isUtf8(enc)) {
      const quoted = quoteUtf8(string, table);
      if (quoted !== null) return quoted;
    }
    return quoteBytes(encodeText(string, enc, err), table);
  }
  if (string instanceof Uint8Array) {
    if (encoding !== null) {
      throw new TypeError("quote() doesn't support 'encoding' for bytes");
    }
    if (errors !== null) {
      throw new TypeError("quote() doesn't support 'errors' for bytes");
    }
  }
  return quoteFromBytesImpl(string, safe, plus);
}

/** Python's quote_from_bytes once its arguments are resolved. */
export function quoteFromBytesImpl(
  bs: unknown,
  safe: unknown,
  plus = false,
): string {
  if (!(bs instanceof Uint8Array)) {
    throw new TypeError("quote_from_bytes() expected bytes");
  }
  if (bs.length === 0) return "";
  return quoteBytes(bs, safeTable(safe, plus));
}

// ---------------------------------------------------------------------------
// Unquoting

/** Hex digit values for ASCII, -1 elsewhere. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/** The value of an ASCII hex digit (a UTF-16 code or a byte), or -1. */
export function hexValue(code: number): number {
  return code < 0x80 ? HEX[code] as number : -1;
}

/** Decodes `%XX` escapes in bytes; anything else is copied. */
export function unquoteBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const first = bytes.indexOf(0x25);
  if (first < 0) return bytes.slice();
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, first));
  let o = first;
  for (let i = first; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x25 && i + 2 < bytes.length) {
      const hi = hexValue(bytes[i + 1] as number);
      const lo = hexValue(bytes[i + 2] as number);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return out.slice(0, o);
}

/** Decodes `%XX` escapes in an all-ASCII string to bytes. */
export function unquoteAsciiRun(
  text: string,
  start: number,
  end: number,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(end - start);
  let o = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < end) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

/** The byte a `%XX` escape at `i` stands for, or -1. */
function escapeAt(text: string, i: number, n: number): number {
  if (i + 2 >= n || text.charCodeAt(i) !== 0x25) return -1;
  const hi = hexValue(text.charCodeAt(i + 1));
  const lo = hexValue(text.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/**
 * UTF-8 with `errors="replace"`, the default, decoded straight from the
 * escapes. Each ill-formed sequence becomes one U+FFFD, cut at the first
 * byte that cannot continue it (Unicode's "maximal subpart" rule, which
 * CPython follows); a literal character always ends a sequence, as an
 * ASCII byte would in Python's per-run decoding.
 */
function unquoteUtf8Replace(text: string, first: number): string {
  const n = text.length;
  let result = text.slice(0, first);
  let i = first;
  while (i < n) {
    const b = escapeAt(text, i, n);
    if (b < 0) {
      const next = text.indexOf("%", i + 1);
      const end = next < 0 ? n : next;
      result += text.slice(i, end);
      i = end;
      continue;
    }
    i += 3;
    if (b < 0x80) {
      result += String.fromCharCode(b);
      continue;
    }
    const lead = UTF8_LEADS[b];
    if (lead === undefined) {
      result += "\ufffd";
      continue;
    }
    const need = lead.need;
    let { lo, hi } = lead;
    let cp = b & lead.mask;
    let complete = true;
    for (let k = 0; k < need; k++) {
      const c = escapeAt(text, i, n);
      if (c < lo || c > hi) {
        complete = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      lo = 0x80;
      hi = 0xbf;
      i += 3;
    }
    result += complete ? String.fromCodePoint(cp) : "\ufffd";
  }
  return result;
}

/** Python's exact rule: each maximal ASCII run is unquoted and decoded. */
function unquoteGeneric(
  text: string,
  encoding: string,
  errors: string,
): string {
  let result = "";
  const n = text.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && text.charCodeAt(j) >= 0x80) j++;
    result += text.slice(i, j);
    if (j === n) break;
    let k = j;
    while (k < n && text.charCodeAt(k) < 0x80) k++;
    result += decodeBytes(unquoteAsciiRun(text, j, k), encoding, errors);
    i = k;
  }
  return result;
}

/** Python's unquote once its arguments are resolved (`null` = default). */
export function unquoteImpl(
  string: unknown,
  encoding: unknown,
  errors: unknown,
): string {
  if (string instanceof Uint8Array) {
    return decodeBytes(
      unquoteBytes(string),
      checkText(encoding, "encoding", "decode"),
      checkText(errors, "errors", "decode"),
    );
  }
  if (typeof string !== "string") {
    throw new TypeError(
      `unquote() argument must be str or bytes, not ${typeName(string)}`,
    );
  }
  const first = string.indexOf("%");
  if (first < 0) return string;
  const enc = encoding === null
    ? "utf-8"
    : checkText(encoding, "encoding", "decode");
  const err = errors === null
    ? "replace"
    : checkText(errors, "errors", "decode");
  if (err === "replace" && isUtf8(enc)) {
    return unquoteUtf8Replace(string, first);
  }
  return unquoteGeneric(string, enc, err);
}

/** Python's quote_plus once its arguments are resolved. */
export function quotePlusImpl(
  string: string | Uint8Array,
  safe: unknown,
  encoding: unknown,
  errors: unknown,
): string {
  // Python swaps spaces for `+` only when the input holds one; otherwise it
  // is a plain quote, so a 0x20 byte from another codec stays `%20`.
  const hasSpace = typeof string === "string"
    ? string.includes(" ")
    : string instanceof Uint8Array && string.includes(0x20);
  return quoteImpl(string, safe, encoding, errors, hasSpace);
}

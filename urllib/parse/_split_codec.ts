/**
 * Byte/text bridging and Python-style `repr` used by the split, join and
 * result modules.
 *
 * @module
 */

import { escapeCodePoint, UnicodeDecodeError } from "../../_util/codec/mod.ts";

const CHUNK = 0x2000;

/** Decodes bytes as strict ASCII, raising Python's UnicodeDecodeError text. */
export function asciiDecode(bytes: Uint8Array): string {
  const len = bytes.length;
  for (let i = 0; i < len; i++) {
    const b = bytes[i] as number;
    if (b > 0x7f) {
      throw new UnicodeDecodeError(
        "ascii",
        bytes,
        i,
        i + 1,
        "ordinal not in range(128)",
      );
    }
  }
  return latin1Decode(bytes);
}

/** Maps each byte to the code point of the same value (lossless). */
export function latin1Decode(bytes: Uint8Array): string {
  const len = bytes.length;
  if (len <= CHUNK) {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  let out = "";
  for (let i = 0; i < len; i += CHUNK) {
    out += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + CHUNK) as unknown as number[],
    );
  }
  return out;
}

/**
 * Maps each code unit to one byte. Callers guarantee every code unit is
 * below 0x100 (the text came from {@linkcode latin1Decode} or ASCII).
 */
export function latin1Encode(text: string): Uint8Array {
  const len = text.length;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = text.charCodeAt(i);
  return out;
}

// Python's str.isprintable(): everything except these categories (but the
// plain space is printable).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
// Code points assigned after Unicode 15.1, CPython 3.13's database: still
// unassigned, hence not printable, to Python.
const NEWER_ASSIGNED = new RegExp(
  "[" +
    "\\u{897}\\u{1B4E}-\\u{1B4F}\\u{1B7F}\\u{1C89}-\\u{1C8A}" +
    "\\u{2427}-\\u{2429}\\u{31E4}-\\u{31E5}\\u{A7CB}-\\u{A7CD}" +
    "\\u{A7DA}-\\u{A7DC}\\u{105C0}-\\u{105F3}\\u{10D40}-\\u{10D65}" +
    "\\u{10D69}-\\u{10D85}\\u{10D8E}-\\u{10D8F}\\u{10EC2}-\\u{10EC4}" +
    "\\u{10EFC}\\u{11380}-\\u{11389}\\u{1138B}\\u{1138E}" +
    "\\u{11390}-\\u{113B5}\\u{113B7}-\\u{113C0}\\u{113C2}\\u{113C5}" +
    "\\u{113C7}-\\u{113CA}\\u{113CC}-\\u{113D5}\\u{113D7}-\\u{113D8}" +
    "\\u{113E1}-\\u{113E2}\\u{116D0}-\\u{116E3}\\u{11BC0}-\\u{11BE1}" +
    "\\u{11BF0}-\\u{11BF9}\\u{11F5A}\\u{13460}-\\u{143FA}" +
    "\\u{16100}-\\u{16139}\\u{16D40}-\\u{16D79}\\u{18CFF}" +
    "\\u{1CC00}-\\u{1CCF9}\\u{1CD00}-\\u{1CEB3}\\u{1E5D0}-\\u{1E5FA}" +
    "\\u{1E5FF}\\u{1F8B2}-\\u{1F8BB}\\u{1F8C0}-\\u{1F8C1}\\u{1FA89}" +
    "\\u{1FA8F}\\u{1FABE}\\u{1FAC6}\\u{1FADC}\\u{1FADF}\\u{1FAE9}" +
    "\\u{1FBCB}-\\u{1FBEF}" +
    "]",
  "u",
);

function quoteFor(text: string): string {
  return text.includes("'") && !text.includes('"') ? '"' : "'";
}

/** Python's `repr()` of a str. */
export function reprStr(text: string): string {
  const quote = quoteFor(text);
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp === 0x20 || (cp > 0x20 && cp < 0x7f)) out += ch;
    else if (
      cp < 0x7f || NON_PRINTABLE.test(ch) || NEWER_ASSIGNED.test(ch)
    ) {
      out += escapeCodePoint(cp);
    } else out += ch;
  }
  return out + quote;
}

/** Python's `repr()` of a bytes object. */
export function reprBytes(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? 0x22 : 0x27;
  let out = "b" + String.fromCharCode(quote);
  for (const b of bytes) {
    if (b === quote || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\x" + b.toString(16).padStart(2, "0");
  }
  return out + String.fromCharCode(quote);
}

/**
 * Small text helpers the file server needs: URL percent-quoting and
 * -unquoting as Python's `urllib.parse.quote`/`unquote` do them, and HTML
 * escaping as `html.escape`.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py` (`quote`, `unquote`) and
 * `Lib/html/__init__.py` (`escape`).
 *
 * @module
 */

import { decodeBytes, encodeText } from "../_util/codec/mod.ts";
import { hexValue } from "../urllib/parse/_quote_impl.ts";

const encoder = new TextEncoder();
// A U+FEFF that starts a run of escapes is a character of the name, not a
// byte order mark (Python's unquote keeps it).
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strictDecoder = new TextDecoder("utf-8", {
  fatal: true,
  ignoreBOM: true,
});
const HEX = "0123456789ABCDEF";

/**
 * UTF-8 bytes of `text`, with lone surrogates (escaped bytes of a file name
 * that is not UTF-8) encoded as Python's `errors="surrogatepass"` does.
 */
function utf8(text: string): Uint8Array {
  return text.isWellFormed()
    ? encoder.encode(text)
    : encodeText(text, "utf-8", "surrogatepass");
}

/**
 * Decodes `%`-escaped bytes as Python's `unquote(errors="surrogatepass")`:
 * UTF-8, where encoded surrogates (how a listing links a name that is not
 * UTF-8) decode to lone surrogates; anything else invalid throws.
 */
function decodePassing(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return decodeBytes(bytes, "utf-8", "surrogatepass");
  }
}

function isUnreserved(byte: number, safe: string): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) || byte === 0x5f || byte === 0x2e ||
    byte === 0x2d || byte === 0x7e ||
    (byte < 0x80 && safe.includes(String.fromCharCode(byte)));
}

/**
 * Percent-encodes `text` as UTF-8, leaving letters, digits, `_.-~` and
 * `safe`; lone surrogates are encoded as Python's `errors="surrogatepass"`.
 */
export function quote(text: string, safe = "/"): string {
  if (safe === "/" && /^[A-Za-z0-9_.\-~/]*$/.test(text)) return text;
  let out = "";
  for (const byte of utf8(text)) {
    out += isUnreserved(byte, safe)
      ? String.fromCharCode(byte)
      : "%" + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

/**
 * Decodes `%XX` escapes as Python's file server does: UTF-8 with
 * `errors="surrogatepass"` (so a listing's link to a name that is not UTF-8
 * leads back to it), or, when that fails anywhere, with invalid sequences
 * becoming U+FFFD. Malformed escapes stay as they are.
 */
export function unquote(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return unquoteWith(text, decodePassing);
  } catch {
    return unquoteWith(text, (bytes) => decoder.decode(bytes));
  }
}

function unquoteWith(
  text: string,
  decode: (bytes: Uint8Array) => string,
): string {
  const bytes: number[] = [];
  let out = "";
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += decode(new Uint8Array(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    flush();
    out += text[i];
  }
  flush();
  return out;
}

/** Whether `text`'s `%`-escapes decode as UTF-8 with no byte replaced. */
export function decodesAsUtf8(text: string): boolean {
  try {
    unquoteWith(text, (bytes) => strictDecoder.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** Escapes `&`, `<` and `>` (and, with `quote`, both quote marks). */
export function htmlEscape(text: string, quoteMarks = true): string {
  if (!/[&<>"']/.test(text)) return text;
  let out = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
  if (quoteMarks) {
    out = out.replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
  }
  return out;
}

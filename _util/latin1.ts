/**
 * Latin-1: where bytes and text convert a byte a character (HTTP request and
 * response heads, `raw_requestline`, the byte forms of `urllib.parse`, binary
 * strings for `btoa`).
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, the Latin-1 codec.
 *
 * @module
 */

const utf8 = new TextDecoder();
const encoder = new TextEncoder();
/**
 * Below this many bytes the native decoder's call costs more than building
 * the text in JavaScript does (measured: they break even near 30 bytes);
 * likewise for the encoder.
 */
const NATIVE_FROM = 32;
/** Bytes per `String.fromCharCode` call, whose arguments go on the stack. */
const CHUNK = 8192;

/**
 * `bytes` as text if they are all ASCII, decoded natively; `null` if any is
 * not. ASCII reads the same in UTF-8, and any other byte shows in UTF-8: a
 * valid multi-byte sequence makes the text shorter than the bytes, anything
 * else becomes U+FFFD.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { decodeAscii } from "./latin1.ts";
 * equal(decodeAscii(new Uint8Array([0x6f, 0x6b])), "ok");
 * equal(decodeAscii(new Uint8Array([0xe9])), null);
 * ```
 */
export function decodeAscii(bytes: Uint8Array): string | null {
  const text = utf8.decode(bytes);
  return text.length === bytes.length && !text.includes("\uFFFD") ? text : null;
}

/**
 * Decodes `bytes` as Latin-1 (ISO-8859-1): each byte becomes the character
 * of the same code, as Python's `bytes.decode("latin-1")`. Never fails.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { latin1Decode } from "./latin1.ts";
 * equal(latin1Decode(new Uint8Array([0x63, 0x61, 0x66, 0xe9])), "café");
 * ```
 */
export function latin1Decode(bytes: Uint8Array): string {
  if (bytes.length >= NATIVE_FROM) {
    // ASCII, the usual case, decodes natively.
    const text = decodeAscii(bytes);
    if (text !== null) return text;
  }
  if (bytes.length <= CHUNK) {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  let text = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + CHUNK) as unknown as number[],
    );
  }
  return text;
}

/**
 * Encodes `text` as Latin-1, a byte a character. Every character must be
 * below U+0100 (callers check, or take the text from a Latin-1 source): a
 * higher one would lose its high bits.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { latin1Encode } from "./latin1.ts";
 * deepEqual(latin1Encode("café"), new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
 * ```
 */
export function latin1Encode(text: string): Uint8Array<ArrayBuffer> {
  if (text.length >= NATIVE_FROM) {
    // ASCII, the usual case, is the same in UTF-8, which is encoded
    // natively; any other character makes the UTF-8 form longer.
    const bytes = encoder.encode(text);
    if (bytes.length === text.length) return bytes;
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * RFC 9110 §5.6.2 tokens: what header names (and many parameter values) are
 * made of; and §5.6.3's optional whitespace around values.
 *
 * @module
 */

/**
 * RFC 9110 §5.6.3 optional whitespace: the blanks around a field value or a
 * list element (not JavaScript's whitespace, which has NBSP), for
 * `pyStrip(value, OWS)`, which trims in time linear in the value's length
 * (a pattern such as `/^[ \t]+|[ \t]+$/g` made a 64 KiB value cost seconds).
 */
export const OWS = " \t";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The bytes `TOKEN` allows, for byte-at-a-time parsers. */
const TOKEN_BYTES = new Uint8Array(128);
for (let byte = 0; byte < 128; byte++) {
  TOKEN_BYTES[byte] = TOKEN.test(String.fromCharCode(byte)) ? 1 : 0;
}

/**
 * Whether `byte` may be part of an RFC 9110 token (a header name's
 * characters), for parsers that read a byte at a time.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isTokenByte } from "./http_token.ts";
 * equal(isTokenByte(0x41), true); // A
 * equal(isTokenByte(0x3a), false); // :
 * ```
 */
export function isTokenByte(byte: number): boolean {
  return TOKEN_BYTES[byte] === 1;
}

/**
 * Whether `text` is a non-empty RFC 9110 token (a valid header name, as
 * fetch's `Headers` requires).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isToken } from "./http_token.ts";
 * equal(isToken("Content-Type"), true);
 * equal(isToken("x a"), false);
 * equal(isToken(""), false);
 * ```
 */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

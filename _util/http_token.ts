/**
 * RFC 9110 §5.6.2 tokens: what header names (and many parameter values) are
 * made of.
 *
 * @module
 */

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

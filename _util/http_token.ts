/**
 * RFC 9110 §5.6.2 tokens: what header names (and many parameter values) are
 * made of.
 *
 * @module
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

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

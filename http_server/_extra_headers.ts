/**
 * Headers the operator adds to every response (`-H "Name: Value"`, curl's
 * form): parsed and checked once, at startup.
 *
 * @module
 */

import { isToken, OWS } from "../_util/http_token.ts";
import { pyStrip } from "../_util/py_str.ts";

// RFC 9110 §5.5: no control character but the tab (clients refuse
// responses that carry one), nothing beyond Latin-1.
// deno-lint-ignore no-control-regex
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/;

/**
 * Names the server must set itself: they frame the message or the
 * connection, or describe a response it works out per request (its
 * encoding, range and entity tag).
 */
const RESERVED = new Set([
  "connection",
  "content-encoding",
  "content-length",
  "content-range",
  "etag",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Checks header `name: value` as one to add to every response.
 *
 * @throws {TypeError} For a name that is not a token or that the server
 * must set itself (`Content-Length`, `Connection`, …), or a value holding
 * CR, LF, NUL or a character beyond Latin-1.
 */
export function checkExtraHeader(name: string, value: string | null): void {
  if (!isToken(name)) {
    throw new TypeError(`${JSON.stringify(name)} is not a valid header name`);
  }
  if (RESERVED.has(name.toLowerCase())) {
    throw new TypeError(`${name} is set by the server and cannot be added`);
  }
  if (value !== null && BAD_VALUE.test(value)) {
    throw new TypeError(
      `the value of ${name} holds a control character or one beyond Latin-1`,
    );
  }
}

/**
 * Reads curl's forms: `"Name: Value"` (spaces around the value dropped),
 * `"Name:"` to remove the server's own header of that name (a `null`
 * value), `"Name;"` for a header with an empty value; then checks it with
 * {@linkcode checkExtraHeader}.
 *
 * @throws {TypeError} Without a colon or the semicolon form, or as
 * `checkExtraHeader` does.
 */
export function parseExtraHeader(text: string): [string, string | null] {
  const colon = text.indexOf(":");
  if (colon === -1) {
    if (text.endsWith(";")) {
      const name = text.slice(0, -1).trim();
      checkExtraHeader(name, "");
      return [name, ""];
    }
    throw new TypeError(`${JSON.stringify(text)} is not "Name: Value"`);
  }
  const name = text.slice(0, colon).trim();
  const value = pyStrip(text.slice(colon + 1), OWS);
  checkExtraHeader(name, value || null);
  return [name, value || null];
}

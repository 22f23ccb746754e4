/**
 * Python's `pathname2url` and `url2pathname` (POSIX forms, as in 3.13).
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `pathname2url` and
 * `url2pathname` (POSIX).
 *
 * @module
 */
import { quote, unquote } from "../parse/mod.ts";

/**
 * Python's `urllib.request.pathname2url`: a file system path as the path
 * part of a `file:` URL (percent-encoded, `/` kept).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { pathname2url } from "@pyport/web/urllib/request";
 * assert(pathname2url("/tmp/a b.txt") === "/tmp/a%20b.txt");
 * ```
 */
export function pathname2url(pathname: string): string {
  return quote(pathname);
}

/**
 * Python's `urllib.request.url2pathname`: the path part of a `file:` URL
 * as a file system path (percent-decoded).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { url2pathname } from "@pyport/web/urllib/request";
 * assert(url2pathname("/tmp/a%20b.txt") === "/tmp/a b.txt");
 * ```
 */
export function url2pathname(pathname: string): string {
  return unquote(pathname);
}

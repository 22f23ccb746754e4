/**
 * Python's scheme classification lists. They are plain mutable arrays, as in
 * Python, so a program may register its own scheme (`uses_netloc.push("x")`)
 * and every function here honours it on the next call.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, the scheme lists at its top.
 *
 * @module
 */

/**
 * Schemes whose relative references {@linkcode urljoin} resolves against a
 * base (the empty string stands for "no scheme").
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { uses_relative } from "@pyport/web/urllib/parse";
 * assert(uses_relative.includes("https"));
 * ```
 */
export const uses_relative: string[] = [
  "",
  "ftp",
  "http",
  "gopher",
  "nntp",
  "imap",
  "wais",
  "file",
  "https",
  "shttp",
  "mms",
  "prospero",
  "rtsp",
  "rtsps",
  "rtspu",
  "sftp",
  "svn",
  "svn+ssh",
  "ws",
  "wss",
];

/**
 * Schemes that carry a `//netloc` part: {@linkcode urlunsplit} writes `//`
 * for them even when the netloc is empty, and {@linkcode urljoin} inherits
 * the base's netloc.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlunsplit, uses_netloc } from "@pyport/web/urllib/parse";
 * assert(uses_netloc.includes("file"));
 * assert(urlunsplit(["file", "", "/tmp/x", "", ""]) === "file:///tmp/x");
 * ```
 */
export const uses_netloc: string[] = [
  "",
  "ftp",
  "http",
  "gopher",
  "nntp",
  "telnet",
  "imap",
  "wais",
  "file",
  "mms",
  "https",
  "shttp",
  "snews",
  "prospero",
  "rtsp",
  "rtsps",
  "rtspu",
  "rsync",
  "svn",
  "svn+ssh",
  "sftp",
  "nfs",
  "git",
  "git+ssh",
  "ws",
  "wss",
  "itms-services",
];

/**
 * Schemes whose last path segment may carry `;params`, which
 * {@linkcode urlparse} splits off.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlparse, uses_params } from "@pyport/web/urllib/parse";
 * assert(uses_params.includes("http"));
 * assert(urlparse("http://h/p;type=a").params === "type=a");
 * ```
 */
export const uses_params: string[] = [
  "",
  "ftp",
  "hdl",
  "prospero",
  "http",
  "imap",
  "https",
  "shttp",
  "rtsp",
  "rtsps",
  "rtspu",
  "sip",
  "sips",
  "mms",
  "sftp",
  "tel",
];

/**
 * Kept for compatibility with Python, which no longer consults it.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { non_hierarchical } from "@pyport/web/urllib/parse";
 * assert(non_hierarchical.includes("mailto"));
 * ```
 */
export const non_hierarchical: string[] = [
  "gopher",
  "hdl",
  "mailto",
  "news",
  "telnet",
  "wais",
  "imap",
  "snews",
  "sip",
  "sips",
];

/**
 * Kept for compatibility with Python, which no longer consults it.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { uses_query } from "@pyport/web/urllib/parse";
 * assert(uses_query.includes("http"));
 * ```
 */
export const uses_query: string[] = [
  "",
  "http",
  "wais",
  "imap",
  "https",
  "shttp",
  "mms",
  "gopher",
  "rtsp",
  "rtsps",
  "rtspu",
  "sip",
  "sips",
];

/**
 * Kept for compatibility with Python, which no longer consults it.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { uses_fragment } from "@pyport/web/urllib/parse";
 * assert(uses_fragment.includes("https"));
 * ```
 */
export const uses_fragment: string[] = [
  "",
  "ftp",
  "hdl",
  "http",
  "gopher",
  "news",
  "nntp",
  "wais",
  "https",
  "shttp",
  "snews",
  "file",
  "prospero",
];

/**
 * The characters allowed in a scheme name (the first must be a letter).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { scheme_chars } from "@pyport/web/urllib/parse";
 * assert(scheme_chars.includes("+") && !scheme_chars.includes("_"));
 * ```
 */
export const scheme_chars: string =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";

/**
 * Python's `urlsplit`, `urlparse`, `urlunsplit`, `urlunparse`,
 * `urldefrag` and `unwrap`, with CPython 3.13's security behaviour.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `urlsplit`, `urlparse`,
 * `urlunsplit`, `urlunparse`, `urldefrag` and `unwrap`.
 *
 * @module
 */

import { pyStr } from "../../_util/py_repr.ts";
import { missingArguments } from "../../_util/py_args.ts";
import {
  bytesArgText,
  describe,
  mixError,
  onlyOneArgument,
  splitArgs,
  type SplitOptions,
  strArgText,
  tooManyArguments,
  truthy,
} from "./_split_args.ts";
import { asciiDecode } from "./_split_codec.ts";
import { latin1Encode } from "../../_util/latin1.ts";
import { pyStrip } from "../../_util/py_str.ts";
import {
  splitInto,
  splitParams,
  type SplitParts,
  unparseText,
  unsplitText,
} from "./_split_core.ts";
import {
  DefragResult,
  DefragResultBytes,
  ParseResult,
  ParseResultBytes,
  SplitResult,
  SplitResultBytes,
} from "./results.ts";

export type { SplitOptions } from "./_split_args.ts";
export {
  non_hierarchical,
  scheme_chars,
  uses_fragment,
  uses_netloc,
  uses_params,
  uses_query,
  uses_relative,
} from "./_split_schemes.ts";

/**
 * The optional arguments of `urlsplit` / `urlparse`, in any Python form.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { type SplitArgs, urlparse } from "@pyport/web/urllib/parse";
 * const args: SplitArgs = ["https", { allow_fragments: false }];
 * equal(urlparse("//h/p#x", ...args).scheme, "https");
 * ```
 */
export type SplitArgs =
  | [scheme?: string | Uint8Array, allow_fragments?: boolean]
  | [options: SplitOptions]
  | [scheme: string | Uint8Array, options: Omit<SplitOptions, "scheme">];

const parts: SplitParts = {
  scheme: "",
  netloc: "",
  path: "",
  query: "",
  fragment: "",
};

function splitUrl(
  fn: "urlsplit" | "urlparse",
  url: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
): boolean {
  if (
    typeof url === "string" && a === undefined && b === undefined &&
    c === undefined
  ) {
    splitInto(parts, url, "", true);
    return false;
  }
  const { scheme, allowFragments } = splitArgs(fn, a, b, c);
  if (typeof url === "string") {
    splitInto(
      parts,
      url,
      typeof scheme === "string" ? scheme : strArgText(scheme),
      allowFragments,
    );
    return false;
  }
  if (url instanceof Uint8Array) {
    const schemeText = bytesArgText(scheme);
    splitInto(parts, asciiDecode(url), schemeText, allowFragments);
    return true;
  }
  if (url === undefined) throw missingArguments(fn, ["url"]);
  if (url === null) {
    // Python's None is an empty URL, split as bytes.
    splitInto(parts, "", bytesArgText(scheme), allowFragments);
    return true;
  }
  throw new TypeError(
    `${fn}() expected str or Uint8Array, got ${describe(url)}`,
  );
}

/**
 * Splits a URL into `(scheme, netloc, path, query, fragment)`, as Python's
 * `urllib.parse.urlsplit`. Leading C0 controls and spaces are stripped and
 * tabs and newlines removed everywhere; a malformed bracketed host, or a
 * netloc whose NFKC form gains a delimiter, throws TypeError. Bytes in give
 * a {@linkcode SplitResultBytes} out.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("HTTP://example.com:8080/a/b?x=1#frag");
 * equal(r.scheme, "http");
 * equal(r.netloc, "example.com:8080");
 * equal(r.port, 8080);
 * equal(urlsplit("//h/p", "https").scheme, "https");
 * equal(urlsplit("/p#f", { allow_fragments: false }).path, "/p#f");
 * throws(() => urlsplit("http://[::1]x/"), TypeError);
 * ```
 */
export function urlsplit(url: string, ...args: SplitArgs): SplitResult;
/** Splits a bytes URL (ASCII only), giving bytes fields. */
export function urlsplit(url: Uint8Array, ...args: SplitArgs): SplitResultBytes;
/** Splits a URL whose type is only known at run time. */
export function urlsplit(
  url: string | Uint8Array,
  ...args: SplitArgs
): SplitResult | SplitResultBytes;
export function urlsplit(
  url: string | Uint8Array,
  a?: unknown,
  b?: unknown,
  c?: unknown,
): SplitResult | SplitResultBytes {
  if (arguments.length > 4) tooManyArguments("urlsplit", arguments.length);
  if (splitUrl("urlsplit", url, a, b, c)) {
    return new SplitResultBytes(
      latin1Encode(parts.scheme),
      latin1Encode(parts.netloc),
      latin1Encode(parts.path),
      latin1Encode(parts.query),
      latin1Encode(parts.fragment),
    );
  }
  return new SplitResult(
    parts.scheme,
    parts.netloc,
    parts.path,
    parts.query,
    parts.fragment,
  );
}

/**
 * Parses a URL into `(scheme, netloc, path, params, query, fragment)`, as
 * Python's `urllib.parse.urlparse`: {@linkcode urlsplit} plus the `;params`
 * of the last path segment for the schemes in `uses_params`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { urlparse } from "@pyport/web/urllib/parse";
 * deepEqual(
 *   [...urlparse("http://www.cwi.nl:80/%7Eguido/Python.html;v=1?q#s")],
 *   ["http", "www.cwi.nl:80", "/%7Eguido/Python.html", "v=1", "q", "s"],
 * );
 * ```
 */
export function urlparse(url: string, ...args: SplitArgs): ParseResult;
/** Parses a bytes URL (ASCII only), giving bytes fields. */
export function urlparse(url: Uint8Array, ...args: SplitArgs): ParseResultBytes;
/** Parses a URL whose type is only known at run time. */
export function urlparse(
  url: string | Uint8Array,
  ...args: SplitArgs
): ParseResult | ParseResultBytes;
export function urlparse(
  url: string | Uint8Array,
  a?: unknown,
  b?: unknown,
  c?: unknown,
): ParseResult | ParseResultBytes {
  if (arguments.length > 4) tooManyArguments("urlparse", arguments.length);
  const isBytes = splitUrl("urlparse", url, a, b, c);
  let path = parts.path;
  let params = "";
  const split = splitParams(parts.scheme, path);
  if (split !== null) [path, params] = split;
  if (isBytes) {
    return new ParseResultBytes(
      latin1Encode(parts.scheme),
      latin1Encode(parts.netloc),
      latin1Encode(path),
      latin1Encode(params),
      latin1Encode(parts.query),
      latin1Encode(parts.fragment),
    );
  }
  return new ParseResult(
    parts.scheme,
    parts.netloc,
    path,
    params,
    parts.query,
    parts.fragment,
  );
}

/**
 * Turns the components of one call into text, returning whether the call
 * was a bytes call (decided, as in Python, by the first component).
 */
function componentsText(
  fn: string,
  components: Iterable<unknown>,
  count: number,
): [string[], boolean] {
  if (
    components === null || typeof components !== "object" ||
    !(Symbol.iterator in components)
  ) {
    throw new TypeError(
      `${fn}() argument must be an iterable of ${count} items`,
    );
  }
  const values = Array.from(components);
  if (values.length !== count) {
    throw new TypeError(
      `${fn}() expected ${count} components, got ${values.length}`,
    );
  }
  const isStr = typeof values[0] === "string";
  for (let i = 1; i < count; i++) {
    const v = values[i];
    if (truthy(v) && (typeof v === "string") !== isStr) throw mixError();
  }
  return [values.map(isStr ? strArgText : bytesArgText), !isStr];
}

/**
 * Puts a URL back together from `(scheme, netloc, path, query, fragment)`:
 * any iterable of five items, such as a {@linkcode SplitResult}. Redundant
 * delimiters of the original (an empty `?`) are not restored.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlsplit, urlunsplit } from "@pyport/web/urllib/parse";
 * equal(urlunsplit(["https", "example.com", "a", "q=1", ""]), "https://example.com/a?q=1");
 * equal(urlunsplit(urlsplit("http://h/p?")), "http://h/p");
 * ```
 */
export function urlunsplit(components: Iterable<string>): string;
/** Puts a bytes URL back together. */
export function urlunsplit(
  components: Iterable<Uint8Array>,
): Uint8Array<ArrayBuffer>;
/** Puts a URL back together from a mix of text and empty bytes. */
export function urlunsplit(
  components: Iterable<string | Uint8Array>,
): string | Uint8Array;
export function urlunsplit(
  components: Iterable<string | Uint8Array>,
): string | Uint8Array {
  onlyOneArgument("urlunsplit", arguments.length);
  if (components === undefined) {
    throw missingArguments("urlunsplit", ["components"]);
  }
  if (components instanceof SplitResult) {
    const r = components;
    return unsplitText(r.scheme, r.netloc, r.path, r.query, r.fragment);
  }
  const [v, isBytes] = componentsText("urlunsplit", components, 5);
  const url = unsplitText(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!);
  return isBytes ? latin1Encode(url) : url;
}

/**
 * Puts a URL back together from `(scheme, netloc, path, params, query,
 * fragment)`: any iterable of six items, such as a {@linkcode ParseResult}.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlunparse } from "@pyport/web/urllib/parse";
 * equal(urlunparse(["http", "h", "/p", "type=a", "", "x"]), "http://h/p;type=a#x");
 * ```
 */
export function urlunparse(components: Iterable<string>): string;
/** Puts a bytes URL back together. */
export function urlunparse(
  components: Iterable<Uint8Array>,
): Uint8Array<ArrayBuffer>;
/** Puts a URL back together from a mix of text and empty bytes. */
export function urlunparse(
  components: Iterable<string | Uint8Array>,
): string | Uint8Array;
export function urlunparse(
  components: Iterable<string | Uint8Array>,
): string | Uint8Array {
  onlyOneArgument("urlunparse", arguments.length);
  if (components === undefined) {
    throw missingArguments("urlunparse", ["components"]);
  }
  if (components instanceof ParseResult) {
    const r = components;
    return unparseText(
      r.scheme,
      r.netloc,
      r.path,
      r.params,
      r.query,
      r.fragment,
    );
  }
  const [v, isBytes] = componentsText("urlunparse", components, 6);
  const url = unparseText(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!);
  return isBytes ? latin1Encode(url) : url;
}

function defragText(url: string): [string, string] {
  if (!url.includes("#")) return [url, ""];
  splitInto(parts, url, "", true);
  let path = parts.path;
  let params = "";
  const split = splitParams(parts.scheme, path);
  if (split !== null) [path, params] = split;
  const defragged = unparseText(
    parts.scheme,
    parts.netloc,
    path,
    params,
    parts.query,
    "",
  );
  return [defragged, parts.fragment];
}

/**
 * Splits the fragment off a URL: `(url, fragment)`, the fragment empty when
 * there is none. A URL with a `#` is re-assembled, so redundant delimiters
 * disappear as in {@linkcode urlunparse}.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urldefrag } from "@pyport/web/urllib/parse";
 * const r = urldefrag("http://python.org/about/#history");
 * equal(r.url, "http://python.org/about/");
 * equal(r.fragment, "history");
 * ```
 */
export function urldefrag(url: string): DefragResult;
/** Splits the fragment off a bytes URL. */
export function urldefrag(url: Uint8Array): DefragResultBytes;
/** Defragments a URL whose type is only known at run time. */
export function urldefrag(
  url: string | Uint8Array,
): DefragResult | DefragResultBytes;
export function urldefrag(
  url: string | Uint8Array,
): DefragResult | DefragResultBytes {
  onlyOneArgument("urldefrag", arguments.length);
  if (url === undefined) throw missingArguments("urldefrag", ["url"]);
  if (typeof url === "string") {
    const [u, f] = defragText(url);
    return new DefragResult(u, f);
  }
  const [u, f] = defragText(bytesArgText(url));
  return new DefragResultBytes(latin1Encode(u), latin1Encode(f));
}

/**
 * Unwraps a URL written as `<URL:scheme://host/path>` (the form of old
 * plain-text mail): strips whitespace, then the angle brackets and the
 * `URL:` prefix, each where present.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { unwrap } from "@pyport/web/urllib/parse";
 * equal(unwrap("<URL:type://host/path>"), "type://host/path");
 * equal(unwrap("<http://h/>"), "http://h/");
 * equal(unwrap("URL:http://h/"), "http://h/");
 * equal(unwrap(" http://h/ "), "http://h/");
 * ```
 */
export function unwrap(url: string): string {
  onlyOneArgument("unwrap", arguments.length);
  if (url === undefined) throw missingArguments("unwrap", ["url"]);
  // Python's str() of anything else: `b'...'` for bytes, `None` for null.
  url = pyStrip(typeof url === "string" ? url : pyStr(url));
  if (url.startsWith("<") && url.endsWith(">")) {
    url = pyStrip(url.slice(1, -1));
  }
  if (url.startsWith("URL:")) url = pyStrip(url.slice(4));
  return url;
}

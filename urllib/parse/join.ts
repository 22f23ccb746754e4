/**
 * Python's `urljoin`: RFC 3986 reference resolution with Python's
 * `uses_relative` / `uses_netloc` rules.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `urljoin`.
 *
 * @module
 */

import { missingArguments } from "../../_util/py_args.ts";
import {
  bytesArgText,
  joinArgs,
  type JoinOptions,
  mixError,
  tooManyArguments,
  truthy,
} from "./_split_args.ts";
import { latin1Encode } from "../../_util/latin1.ts";
import {
  splitInto,
  splitParams,
  type SplitParts,
  unparseText,
} from "./_split_core.ts";
import { uses_netloc, uses_relative } from "./_split_schemes.ts";

export type { JoinOptions } from "./_split_args.ts";

const parts: SplitParts = {
  scheme: "",
  netloc: "",
  path: "",
  query: "",
  fragment: "",
};

/** Removes dot segments from the merged path (RFC 3986 §5.2.4). */
function resolvePath(bpath: string, path: string): string {
  let segments: string[];
  if (path.charCodeAt(0) === 0x2f) {
    segments = path.split("/");
  } else {
    const base = bpath.split("/");
    // The base's last segment is a file name, not a directory.
    if (base[base.length - 1] !== "") base.pop();
    segments = base.concat(path.split("/"));
    if (segments.length > 2) {
      // Empty inner segments would become redundant slashes.
      const last = segments.length - 1;
      const kept = [segments[0] as string];
      for (let i = 1; i < last; i++) {
        if (segments[i] !== "") kept.push(segments[i] as string);
      }
      kept.push(segments[last] as string);
      segments = kept;
    }
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === "..") {
      resolved.pop();
    } else if (seg !== ".") {
      resolved.push(seg);
    }
  }
  const tail = segments[segments.length - 1];
  if (tail === "." || tail === "..") resolved.push("");
  return resolved.join("/") || "/";
}

function joinText(
  base: string,
  url: string,
  allowFragments: boolean,
): string | null {
  splitInto(parts, base, "", allowFragments);
  const bscheme = parts.scheme;
  const bnetloc = parts.netloc;
  let bpath = parts.path;
  const bquery = parts.query;
  let bparams = "";
  const bsplit = splitParams(bscheme, bpath);
  if (bsplit !== null) [bpath, bparams] = bsplit;

  splitInto(parts, url, bscheme, allowFragments);
  const scheme = parts.scheme;
  let netloc = parts.netloc;
  let path = parts.path;
  let query = parts.query;
  const fragment = parts.fragment;
  let params = "";
  const split = splitParams(scheme, path);
  if (split !== null) [path, params] = split;

  // null: the reference is used as given.
  if (scheme !== bscheme || !uses_relative.includes(scheme)) return null;
  if (uses_netloc.includes(scheme)) {
    if (netloc !== "") {
      return unparseText(scheme, netloc, path, params, query, fragment);
    }
    netloc = bnetloc;
  }
  if (path === "" && params === "") {
    if (query === "") query = bquery;
    return unparseText(scheme, netloc, bpath, bparams, query, fragment);
  }
  return unparseText(
    scheme,
    netloc,
    resolvePath(bpath, path),
    params,
    query,
    fragment,
  );
}

/**
 * Resolves `url` against the absolute `base`, as Python's
 * `urllib.parse.urljoin`: a relative reference takes the base's scheme,
 * netloc and directory; an absolute one (or one whose scheme is not in
 * `uses_relative`) is returned as given.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urljoin } from "@pyport/web/urllib/parse";
 * const base = "http://a/b/c/d;p?q";
 * equal(urljoin(base, "../g"), "http://a/b/g");
 * equal(urljoin(base, "?y"), "http://a/b/c/d;p?y");
 * equal(urljoin(base, "//g"), "http://g");
 * equal(urljoin(base, "#s", { allow_fragments: true }), "http://a/b/c/d;p?q#s");
 * ```
 */
export function urljoin(
  base: string,
  url: string,
  allow_fragments?: boolean | JoinOptions,
): string;
/**
 * Resolves a bytes reference against a bytes base (ASCII only): new bytes,
 * or `base` or `url` itself when the other is empty, as in Python.
 */
export function urljoin(
  base: Uint8Array<ArrayBuffer>,
  url: Uint8Array<ArrayBuffer>,
  allow_fragments?: boolean | JoinOptions,
): Uint8Array<ArrayBuffer>;
/** Resolves a bytes reference against a bytes base (ASCII only). */
export function urljoin(
  base: Uint8Array,
  url: Uint8Array,
  allow_fragments?: boolean | JoinOptions,
): Uint8Array;
/** Mixed calls are allowed only when one side is empty, as in Python. */
export function urljoin(
  base: string | Uint8Array,
  url: string | Uint8Array,
  allow_fragments?: boolean | JoinOptions,
): string | Uint8Array;
export function urljoin(
  base: string | Uint8Array,
  url: string | Uint8Array,
  a?: unknown,
  b?: unknown,
): string | Uint8Array {
  if (arguments.length > 4) tooManyArguments("urljoin", arguments.length);
  if (base === undefined || url === undefined) {
    const given: [string, unknown][] = [["base", base], ["url", url]];
    throw missingArguments(
      "urljoin",
      given.filter(([, value]) => value === undefined).map(([name]) => name),
    );
  }
  if (!truthy(base)) return url;
  if (!truthy(url)) return base;
  const allowFragments = joinArgs(a, b);
  if (typeof base === "string") {
    if (typeof url !== "string") throw mixError();
    return joinText(base, url, allowFragments) ?? url;
  }
  if (typeof url === "string") throw mixError();
  const joined = joinText(
    bytesArgText(base),
    bytesArgText(url),
    allowFragments,
  );
  return joined === null ? url : latin1Encode(joined);
}

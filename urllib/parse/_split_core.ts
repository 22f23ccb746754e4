/**
 * Text-only splitting and unsplitting shared by `urlsplit`, `urlparse`,
 * `urljoin` and the result classes. Bytes are bridged by the callers.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `urlsplit`, `urlunsplit`,
 * `urlunparse`, `_splitparams` and `_splitnetloc`.
 *
 * @module
 */

import { checkBracketedNetloc, checkNetlocNormalization } from "./_netloc.ts";
import { uses_netloc, uses_params } from "./_split_schemes.ts";

/** The five components produced by {@linkcode splitInto}. */
export interface SplitParts {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

// Whether a code unit may appear in a scheme (letters, digits, "+-.").
const SCHEME_CHAR = new Uint8Array(128);
for (
  const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."
) {
  SCHEME_CHAR[c.charCodeAt(0)] = 1;
}

function hasUnsafeBytes(text: string): boolean {
  return text.includes("\t") || text.includes("\n") || text.includes("\r");
}

// bpo-43882: tabs and newlines are dropped wherever they appear, as browsers do.
function removeUnsafeBytes(text: string): string {
  return text.replace(/[\t\n\r]/g, "");
}

function stripScheme(scheme: string): string {
  let start = 0;
  let end = scheme.length;
  while (start < end && scheme.charCodeAt(start) <= 0x20) start++;
  while (end > start && scheme.charCodeAt(end - 1) <= 0x20) end--;
  if (start !== 0 || end !== scheme.length) scheme = scheme.slice(start, end);
  return hasUnsafeBytes(scheme) ? removeUnsafeBytes(scheme) : scheme;
}

/**
 * Splits `url` into `out` (reused by callers to avoid an allocation per
 * call). Throws TypeError for the netlocs Python rejects with ValueError.
 */
export function splitInto(
  out: SplitParts,
  url: string,
  scheme: string,
  allowFragments: boolean,
): void {
  let len = url.length;
  let start = 0;
  // CVE-2023-24329: leading C0 controls and spaces would hide the scheme.
  while (start < len && url.charCodeAt(start) <= 0x20) start++;
  if (start !== 0) {
    url = url.slice(start);
  }
  if (hasUnsafeBytes(url)) url = removeUnsafeBytes(url);
  if (scheme !== "") scheme = stripScheme(scheme);
  len = url.length;

  const colon = url.indexOf(":");
  if (colon > 0) {
    const first = url.charCodeAt(0) | 0x20;
    if (first >= 97 && first <= 122) {
      let i = 1;
      let upper = first !== url.charCodeAt(0);
      while (i < colon) {
        const c = url.charCodeAt(i);
        if (c > 127 || SCHEME_CHAR[c] === 0) break;
        if (c >= 65 && c <= 90) upper = true;
        i++;
      }
      if (i === colon) {
        scheme = url.slice(0, colon);
        if (upper) scheme = scheme.toLowerCase();
        url = url.slice(colon + 1);
        len = url.length;
      }
    }
  }

  let netloc = "";
  if (url.charCodeAt(0) === 0x2f && url.charCodeAt(1) === 0x2f) {
    let i = 2;
    let brackets = 0; // bit 1: "[" seen, bit 2: "]" seen
    let nonAscii = false;
    for (; i < len; i++) {
      const c = url.charCodeAt(i);
      if (c === 0x2f || c === 0x3f || c === 0x23) break;
      if (c === 0x5b) brackets |= 1;
      else if (c === 0x5d) brackets |= 2;
      else if (c > 127) nonAscii = true;
    }
    netloc = url.slice(2, i);
    url = url.slice(i);
    if (brackets !== 0) {
      if (brackets !== 3) throw new TypeError("Invalid IPv6 URL");
      checkBracketedNetloc(netloc);
    }
    if (nonAscii) checkNetlocNormalization(netloc);
  }

  let fragment = "";
  if (allowFragments) {
    const hash = url.indexOf("#");
    if (hash >= 0) {
      fragment = url.slice(hash + 1);
      url = url.slice(0, hash);
    }
  }
  let query = "";
  const q = url.indexOf("?");
  if (q >= 0) {
    query = url.slice(q + 1);
    url = url.slice(0, q);
  }
  out.scheme = scheme;
  out.netloc = netloc;
  out.path = url;
  out.query = query;
  out.fragment = fragment;
}

/**
 * Splits `;params` off the last path segment: `[path, params]`, or null
 * when there is nothing to split (the common case, checked first).
 */
export function splitParams(
  scheme: string,
  path: string,
): [string, string] | null {
  const semi = path.indexOf(";");
  if (semi < 0 || !uses_params.includes(scheme)) return null;
  const slash = path.lastIndexOf("/");
  if (slash < 0) return [path.slice(0, semi), path.slice(semi + 1)];
  const i = path.indexOf(";", slash);
  if (i < 0) return null;
  return [path.slice(0, i), path.slice(i + 1)];
}

/** Reassembles five text components as Python's `urlunsplit`. */
export function unsplitText(
  scheme: string,
  netloc: string,
  path: string,
  query: string,
  fragment: string,
): string {
  let url = path;
  if (netloc !== "") {
    if (url !== "" && url.charCodeAt(0) !== 0x2f) url = "/" + url;
    url = "//" + netloc + url;
  } else if (url.charCodeAt(0) === 0x2f && url.charCodeAt(1) === 0x2f) {
    // Without this, the path's leading "//" would read back as a netloc.
    url = "//" + url;
  } else if (
    scheme !== "" && (url === "" || url.charCodeAt(0) === 0x2f) &&
    uses_netloc.includes(scheme)
  ) {
    url = "//" + url;
  }
  if (scheme !== "") url = scheme + ":" + url;
  if (query !== "") url = url + "?" + query;
  if (fragment !== "") url = url + "#" + fragment;
  return url;
}

/** Reassembles six text components as Python's `urlunparse`. */
export function unparseText(
  scheme: string,
  netloc: string,
  path: string,
  params: string,
  query: string,
  fragment: string,
): string {
  if (params !== "") path = path + ";" + params;
  return unsplitText(scheme, netloc, path, query, fragment);
}

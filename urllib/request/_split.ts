/**
 * The small URL-splitting steps urllib.request applies to `Request` URLs and
 * proxy URLs (Python's private `_splittype`, `_splithost`, … helpers).
 * They are looser than `urlsplit` on purpose: Request keeps whatever the
 * caller wrote after the host as the selector.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_splittype`, `_splithost`,
 * `_splittag`, `_splituser`, `_splitpasswd` and `_splitport`.
 *
 * @module
 */
import { pyLower, pyTitleChar } from "../../_util/py_case.ts";

/**
 * What http.client refuses anywhere in a URL it sends (its
 * `_contains_disallowed_url_pchar_re`): control characters and the space.
 */
// deno-lint-ignore no-control-regex
export const URL_FORBIDDEN = /[\x00-\x20\x7f]/;

/** `"http://h/p"` → `["http", "//h/p"]`; no scheme → `[null, url]`. */
export function splitType(url: string): [string | null, string] {
  const m = /^([^/:]+):([\s\S]*)$/.exec(url);
  if (!m) return [null, url];
  return [pyLower(m[1] as string), m[2] as string];
}

/** `"//h:1/p"` → `["h:1", "/p"]`; no authority → `[null, url]`. */
export function splitHost(url: string): [string | null, string] {
  const m = /^\/\/([^/#?]*)([\s\S]*)$/.exec(url);
  if (!m) return [null, url];
  let path = m[2] as string;
  if (path && !path.startsWith("/")) path = "/" + path;
  return [m[1] as string, path];
}

/** Splits off the last `#fragment`. */
export function splitTag(url: string): [string, string | null] {
  const i = url.lastIndexOf("#");
  if (i < 0) return [url, null];
  return [url.slice(0, i), url.slice(i + 1)];
}

/** `"user:pw@host"` → `["user:pw", "host"]`, split at the last `@`. */
export function splitUser(host: string): [string | null, string] {
  const i = host.lastIndexOf("@");
  if (i < 0) return [null, host];
  return [host.slice(0, i), host.slice(i + 1)];
}

/** `"user:pw"` → `["user", "pw"]`, split at the first `:`. */
export function splitPasswd(user: string): [string, string | null] {
  const i = user.indexOf(":");
  if (i < 0) return [user, null];
  return [user.slice(0, i), user.slice(i + 1)];
}

/**
 * `"host:80"` → `["host", "80"]`; `"host:"` → `["host", null]`; a
 * non-numeric port → `[host, null]` with the host whole.
 */
export function splitPort(host: string): [string, string | null] {
  const m = /^([\s\S]*):([0-9]*)$/.exec(host);
  if (!m) return [host, null];
  // An empty port still comes off: `"host:"` is `["host", null]`.
  return [m[1] as string, m[2] || null];
}

/**
 * Python's `str.capitalize()`, the header-name form Request stores: the
 * first character title-cased (`ß` is `Ss`), the rest lower-cased as part
 * of the whole name (a final sigma stays final).
 */
export function capitalize(name: string): string {
  if (name === "") return "";
  const first = String.fromCodePoint(name.codePointAt(0)!);
  return pyTitleChar(first) + pyLower(name).slice(pyLower(first).length);
}

const CASED = /[\p{Lowercase}\p{Uppercase}\p{Lt}]/u;

/**
 * Python's `str.title()` for header names: `content-type` → `Content-Type`.
 * Outside ASCII each character is mapped as Python maps it (a letter after
 * a cased one lower-cased, any other title-cased), which matters where the
 * result is ASCII: `ß` at a word's start is `Ss`, and the Kelvin sign
 * `\u212a` stays itself there (and is refused) but is `k` after a letter.
 * (Which letters are cased follows V8's Unicode, newer than Python's 15.1.)
 */
export function titleCase(name: string): string {
  if (!/[^\0-\x7f]/.test(name)) {
    return name.toLowerCase().replace(
      /(^|[^a-z])([a-z])/g,
      (_m, pre: string, ch: string) => pre + ch.toUpperCase(),
    );
  }
  let title = "";
  let previousCased = false;
  for (const ch of name) {
    title += previousCased ? pyLower(ch) : pyTitleChar(ch);
    previousCased = CASED.test(ch);
  }
  return title;
}

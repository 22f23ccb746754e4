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
import { pyLower, pyUpper } from "../../_util/py_case.ts";

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
 * first character upper-cased, the rest lower-cased as part of the whole
 * name (a final sigma stays final). (Python title-cases the first
 * character, which differs for a few: `ß`, `ǆ`, ligatures.)
 */
export function capitalize(name: string): string {
  if (name === "") return "";
  const first = String.fromCodePoint(name.codePointAt(0)!);
  return pyUpper(first) + pyLower(name).slice(pyLower(first).length);
}

/** Python's `str.title()` for header names: `content-type` → `Content-Type`. */
export function titleCase(name: string): string {
  return name.toLowerCase().replace(
    /(^|[^a-z])([a-z])/g,
    (_m, pre: string, ch: string) => pre + ch.toUpperCase(),
  );
}

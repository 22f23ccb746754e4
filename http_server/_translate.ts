/**
 * Request path to file system path, confined to the served folder.
 *
 * Follows CPython 3.13 `Lib/http/server.py`,
 * `SimpleHTTPRequestHandler.translate_path` (with `Lib/posixpath.py`'s
 * `normpath`).
 *
 * @module
 */
import { pyRstrip } from "../_util/py_str.ts";
import { unquote } from "./_text.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const SEP = IS_WINDOWS ? "\\" : "/";

/** File `name` in `folder`, with the system's separator between them. */
export function joinName(folder: string, name: string): string {
  return folder.endsWith(SEP) || folder.endsWith("/")
    ? folder + name
    : folder + SEP + name;
}

/**
 * Python's `posixpath.normpath` over a `/`-separated path, for the path
 * part of a URL.
 */
export function normalizeUrlPath(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push(part);
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join("/");
  if (absolute) return "/" + joined;
  return joined === "" ? "." : joined;
}

/** Whether a decoded path segment is safe to use as one file name. */
function isPlainName(word: string): boolean {
  if (word === "." || word === "..") return false;
  // A colon would name a drive or an alternate data stream on Windows.
  if (IS_WINDOWS && word.includes(":")) return false;
  return true;
}

/**
 * Absolute URL paths of plain names (letters, digits, `-_.~`, none
 * starting with a dot) joined by single slashes, perhaps ending with one:
 * nothing to decode, drop or normalise.
 */
const PLAIN_URL_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)+\/?$/;

/**
 * Maps URL `path` (query and fragment ignored, `%`-escapes decoded) to a
 * file under `directory`. Segments that could leave the folder (`..`,
 * encoded slashes, drive letters) are dropped, as Python drops the ones it
 * recognises; a backslash separates segments (but `%5C` on a system whose
 * names can hold one); a NUL is kept, so the file system refuses the name
 * (404). A trailing `/` is kept.
 */
export function translateUrlPath(path: string, directory: string): string {
  // Most request paths are plain names joined by single slashes, which
  // decoding and normalising leave as they are: append them as they come.
  if (!IS_WINDOWS && PLAIN_URL_PATH.test(path)) {
    return (directory.endsWith("/") ? directory.slice(0, -1) : directory) +
      path;
  }
  return translateAnyUrlPath(path, directory);
}

/** {@linkcode translateUrlPath} for any path, plain or not. */
export function translateAnyUrlPath(path: string, directory: string): string {
  let cut = path.indexOf("?");
  if (cut !== -1) path = path.slice(0, cut);
  cut = path.indexOf("#");
  if (cut !== -1) path = path.slice(0, cut);
  // A backslash as sent is a separator everywhere, as browsers read it.
  // One sent as %5C is part of a name where a name can hold it (as in
  // Python, and as listings link such a name); on Windows it cannot, and
  // it is a separator there too.
  path = path.replaceAll("\\", "/");
  const trailingSlash = pyRstrip(path).endsWith("/");
  let decoded = unquote(path);
  if (IS_WINDOWS) decoded = decoded.replaceAll("\\", "/");
  const words = normalizeUrlPath(decoded).split("/");
  let out = directory;
  for (const word of words) {
    if (word === "" || !isPlainName(word)) continue;
    out += (out.endsWith(SEP) || out.endsWith("/") ? "" : SEP) + word;
  }
  if (trailingSlash) out += "/";
  return out;
}

/**
 * A request's URL path as a `Location` header or a link may carry it back:
 * browsers read `//host` and `/\host` as another site, so backslashes
 * become the separators this server takes them for, and leading slashes
 * collapse into one.
 */
export function locationPath(urlPath: string): string {
  return urlPath.replaceAll("\\", "/").replace(/^\/+/, "/");
}

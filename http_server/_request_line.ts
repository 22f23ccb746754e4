/**
 * The request line, read as CPython 3.13's `BaseHTTPRequestHandler.
 * parse_request` reads it: split on whitespace, the version checked (400,
 * 505), HTTP/0.9 recognised, leading slashes of the path collapsed. Pure:
 * the handler applies the result.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `BaseHTTPRequestHandler.parse_request` (the request line and version checks).
 *
 * @module
 */
import { pyRepr } from "../_util/py_repr.ts";

/**
 * Python's `str.split()` separators within Latin-1 (the request line is
 * decoded as ISO-8859-1): ASCII whitespace, the four information
 * separators, NEL and NO-BREAK SPACE.
 */
const SPACE_CHARS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0";
const PY_WHITESPACE = new RegExp(`[${SPACE_CHARS}]+`);
const DIGITS = /^[0-9]{1,10}$/;
const V11 = [1, 1] as const;
const V10 = [1, 0] as const;

/** What the request line asks for, or why it is refused. */
export type RequestLine =
  /** No words at all: Python closes the connection without an answer. */
  | { readonly kind: "empty" }
  /**
   * Refused: send `code` with `message`; `requestVersion` is what
   * `request_version` holds at that moment (it decides whether the error
   * gets a status line).
   */
  | {
    readonly kind: "error";
    readonly code: 400 | 505;
    readonly message: string;
    readonly requestVersion: string;
  }
  /** Accepted. */
  | {
    readonly kind: "ok";
    readonly command: string;
    readonly path: string;
    readonly requestVersion: string;
    /** Whether the connection closes after this request, before headers count. */
    readonly closeConnection: boolean;
    /** The version is 1.1 or later (a body may be chunked). */
    readonly atLeast11: boolean;
  };

/** Python's `str.rstrip('\r\n')`. */
export function stripLineEnd(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

/** Python's `str.split()` with no arguments. */
export function splitWords(line: string): string[] {
  return threeWords(line) ??
    line.split(PY_WHITESPACE).filter((word) => word !== "");
}

/**
 * The usual request line, `METHOD TARGET VERSION` with single spaces and
 * no other whitespace or control character, split without a regular
 * expression (it is on every request); `null` for anything else.
 */
function threeWords(line: string): string[] | null {
  const first = line.indexOf(" ");
  const second = line.indexOf(" ", first + 1);
  if (first <= 0 || second <= first + 1 || second === line.length - 1) {
    return null;
  }
  if (line.indexOf(" ", second + 1) !== -1) return null;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if ((code < 0x21 && code !== 0x20) || code === 0x85 || code === 0xa0) {
      return null;
    }
  }
  return [
    line.slice(0, first),
    line.slice(first + 1, second),
    line.slice(second + 1),
  ];
}

/** `[major, minor]` of `HTTP/x.y`, or `null` where Python raises ValueError. */
function versionNumber(version: string): readonly [number, number] | null {
  if (version === "HTTP/1.1") return V11;
  if (version === "HTTP/1.0") return V10;
  if (!version.startsWith("HTTP/")) return null;
  const parts = version.slice(5).split(".");
  if (parts.length !== 2) return null;
  const [major = "", minor = ""] = parts;
  if (!DIGITS.test(major) || !DIGITS.test(minor)) return null;
  return [Number(major), Number(minor)];
}

/**
 * Reads `requestline` (already stripped of its line end) as Python does,
 * for a handler whose `protocol_version` and `default_request_version`
 * are given.
 */
export function parseRequestLine(
  requestline: string,
  protocolVersion: string,
  defaultVersion: string,
): RequestLine {
  const words = splitWords(requestline);
  if (words.length === 0) return { kind: "empty" };
  let requestVersion = defaultVersion;
  let closeConnection = true;
  let atLeast11 = false;
  if (words.length >= 3) {
    const version = words[words.length - 1] as string;
    const number = versionNumber(version);
    if (number === null) {
      return {
        kind: "error",
        code: 400,
        message: `Bad request version (${pyRepr(version)})`,
        requestVersion,
      };
    }
    const [major, minor] = number;
    atLeast11 = major > 1 || (major === 1 && minor >= 1);
    if (atLeast11 && protocolVersion >= "HTTP/1.1") closeConnection = false;
    if (major >= 2) {
      return {
        kind: "error",
        code: 505,
        message: `Invalid HTTP version (${version.slice(5)})`,
        requestVersion,
      };
    }
    requestVersion = version;
  }
  if (words.length > 3 || words.length < 2) {
    return {
      kind: "error",
      code: 400,
      message: `Bad request syntax (${pyRepr(requestline)})`,
      requestVersion,
    };
  }
  const [command = "", target = ""] = words;
  if (words.length === 2) {
    closeConnection = true;
    if (command !== "GET") {
      return {
        kind: "error",
        code: 400,
        message: `Bad HTTP/0.9 request type (${pyRepr(command)})`,
        requestVersion,
      };
    }
  }
  // A path starting with "//" would read as another host in a Location
  // header built from it (Python's gh-87389 fix): keep one slash.
  const path = target.startsWith("//")
    ? "/" + target.replace(/^\/+/, "")
    : target;
  return {
    kind: "ok",
    command,
    path,
    requestVersion,
    closeConnection,
    atLeast11,
  };
}

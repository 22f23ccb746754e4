/**
 * The lines of a response head, as `send_response_only` and `send_header`
 * buffer them (`"%s %d %s\r\n"`, `"%s: %s\r\n"`, encoded as Latin-1), with
 * the checks Python leaves out: no CR, LF or NUL anywhere (header
 * injection), header names that are tokens. Pure.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `send_response_only`, `send_header` and `end_headers` (the head's bytes).
 *
 * @module
 */
import { encodeText } from "../_util/codec/mod.ts";
import { isToken } from "../_util/http_token.ts";
import { escapeCodePoint, pyRepr } from "../_util/py_repr.ts";

/** Header injection (CR, LF, NUL) or characters Latin-1 cannot carry. */
// deno-lint-ignore no-control-regex
const UNSAFE_TEXT = /[\r\n\0]|[^\x00-\xff]/;
const LINE_BREAKS = /[\r\n\0]/;

// Handlers send the same few header names on every response: remember the
// ones already checked (bounded, so a handler echoing client data cannot
// grow it without limit).
const checkedNames = new Set<string>();
const CHECKED_NAMES_MAX = 256;

function isHeaderName(name: string): boolean {
  if (checkedNames.has(name)) return true;
  if (!isToken(name)) return false;
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.add(name);
  return true;
}

/**
 * Refuses `text` in `line`: CR, LF or NUL is header injection (a
 * `TypeError`); else it holds a character beyond Latin-1, and encoding the
 * line raises Python's `UnicodeEncodeError`, as Python's `send_header` does.
 */
function refuseUnsafe(what: string, text: string, line: string): void {
  refuseLineBreaks(what, text);
  encodeText(line, "latin-1");
}

function refuseLineBreaks(what: string, text: string): void {
  if (LINE_BREAKS.test(text)) {
    throw new TypeError(
      `invalid ${what} ${pyRepr(text)}: CR, LF and NUL are not allowed`,
    );
  }
}

function checkCode(code: number): void {
  if (!Number.isInteger(code) || code < 100 || code > 999) {
    throw new RangeError(`invalid status code ${pyRepr(code)}`);
  }
}

/**
 * What {@linkcode statusLine} refuses but for the encoding: an HTTP/0.9
 * response sends no head, so Python never encodes its lines.
 */
export function checkStatus(code: number, message: string): void {
  checkCode(code);
  refuseLineBreaks("reason phrase", message);
}

/** What {@linkcode headerLine} refuses but for the encoding (HTTP/0.9). */
export function checkHeader(keyword: string, value: string): void {
  if (!isHeaderName(keyword)) {
    throw new TypeError(`invalid header name ${pyRepr(keyword)}`);
  }
  refuseLineBreaks(`header value for ${keyword}:`, value);
}

/**
 * `text` with every character Latin-1 cannot carry written as Python
 * escapes it (`\u65e5`), so that it can stand in a status line. Pure.
 */
export function latin1Reason(text: string): string {
  if (!/[\u0100-\uffff]/.test(text)) return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp > 0xff ? escapeCodePoint(cp) : ch;
  }
  return out;
}

/**
 * `HTTP/1.0 200 OK\r\n`.
 *
 * @throws {RangeError} When `code` is not an integer from 100 to 999.
 * @throws {TypeError} When `message` holds CR, LF or NUL.
 * @throws {UnicodeEncodeError} When `message` holds a character beyond
 * Latin-1 (a `TypeError` too).
 */
export function statusLine(
  protocolVersion: string,
  code: number,
  message: string,
): string {
  checkCode(code);
  const line = `${protocolVersion} ${code} ${message}\r\n`;
  if (UNSAFE_TEXT.test(message)) refuseUnsafe("reason phrase", message, line);
  return line;
}

/**
 * `Name: value\r\n`.
 *
 * @throws {TypeError} When `keyword` is not a token, or `value` holds CR,
 * LF or NUL.
 * @throws {UnicodeEncodeError} When `value` holds a character beyond
 * Latin-1 (a `TypeError` too).
 */
export function headerLine(keyword: string, value: string): string {
  if (!isHeaderName(keyword)) {
    throw new TypeError(`invalid header name ${pyRepr(keyword)}`);
  }
  const line = `${keyword}: ${value}\r\n`;
  if (UNSAFE_TEXT.test(value)) {
    refuseUnsafe(`header value for ${keyword}:`, value, line);
  }
  return line;
}

/**
 * A response head kept for reuse: its lines up to the `Date` header's
 * value as bytes (the status line and `Server`, the same for every file,
 * so shared by the templates of one handler), and those after it (through
 * the blank line) as Latin-1 text, the compact form for a head kept per
 * cached file; with what the shared part was built from. See
 * `BaseHTTPRequestHandler`'s `SEND_KEPT_HEAD`.
 */
export interface HeadTemplate {
  readonly code: number;
  readonly before: Uint8Array;
  readonly after: string;
  readonly protocol: string;
  readonly message: string;
  readonly server: string;
  readonly sys: string;
}

// Control characters and the backslash are escaped in log lines, so a
// request cannot forge lines or terminal escapes in the log.
// deno-lint-ignore no-control-regex
const LOG_UNSAFE = /[\x00-\x1f\x7f-\x9f\\]/g;

function escapeLogChar(ch: string): string {
  if (ch === "\\") return "\\\\";
  return "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
}

/** Python's `message.translate(_control_char_table)` for log lines. */
export function escapeLogMessage(message: string): string {
  LOG_UNSAFE.lastIndex = 0;
  if (!LOG_UNSAFE.test(message)) return message;
  return message.replace(LOG_UNSAFE, escapeLogChar);
}

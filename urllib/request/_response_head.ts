/**
 * The rules for a response's status line and header block, apart from the
 * socket: http.client's limits (65,536 bytes a line, 100 lines a block,
 * counting folded and blank-ending lines as it does) and one rule for
 * malformed lines.
 *
 * The rule, from RFC 9110 §5.5 and RFC 9112 §2.2 and §5: a CR that does not
 * end the line, or a NUL, makes the status line or header line invalid and
 * the response is refused (BadStatusLine / HTTPException); so is a header
 * line that is not `name: value` with the colon right after the name
 * (whitespace before the colon, no colon, an empty name, or a name with
 * characters Python's parser does not take). Lines that start with
 * whitespace continue the previous header (an obsolete fold: joined with one
 * space) or, before the first header, are skipped, as RFC 9112 allows and
 * Python does. Where CPython silently drops the rest of the headers (its
 * email parser stops at the first line it cannot read) or splits a header at
 * a bare CR, this refuses the response instead.
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPResponse._read_status` and `parse_headers` (its limits and exceptions).
 *
 * @module
 */
import { BadStatusLine, HTTPException, UnknownProtocol } from "../error.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { PY_SPACE, pyStrip } from "../../_util/py_str.ts";

/** The longest line http.client reads, line ending included. */
export const MAX_LINE = 65536;
/** The most lines http.client reads for one header block, its end included. */
export const MAX_HEADERS = 100;

/** A status line: `version` is the text (`HTTP/1.1`), checked later. */
export interface StatusLine {
  versionText: string;
  status: number;
  reason: string;
}

/** The line without its ending CR LF (or bare LF). */
function content(line: string): string {
  if (line.endsWith("\r\n")) return line.slice(0, -2);
  if (line.endsWith("\n")) return line.slice(0, -1);
  return line;
}

/** Whether `text` holds a CR or NUL: never valid inside a line. */
function hasForbiddenControl(text: string): boolean {
  return text.includes("\r") || text.includes("\0");
}

/**
 * A status line's fields as `line.split(None, 2)` splits them: separated
 * by any run of Python's whitespace (VT and FF too, which RFC 9112 §4 lets
 * a recipient take for SP).
 */
const STATUS_FIELDS = new RegExp(
  `^[${PY_SPACE}]*([^${PY_SPACE}]+)(?:[${PY_SPACE}]+([^${PY_SPACE}]+)(?:[${PY_SPACE}]+([^]*))?)?$`,
);

/**
 * Parses a status line (its line ending included) as http.client does,
 * but refusing a bare CR or NUL and a code that is not three digits.
 */
export function parseStatusLine(line: string): StatusLine {
  const text = content(line);
  if (hasForbiddenControl(text)) throw new BadStatusLine(line);
  const m = STATUS_FIELDS.exec(text);
  const [, versionText = "", codeText = "", reason = ""] = m ?? [];
  if (!versionText.startsWith("HTTP/")) throw new BadStatusLine(line);
  if (!/^\d{3}$/.test(codeText)) throw new BadStatusLine(line);
  const status = Number(codeText);
  if (status < 100) throw new BadStatusLine(line);
  return { versionText, status, reason: pyStrip(reason) };
}

/** http.client's version number for `HTTP/1.0` (10) or `HTTP/1.x` (11). */
export function protocolVersion(versionText: string): number {
  if (versionText === "HTTP/1.0" || versionText === "HTTP/0.9") return 10;
  if (versionText.startsWith("HTTP/1.")) return 11;
  throw new UnknownProtocol(versionText);
}

/** The characters Python's header parser accepts in a name (no space, no colon). */
const NAME = /^[!-9;-~]+$/;

/**
 * Collects the lines of one header block, enforcing http.client's limits
 * and the module's rule for malformed lines. Feed it each line as read
 * (line ending included, `""` at the end of the stream).
 */
export class HeaderBlock {
  /** The headers so far, as `[name, value]` pairs in order. */
  readonly pairs: [string, string][] = [];
  #lines = 0;

  /** Takes one line; true when it ended the block (a blank line or the end). */
  feed(line: string): boolean {
    this.#lines += 1;
    if (this.#lines > MAX_HEADERS) {
      throw new HTTPException(`got more than ${MAX_HEADERS} headers`);
    }
    const text = content(line);
    if (text === "") return true;
    if (hasForbiddenControl(text)) throw invalidLine(text);
    const last = this.pairs[this.pairs.length - 1];
    if (text[0] === " " || text[0] === "\t") {
      // An obsolete fold: it continues the previous value. Before any
      // header there is nothing to continue, and the line is skipped.
      const more = pyStrip(text, " \t");
      if (last && more !== "") {
        last[1] = last[1] === "" ? more : `${last[1]} ${more}`;
      }
      return false;
    }
    const colon = text.indexOf(":");
    const name = colon < 0 ? "" : text.slice(0, colon);
    if (!NAME.test(name)) throw invalidLine(text);
    this.pairs.push([name, pyStrip(text.slice(colon + 1), " \t")]);
    return false;
  }
}

function invalidLine(text: string): HTTPException {
  const shown = text.length > 80 ? text.slice(0, 80) + "..." : text;
  return new HTTPException(`invalid header line ${pyRepr(shown)}`);
}

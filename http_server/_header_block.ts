/**
 * Request header lines to `[name, value]` pairs, by the rules CPython 3.13
 * applies: `http.client.parse_headers` reads the lines (at most 100, each
 * at most 65,536 bytes), then the `email` package's feed parser splits
 * them into fields. Pure: the handler reads the lines from `rfile`.
 *
 * Follows CPython 3.13 `Lib/http/client.py` (`parse_headers`, its limits) and `Lib/email/feedparser.py` (which lines are headers).
 *
 * @module
 */

/** Longest request line or header line, in bytes (Python's `_MAXLINE`). */
export const MAX_LINE = 65536;
/**
 * Python's `_MAXHEADERS`: reading fails once more than this many lines
 * (the blank line ending the block included) have been read.
 */
export const MAX_HEADERS = 100;

/**
 * What the feed parser takes for the start of a header line: a name of
 * printable ASCII without `:` followed by `:`, a continuation (leading
 * space or tab), or an mbox `From ` line.
 */
const HEADER_START = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
/** Any line break the feed parser splits on (it reads lines universally). */
const BREAK = /\r\n|\r|\n/g;

/** Whether `line` ends the header block (Python's `(b'\r\n', b'\n', b'')`). */
export function isBlockEnd(line: string): boolean {
  return line === "\r\n" || line === "\n" || line === "";
}

/**
 * Splits one line as read from the socket into the lines the feed parser
 * sees: it breaks at a lone CR as well as at LF and CRLF, keeping each
 * line's ending.
 */
function feedLines(line: string, into: string[]): void {
  const cr = line.indexOf("\r");
  if (cr === -1 || (cr === line.length - 2 && line.endsWith("\n"))) {
    into.push(line);
    return;
  }
  let start = 0;
  BREAK.lastIndex = 0;
  for (let m = BREAK.exec(line); m !== null; m = BREAK.exec(line)) {
    const end = m.index + m[0].length;
    into.push(line.slice(start, end));
    start = end;
  }
  if (start < line.length) into.push(line.slice(start));
}

/** A space or a tab. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** CR or LF. */
function isBreak(code: number): boolean {
  return code === 0x0d || code === 0x0a;
}

/** Python's `str.lstrip(' \t')`. */
function stripLeadingBlanks(text: string): string {
  let i = 0;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i === 0 ? text : text.slice(i);
}

/** Python's `str.rstrip('\r\n')`. */
function stripTrailingBreaks(text: string): string {
  let end = text.length;
  while (end > 0 && isBreak(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The `compat32` policy's `header_source_parse`: name as is, value joined. */
function field(sourceLines: readonly string[]): [string, string] {
  const first = sourceLines[0] as string;
  const colon = first.indexOf(":");
  let value = stripLeadingBlanks(first.slice(colon + 1));
  for (let i = 1; i < sourceLines.length; i++) value += sourceLines[i];
  return [first.slice(0, colon), stripTrailingBreaks(value)];
}

/** Why a header block is refused: the status, its message, the page's explanation. */
export interface BlockRefusal {
  readonly code: 400 | 431;
  readonly message: string;
  readonly explain: string | null;
}

/**
 * The header fields of the lines read for one request (the terminating
 * blank line excluded), as Python's `HTTPMessage` holds them: in order,
 * names as sent, repeats kept, continuation lines joined to their field
 * with their line breaks. The block ends at the first line that does not
 * look like a header; what follows it is ignored, as Python ignores it.
 *
 * With them, why the block is refused, or `null`: 400 when some line other
 * parsers may read another way bears on the body's framing; 431 when bare
 * CRs break it into more than `MAX_HEADERS` lines (then with no fields).
 * Plain blocks (every line `Name: value`) are never refused.
 */
export function readHeaderBlock(
  lines: readonly string[],
): { fields: [string, string][]; refusal: BlockRefusal | null } {
  const simple = simpleFields(lines);
  if (simple !== null) return { fields: simple, refusal: null };
  // Python reads a line of 65,536 bare CRs as that many lines, one by one
  // (seconds of CPU for a head of a few MB, which here would hold every
  // connection up); its limit of 100 lines (the blank one included)
  // applies here to the lines it sees.
  if (hasMoreFeedLinesThan(lines, MAX_HEADERS - 1)) {
    return {
      fields: [],
      refusal: {
        code: 431,
        message: "Too many headers",
        explain:
          `bare CRs break the header block into more than ${MAX_HEADERS} lines`,
      },
    };
  }
  let reason: string | null = null;
  if (hasBlankBeforeColon(lines)) {
    reason = "blank before a header's colon";
  } else if (hidesFraming(lines)) {
    reason =
      "Content-Length or Transfer-Encoding after a bare CR or a malformed line";
  }
  const refusal = reason === null
    ? null
    : { code: 400 as const, message: `Bad request: ${reason}`, explain: null };
  return { fields: feedParserFields(lines), refusal };
}

/**
 * Whether {@linkcode feedLines} would make more than `limit` lines of
 * `lines` (each bare CR ends one), counted only as far as the limit.
 */
function hasMoreFeedLinesThan(
  lines: readonly string[],
  limit: number,
): boolean {
  let count = lines.length;
  for (const line of lines) {
    for (
      let cr = line.indexOf("\r");
      cr !== -1;
      cr = line.indexOf("\r", cr + 1)
    ) {
      const ends = cr === line.length - 1 ||
        (cr === line.length - 2 && line.charCodeAt(cr + 1) === 0x0a);
      if (!ends && ++count > limit) return true;
    }
  }
  return false;
}

const FRAMING_FIELD = /^(?:content-length|transfer-encoding):/i;

/**
 * Whether a Content-Length or Transfer-Encoding field starts after a bare
 * CR in its line (Python's parser breaks the line there; RFC 9112 §2.2 has
 * a recipient refuse the CR or read it as a space, which hides the field),
 * or after the line Python's parser stops at (one without a colon or with
 * a name of other characters, which a lenient proxy may skip).
 */
function hidesFraming(lines: readonly string[]): boolean {
  let stopped = false;
  const pieces: string[] = [];
  for (const line of lines) {
    pieces.length = 0;
    feedLines(line, pieces);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if ((stopped || i > 0) && FRAMING_FIELD.test(piece)) return true;
      if (!HEADER_START.test(piece)) stopped = true;
    }
  }
  return false;
}

/**
 * Whether a field line has blanks between its name and its colon
 * (`Content-Length : 5`). Python's parser ends the header block there and
 * ignores the rest, while a proxy may read the field: RFC 9112 §5.1 has a
 * server refuse such a request with 400, so that no two parsers disagree
 * on where it ends. Continuation lines (starting with a blank) are not
 * field lines.
 */
function hasBlankBeforeColon(lines: readonly string[]): boolean {
  return lines.some((line) =>
    !SIMPLE_LINE.test(line) && BLANK_BEFORE_COLON.test(line)
  );
}

const BLANK_BEFORE_COLON = /^[^ \t:][^:]*[ \t]:/;

/** A name of the feed parser's characters, a colon, a value; one CRLF at the end. */
const SIMPLE_LINE = /^[\x21-\x39\x3b-\x7e]+:[^\r]*\r?\n?$/;

/**
 * The fields when every line is a plain `Name: value` line (no folding, no
 * stray CR, no `From `), as in nearly every request; `null` otherwise.
 */
function simpleFields(lines: readonly string[]): [string, string][] | null {
  const fields: [string, string][] = [];
  for (const line of lines) {
    if (!SIMPLE_LINE.test(line) || line.startsWith("From ")) return null;
    const colon = line.indexOf(":");
    // The value as `stripTrailingBreaks(stripLeadingBlanks(...))` makes it,
    // found by index so that only the value itself is sliced.
    let start = colon + 1;
    let end = line.length;
    while (start < end && isBlank(line.charCodeAt(start))) start++;
    while (end > start && isBreak(line.charCodeAt(end - 1))) end--;
    fields.push([line.slice(0, colon), line.slice(start, end)]);
  }
  return fields;
}

/** The general case, line by line as `email.feedparser` goes. */
function feedParserFields(lines: readonly string[]): [string, string][] {
  const split: string[] = [];
  for (const line of lines) feedLines(line, split);
  const block: string[] = [];
  for (const line of split) {
    if (!HEADER_START.test(line)) break;
    block.push(line);
  }
  const fields: [string, string][] = [];
  let current: string[] | null = null;
  for (let i = 0; i < block.length; i++) {
    const line = block[i] as string;
    const first = line[0];
    if (first === " " || first === "\t") {
      // A continuation; one before any field is a defect, dropped.
      current?.push(line);
      continue;
    }
    if (current !== null) {
      fields.push(field(current));
      current = null;
    }
    if (line.startsWith("From ")) {
      // An mbox envelope line: the feed parser keeps it out of the fields
      // (as the Unix-from on the first line, as the body on the last).
      if (i === block.length - 1 && i !== 0) break;
      continue;
    }
    // A line starting with ":" has no name: a defect, dropped.
    if (line[0] === ":") continue;
    current = [line];
  }
  if (current !== null) fields.push(field(current));
  return fields;
}

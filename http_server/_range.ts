/**
 * `Range` request header parsing (RFC 9110 §14), for one byte range.
 *
 * @module
 */

/** An inclusive byte range within a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** One `first-last` range spec, trimmed; blanks around its dash are allowed. */
const RANGE_SPEC = /^(\d*)\s*-\s*(\d*)$/;

/**
 * Parses `Range` against a file of `size` bytes: the range to send, the
 * string `"unsatisfiable"` (answer 416), or `null` to ignore the header and
 * send the whole file (malformed, not `bytes`, or several ranges, which this
 * server does not combine into multipart replies).
 */
export function parseRange(
  header: string,
  size: number,
): ByteRange | "unsatisfiable" | null {
  const unit = /^\s*bytes\s*=/i.exec(header);
  if (!unit) return null;
  // A list may hold empty elements (`bytes=0-4,`), which a recipient must
  // skip (RFC 9110 §5.6.1.2); what is left must be exactly one range.
  const ranges = header.slice(unit[0].length).split(",").filter((element) =>
    element.trim() !== ""
  );
  if (ranges.length !== 1) return null;
  // Trimmed first: blanks matched by `\s*` on both sides of an empty
  // `(\d*)` would be tried at every split of a long run of them.
  const match = RANGE_SPEC.exec(ranges[0]!.trim());
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    // A non-zero suffix is satisfiable even on an empty file (RFC 9110
    // §14.1.1), but no 206 can describe zero bytes: send the whole, empty
    // file, as a server may ignore a Range (§14.2).
    if (size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Infinity : Number(last);
  if (end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}

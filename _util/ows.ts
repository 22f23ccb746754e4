/**
 * RFC 9110 §5.6.3 optional whitespace (spaces and tabs) around a header
 * value or a list element, trimmed by scanning from each end: a regular
 * expression such as `/^[ \t]+|[ \t]+$/g` backtracks over every run of
 * blanks inside the text once for each blank in it, which makes a 64 KiB
 * header cost seconds.
 *
 * @module
 */

/** A space or a tab. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * `text` without the spaces and tabs before and after it (not the other
 * whitespace `String.prototype.trim` takes, such as NBSP), in time linear
 * in its length.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { trimOws } from "./ows.ts";
 * equal(trimOws(" \tgzip, chunked \t"), "gzip, chunked");
 * equal(trimOws("\u00a0x\u00a0"), "\u00a0x\u00a0");
 * ```
 */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

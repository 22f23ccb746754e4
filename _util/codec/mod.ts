/**
 * Python's text codecs for the encodings urllib meets: encoding names and
 * aliases resolved as CPython 3.13 resolves them, and the error handlers
 * `strict`, `replace`, `ignore`, `surrogateescape`, `surrogatepass`,
 * `xmlcharrefreplace` and `backslashreplace` with Python's results and
 * messages.
 *
 * UTF-8, UTF-16/32, ASCII and Latin-1 are implemented here; single-byte code
 * pages use tables taken from `iconv-lite` (corrected where they differ from
 * Python's), and the CJK multibyte codecs call `iconv-lite`, checking its
 * output so that unencodable or undecodable input reaches the error handler
 * instead of being silently substituted.
 *
 * One file per part: `names.ts` (lookup and the entry points),
 * `error_handlers.ts` (what every codec shares), one file per family of
 * codecs, and `unicode_errors.ts` (the exceptions).
 *
 * @module
 */
export { decodeBytes, encodeText, lookupEncoding } from "./names.ts";
export { UnicodeDecodeError, UnicodeEncodeError } from "./unicode_errors.ts";
export { UTF8_LEADS, type Utf8Lead } from "./utf8.ts";

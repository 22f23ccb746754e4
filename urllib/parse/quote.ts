/**
 * Percent-encoding as Python's `urllib.parse` does it: `quote`,
 * `quote_plus`, `quote_from_bytes`, `unquote`, `unquote_plus` and
 * `unquote_to_bytes`.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `quote` … `unquote_to_bytes`.
 *
 * @module
 */
import { encodeText } from "../../_util/codec/mod.ts";
import {
  quoteFromBytesImpl,
  quoteImpl,
  quotePlusImpl,
  unquoteAsciiRun,
  unquoteBytes,
  unquoteImpl,
} from "./_quote_impl.ts";
import {
  missingArguments,
  type MixedArgs,
  pyArgs,
} from "../../_util/py_args.ts";
import { typeName } from "../../_util/py_type_name.ts";
import { onlyOneArgument } from "./_split_args.ts";

/** Keyword options of {@linkcode quote} and {@linkcode quote_plus}. */
export interface QuoteOptions {
  /** Characters (str) or bytes never quoted, besides letters, digits and `_.-~`. */
  safe?: string | Uint8Array;
  /** Encoding for non-ASCII text (Python's default: `"utf-8"`); only for str. */
  encoding?: string | null;
  /** Error handler for that encoding (Python's default: `"strict"`); only for str. */
  errors?: string | null;
}

/** Keyword options of {@linkcode quote_from_bytes}. */
export interface QuoteFromBytesOptions {
  /** Characters (str) or bytes never quoted, besides letters, digits and `_.-~`. */
  safe?: string | Uint8Array;
}

/**
 * The optional arguments of {@linkcode quote} and {@linkcode quote_plus}
 * given partly by position, the rest by keyword:
 * `quote(s, "/", { encoding: "latin-1" })`.
 */
export type QuoteArgs = MixedArgs<
  [
    safe?: string | Uint8Array,
    encoding?: string | null,
    errors?: string | null,
  ],
  QuoteOptions,
  ["safe", "encoding", "errors"]
>;

/** Keyword options of {@linkcode unquote} and {@linkcode unquote_plus}. */
export interface UnquoteOptions {
  /** Encoding of the percent-encoded bytes (default `"utf-8"`). */
  encoding?: string | null;
  /** Error handler for undecodable bytes (default `"replace"`). */
  errors?: string | null;
}

/**
 * The optional arguments of {@linkcode unquote} and
 * {@linkcode unquote_plus} given partly by position, the rest by keyword:
 * `unquote(s, "latin-1", { errors: "strict" })`.
 */
export type UnquoteArgs = MixedArgs<
  [encoding?: string | null, errors?: string | null],
  UnquoteOptions,
  ["encoding", "errors"]
>;

const QUOTE_SPEC = {
  fn: "quote",
  names: ["safe", "encoding", "errors"] as const,
  defaults: {
    safe: "/" as unknown,
    encoding: null as unknown,
    errors: null as unknown,
  },
};

const QUOTE_PLUS_SPEC = {
  ...QUOTE_SPEC,
  fn: "quote_plus",
  defaults: { ...QUOTE_SPEC.defaults, safe: "" as unknown },
};

/**
 * Python's `quote`: percent-encodes everything but ASCII letters, digits,
 * `_.-~` and the characters in `safe` (default `"/"`). Text is encoded
 * first with `encoding` (default UTF-8) and `errors` (default `"strict"`),
 * which must not be given for bytes.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { quote } from "@pyport/web/urllib/parse";
 * equal(quote("/El Niño/"), "/El%20Ni%C3%B1o/");
 * equal(quote("a/b c", ""), "a%2Fb%20c");
 * equal(quote("é", { encoding: "latin-1" }), "%E9");
 * equal(quote(new Uint8Array([0xff, 0x41])), "%FFA");
 * throws(() => quote("€", { encoding: "latin-1" }), TypeError);
 * ```
 */
export function quote(
  string: string | Uint8Array,
  safe?: string | Uint8Array,
  encoding?: string | null,
  errors?: string | null,
): string;
/** Python's `quote` with keyword options. */
export function quote(
  string: string | Uint8Array,
  options: QuoteOptions,
): string;
/**
 * Python's `quote` with some arguments by position and the rest as keywords:
 * `quote(s, "/", "utf-8", { errors: "strict" })`.
 */
export function quote(
  string: string | Uint8Array,
  ...args: QuoteArgs
): string;
export function quote(string: string | Uint8Array, ...args: unknown[]): string {
  if (string === undefined) throw missingArguments("quote", ["string"]);
  if (args.length === 0) return quoteImpl(string, "/", null, null);
  const { safe, encoding, errors } = pyArgs(QUOTE_SPEC, args);
  return quoteImpl(string, safe, encoding, errors);
}

/**
 * Python's `quote_plus`: like {@linkcode quote} but spaces become `+` and
 * `safe` defaults to `""`, as HTML forms want.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { quote_plus } from "@pyport/web/urllib/parse";
 * equal(quote_plus("a b&c/d"), "a+b%26c%2Fd");
 * equal(quote_plus("a b/c", "/"), "a+b/c");
 * equal(quote_plus("1+1"), "1%2B1");
 * ```
 */
export function quote_plus(
  string: string | Uint8Array,
  safe?: string | Uint8Array,
  encoding?: string | null,
  errors?: string | null,
): string;
/** Python's `quote_plus` with keyword options. */
export function quote_plus(
  string: string | Uint8Array,
  options: QuoteOptions,
): string;
/**
 * Python's `quote_plus` with some arguments by position and the rest as keywords:
 * `quote_plus(s, "/", "utf-8", { errors: "strict" })`.
 */
export function quote_plus(
  string: string | Uint8Array,
  ...args: QuoteArgs
): string;
export function quote_plus(
  string: string | Uint8Array,
  ...args: unknown[]
): string {
  if (string === undefined) throw missingArguments("quote_plus", ["string"]);
  const { safe, encoding, errors } = args.length === 0
    ? { safe: "", encoding: null, errors: null }
    : pyArgs(QUOTE_PLUS_SPEC, args);
  return quotePlusImpl(string, safe, encoding, errors);
}

/**
 * Python's `quote_from_bytes`: {@linkcode quote} for bytes only, with
 * `safe` defaulting to `"/"`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { quote_from_bytes } from "@pyport/web/urllib/parse";
 * equal(quote_from_bytes(new TextEncoder().encode("abc def?")), "abc%20def%3F");
 * equal(quote_from_bytes(new Uint8Array([0x2f, 0xe9]), ""), "%2F%E9");
 * ```
 */
export function quote_from_bytes(
  bs: Uint8Array,
  safe?: string | Uint8Array,
): string;
/** Python's `quote_from_bytes` with keyword options. */
export function quote_from_bytes(
  bs: Uint8Array,
  options: QuoteFromBytesOptions,
): string;
export function quote_from_bytes(bs: Uint8Array, ...args: unknown[]): string {
  if (bs === undefined) throw missingArguments("quote_from_bytes", ["bs"]);
  const { safe } = args.length === 0 ? { safe: "/" } : pyArgs({
    fn: "quote_from_bytes",
    names: ["safe"] as const,
    defaults: { safe: "/" as unknown },
  }, args);
  return quoteFromBytesImpl(bs, safe);
}

const UNQUOTE_SPEC = {
  fn: "unquote",
  names: ["encoding", "errors"] as const,
  defaults: { encoding: "utf-8" as unknown, errors: "replace" as unknown },
};

/**
 * Python's `unquote`: replaces `%XX` escapes, decoding the bytes they
 * stand for with `encoding` (default UTF-8) and `errors` (default
 * `"replace"`). Accepts bytes too, as Python 3.13 does.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { unquote } from "@pyport/web/urllib/parse";
 * equal(unquote("/El%20Ni%C3%B1o/"), "/El Niño/");
 * equal(unquote("%E9", "latin-1"), "é");
 * equal(unquote("%FF"), "\ufffd");
 * equal(unquote(new TextEncoder().encode("a%20b")), "a b");
 * ```
 */
export function unquote(
  string: string | Uint8Array,
  encoding?: string | null,
  errors?: string | null,
): string;
/** Python's `unquote` with keyword options. */
export function unquote(
  string: string | Uint8Array,
  options: UnquoteOptions,
): string;
/** Python's `unquote` with `encoding` by position, `errors` as a keyword. */
export function unquote(
  string: string | Uint8Array,
  ...args: UnquoteArgs
): string;
export function unquote(
  string: string | Uint8Array,
  ...args: unknown[]
): string {
  if (string === undefined) throw missingArguments("unquote", ["string"]);
  if (args.length === 0) return unquoteImpl(string, "utf-8", "replace");
  const { encoding, errors } = pyArgs(UNQUOTE_SPEC, args);
  return unquoteImpl(string, encoding, errors);
}

/**
 * Python's `unquote_plus`: {@linkcode unquote} after turning `+` into a
 * space, for HTML form values. Like Python, it takes str only.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { unquote_plus } from "@pyport/web/urllib/parse";
 * equal(unquote_plus("%7e/abc+def"), "~/abc def");
 * equal(unquote_plus("1%2B1"), "1+1");
 * ```
 */
export function unquote_plus(
  string: string,
  encoding?: string | null,
  errors?: string | null,
): string;
/** Python's `unquote_plus` with keyword options. */
export function unquote_plus(string: string, options: UnquoteOptions): string;
/** Python's `unquote_plus` with `encoding` by position, `errors` as a keyword. */
export function unquote_plus(
  string: string,
  ...args: UnquoteArgs
): string;
export function unquote_plus(string: string, ...args: unknown[]): string {
  if (string === undefined) throw missingArguments("unquote_plus", ["string"]);
  const { encoding, errors } = args.length === 0
    ? { encoding: "utf-8", errors: "replace" }
    : pyArgs({ ...UNQUOTE_SPEC, fn: "unquote_plus" }, args);
  if (typeof string !== "string") {
    // Python calls str.replace on it, which bytes reject with str arguments.
    throw new TypeError(
      (string as unknown) instanceof Uint8Array
        ? "a bytes-like object is required, not 'str'"
        : `unquote_plus() argument must be str, not ${typeName(string)}`,
    );
  }
  const spaced = string.includes("+") ? string.replaceAll("+", " ") : string;
  return unquoteImpl(spaced, encoding, errors);
}

/**
 * Python's `unquote_to_bytes`: replaces `%XX` escapes and returns bytes;
 * text is UTF-8 encoded first.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { unquote_to_bytes } from "@pyport/web/urllib/parse";
 * deepEqual(unquote_to_bytes("abc%20def%FF"), new Uint8Array([97, 98, 99, 32, 100, 101, 102, 255]));
 * deepEqual(unquote_to_bytes("é"), new Uint8Array([0xc3, 0xa9]));
 * ```
 */
export function unquote_to_bytes(
  string: string | Uint8Array,
): Uint8Array<ArrayBuffer> {
  onlyOneArgument("unquote_to_bytes", arguments.length);
  if (string === undefined) {
    throw missingArguments("unquote_to_bytes", ["string"]);
  }
  if (typeof string === "string") {
    if (!string) return new Uint8Array(0);
    // Pure ASCII needs no encoder pass.
    let ascii = true;
    for (let i = 0; i < string.length; i++) {
      if (string.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return unquoteAsciiRun(string, 0, string.length).slice();
    return unquoteBytes(encodeText(string, "utf-8", "strict"));
  }
  if (string instanceof Uint8Array) return unquoteBytes(string);
  throw new TypeError(
    `unquote_to_bytes() argument must be str or bytes, not ${typeName(string)}`,
  );
}

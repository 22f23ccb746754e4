/**
 * Python's `urllib.parse` for Deno: split, join, quote and query-string
 * helpers that agree with CPython 3.13, including its security fixes.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { parse_qs, urlencode, urlsplit } from "@pyport/web/urllib/parse";
 * const parts = urlsplit("https://example.com/search?q=deno&page=2#top");
 * assert(parts.hostname === "example.com");
 * assert(parse_qs(parts.query)["q"]?.[0] === "deno");
 * assert(urlencode({ q: "a b", n: 1 }) === "q=a+b&n=1");
 * ```
 *
 * @module
 */
export {
  non_hierarchical,
  scheme_chars,
  type SplitArgs,
  type SplitOptions,
  unwrap,
  urldefrag,
  urlparse,
  urlsplit,
  urlunparse,
  urlunsplit,
  uses_fragment,
  uses_netloc,
  uses_params,
  uses_query,
  uses_relative,
} from "./split.ts";
export { type JoinOptions, urljoin } from "./join.ts";
export {
  _DefragResultBase,
  _NetlocResultMixinBase,
  _ParseResultBase,
  _ResultBase,
  _SplitResultBase,
  type CodecOptions,
  DefragResult,
  DefragResultBytes,
  type DefragResultFields,
  ParseResult,
  ParseResultBytes,
  type ParseResultFields,
  SplitResult,
  SplitResultBytes,
  type SplitResultFields,
  type Transcode,
} from "./results.ts";
export {
  quote,
  quote_from_bytes,
  quote_plus,
  type QuoteArgs,
  type QuoteFromBytesOptions,
  type QuoteOptions,
  unquote,
  unquote_plus,
  unquote_to_bytes,
  type UnquoteArgs,
  type UnquoteOptions,
} from "./quote.ts";
// Python's mixed call form: `quote(s, "/", "utf-8", { errors })`.
export type { MixedArgs } from "../../_util/py_args.ts";
export {
  BytesKeyMap,
  parse_qs,
  parse_qsl,
  type ParseQsArgs,
  type ParseQsOptions,
  type QuoteVia,
  urlencode,
  type UrlencodeOptions,
  type UrlencodeQuery,
} from "./query.ts";

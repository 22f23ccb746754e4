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
export * from "./split.ts";
export * from "./join.ts";
export * from "./results.ts";
export * from "./quote.ts";
export * from "./query.ts";

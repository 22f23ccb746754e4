/**
 * Python's `http.server` and `urllib`, rebuilt for Deno with Python's names.
 *
 * Every public name of `urllib.parse`, `urllib.request`, `urllib.error`,
 * `urllib.robotparser`, `socketserver` and `http.server` is exported here; each module is
 * also importable on its own (`@pyport/web/urllib/parse`, …).
 *
 * @example Parse a URL as Python does
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlparse } from "@pyport/web";
 * const parts = urlparse("http://www.cwi.nl:80/%7Eguido/Python.html");
 * assert(parts.netloc === "www.cwi.nl:80");
 * assert(parts.port === 80);
 * ```
 *
 * @module
 */
// The union of the module entry points, each of which names its exports;
// tests/exports_test.ts checks both against CPython's `__all__`.
export * from "./urllib/parse/mod.ts";
export * from "./urllib/request/mod.ts";
export * from "./urllib/error.ts";
export * from "./urllib/robotparser/mod.ts";
export * from "./socketserver/mod.ts";
export * from "./http_server/mod.ts";
// Both modules name a handler-class type; the root's is http.server's.
export type { RequestHandlerClass } from "./http_server/mod.ts";

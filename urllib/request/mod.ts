/**
 * Python's `urllib.request` for Deno: `urlopen`, `Request`, openers and
 * handlers with Python's names and dispatch rules. I/O is async:
 * `await urlopen(url)`, `await resp.read()`. FTP is not supported.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { Request, urlopen } from "@pyport/web/urllib/request";
 * const req = new Request("data:text/plain,hello");
 * await using resp = await urlopen(req);
 * assert(new TextDecoder().decode(await resp.read()) === "hello");
 * ```
 *
 * @module
 */
export * from "./request.ts";
export * from "./response.ts";
export * from "./base_handler.ts";
export * from "./opener.ts";
export * from "./http_handler.ts";
export * from "./ssl_context.ts";
export * from "./error_handlers.ts";
export * from "./redirect_handler.ts";
export * from "./proxy_handler.ts";
export * from "./file_handler.ts";
export * from "./data_handler.ts";
export * from "./unknown_handler.ts";
export * from "./retrieve.ts";
export * from "./pathname.ts";
export * from "./cookiejar.ts";
export * from "./cookie_processor.ts";
export * from "./password_mgr.ts";
export * from "./auth_handlers.ts";
// Python's http.client.HTTPMessage: the type of every response's headers.
export { HTTPMessage } from "../../_util/http_message.ts";

/**
 * Python's `http.server` for Deno: `HTTPServer`, `BaseHTTPRequestHandler`
 * and `SimpleHTTPRequestHandler`, with Python's names and behaviour, built
 * as CPython builds them on `socketserver` (this package's, on Deno's own
 * sockets). `createFetchHandler` runs the same handlers under `Deno.serve`
 * or `deno serve`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
 * class Hello extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     this.send_response(200);
 *     this.send_header("Content-type", "text/plain");
 *     this.end_headers();
 *     this.wfile.write("Hello World");
 *   }
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Hello);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
 * assert(await res.text() === "Hello World");
 * await server.shutdown();
 * await done;
 * ```
 *
 * @module
 */
export * from "./server.ts";
export * from "./base_handler.ts";
export { HTTPMessage } from "../_util/http_message.ts";
export * from "./io.ts";
export * from "./responses.ts";
export * from "./simple_handler.ts";
export * from "./fetch_handler.ts";

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
export {
  HTTPServer,
  type HTTPServerOptions,
  HTTPSServer,
  type ServerAddress,
  ThreadingHTTPServer,
  ThreadingHTTPSServer,
  type TLSOptions,
} from "./server.ts";
export {
  BaseHTTPRequestHandler,
  type ClientAddress,
  DEFAULT_ERROR_CONTENT_TYPE,
  DEFAULT_ERROR_MESSAGE,
  type RequestHandlerClass,
} from "./base_handler.ts";
// Python's http.client.HTTPMessage: the type of a handler's `headers`.
export {
  type AsStringOptions,
  type FailobjOption,
  HTTPMessage,
  type ParamOptions,
  type ParamValue,
  type Rfc2231Value,
} from "../_util/http_message.ts";
export type { RequestReader, ResponseWriter } from "./io.ts";
// Python's bytes-like objects: what `wfile.write` takes.
export type { BytesLike } from "../_util/bytes_like.ts";
// Python's mixed call form: `msg.get_param(name, null, { header })`.
export type { MixedArgs } from "../_util/py_args.ts";
export { responses } from "./responses.ts";
export {
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
} from "./simple_handler.ts";
export type { CopySource, FileSource } from "./_file_source.ts";
export {
  type BasicAuthUser,
  DEFAULT_MAX_UPLOAD,
  HostingHTTPRequestHandler,
  type HostingHTTPRequestHandlerOptions,
  type ListingStyle,
} from "./hosting_handler.ts";
export { type ChangeListener, LiveReload } from "./live_reload.ts";
export {
  type CacheInfo,
  FileCache,
  type FileCacheOptions,
} from "./file_cache.ts";
export {
  serve_workers,
  type ServeWorkersOptions,
  type WorkerGroup,
} from "./workers.ts";
export {
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
} from "./fetch_handler.ts";

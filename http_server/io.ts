/**
 * The two streams a request handler works with: `rfile`, the request body,
 * and `wfile`, the response body.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, the `rfile` / `wfile` of
 * `StreamRequestHandler`.
 *
 * @module
 */

/**
 * The request body as a handler reads it (`self.rfile`). Python's reads
 * block; these return promises, so write `await this.rfile.read(n)`.
 *
 * @example A handler that answers with the first line of the body
 * ```ts
 * import { equal } from "node:assert/strict";
 * import {
 *   BaseHTTPRequestHandler,
 *   HTTPServer,
 *   type RequestReader,
 * } from "@pyport/web/http/server";
 * class FirstLine extends BaseHTTPRequestHandler {
 *   async do_POST(): Promise<void> {
 *     const rfile: RequestReader = this.rfile;
 *     const line = await rfile.readline();
 *     this.send_response(200);
 *     this.send_header("Content-Length", String(line.length));
 *     this.end_headers();
 *     this.wfile.write(line);
 *   }
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], FirstLine);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`, {
 *   method: "POST",
 *   body: "one\ntwo\n",
 *   signal: AbortSignal.timeout(10_000),
 * });
 * equal(await res.text(), "one\n");
 * await server.shutdown();
 * await done;
 * ```
 */
export interface RequestReader {
  /**
   * Up to `size` bytes of the body, fewer only at its end; the whole rest
   * of the body when `size` is negative or left out. An empty array means
   * the body is exhausted.
   */
  read(size?: number): Promise<Uint8Array>;
  /**
   * One line including its `\n` (or the rest of the body if none), at most
   * `size` bytes when `size` is not negative.
   */
  readline(size?: number): Promise<Uint8Array>;
  /** All remaining lines; stops once `hint` bytes are read, if given. */
  readlines(hint?: number): Promise<Uint8Array[]>;
}

/**
 * The response body as a handler writes it (`self.wfile`). Writes after
 * `end_headers()` are streamed to the client: small responses leave in one
 * piece together with the headers once the handler returns, while an
 * `async` handler that keeps writing streams to the client as it goes.
 *
 * @example `write` returns the number of bytes it queued
 * ```ts
 * import { equal } from "node:assert/strict";
 * import {
 *   BaseHTTPRequestHandler,
 *   HTTPServer,
 *   type ResponseWriter,
 * } from "@pyport/web/http/server";
 * const written: number[] = [];
 * class Hello extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     this.send_response(200);
 *     this.send_header("Content-Length", "12");
 *     this.end_headers();
 *     const wfile: ResponseWriter = this.wfile;
 *     written.push(wfile.write("Hello "), wfile.write("Wörld"));
 *   }
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Hello);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`, {
 *   signal: AbortSignal.timeout(10_000),
 * });
 * equal(await res.text(), "Hello Wörld");
 * equal(written.join(), "6,6"); // "ö" is two bytes in UTF-8
 * await server.shutdown();
 * await done;
 * ```
 */
export interface ResponseWriter {
  /**
   * Queues `data` (bytes, or text written as UTF-8) for the client and
   * returns the number of bytes queued. Throws `Deno.errors.BrokenPipe`
   * once the client has gone away.
   */
  write(data: Uint8Array | string): number;
  /**
   * Sends what is queued now, without waiting for the handler to return.
   * Only an `async` handler can gain from it.
   */
  flush(): void;
  /**
   * Resolves once the client has taken in what was queued (back-pressure
   * for handlers writing large streams).
   */
  drain(): Promise<void>;
  /** Whether the client has disconnected (or the response is complete). */
  readonly closed: boolean;
}

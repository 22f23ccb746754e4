/**
 * The two streams a request handler works with, as types: `rfile`, what the
 * client sends, and `wfile`, what goes back. A handler's own `rfile` and
 * `wfile` are `socketserver`'s `SocketReader` and `SocketWriter`, which have
 * more (`read1`, `readinto`, `peek`, iteration, `pending`); these types say
 * what `copyfile` and similar hooks need.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, the `rfile` / `wfile` of
 * `StreamRequestHandler`.
 *
 * @module
 */

/**
 * The connection's input as a handler reads it (`self.rfile`), positioned
 * at the request body once the head is parsed. As in Python, it is the
 * connection, not the body: reads do not stop where the body ends, so read
 * a body by its `Content-Length` (`read(n)`), not with `read()`, which
 * waits for the client to close. Python's reads block; these return
 * promises, so write `await this.rfile.read(n)`.
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
   * Up to `size` bytes, fewer only when the client has closed the
   * connection; everything until then when `size` is negative, `null`
   * (Python's `None`) or left out. An empty array means the stream has
   * ended.
   */
  read(size?: number | null): Promise<Uint8Array>;
  /**
   * One line including its `\n` (or the rest of the stream if none), at
   * most `size` bytes when `size` is not negative (nor `null`).
   */
  readline(size?: number | null): Promise<Uint8Array>;
  /**
   * All lines until the client closes the connection; with `hint` > 0,
   * stops after the line that takes the total past `hint` bytes.
   */
  readlines(hint?: number): Promise<Uint8Array[]>;
}

/**
 * The connection's output as a handler writes it (`self.wfile`): raw bytes,
 * as in Python. `write` queues and returns at once (with a promise to await
 * once much is queued); what is written in one synchronous run (a response
 * head and a small body) leaves in one write.
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
 *   async do_GET(): Promise<void> {
 *     this.send_response(200);
 *     this.send_header("Content-Length", "12");
 *     this.end_headers();
 *     const wfile: ResponseWriter = this.wfile;
 *     written.push(await wfile.write("Hello "), await wfile.write("Wörld"));
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
   * returns the number of bytes queued, or a promise of it that resolves
   * once the client has taken enough, when much is queued: awaited in a
   * loop, it holds back a writer that outruns the client. Throws
   * `Deno.errors.BrokenPipe` once the client has gone away.
   */
  write(data: Uint8Array | string): number | Promise<number>;
  /** Sends what is queued; resolves once the connection has taken it. */
  flush(): void | Promise<void>;
  /**
   * Resolves once little enough is queued (back-pressure for handlers
   * writing large streams).
   */
  drain(): Promise<void>;
  /** Whether the writer was closed or the connection failed. */
  readonly closed: boolean;
}

/**
 * The two streams a request handler works with, as types: `rfile`, what the
 * client sends, and `wfile`, what goes back. A handler's own `rfile` and
 * `wfile` are `socketserver`'s `SocketReader` and `SocketWriter`, which have
 * more (`read1`, `readinto`, `peek`, iteration, `pending`); these types say
 * what `copyfile` and similar hooks need.
 *
 * @module
 */

/**
 * The connection's input as a handler reads it (`self.rfile`), positioned
 * at the request body once the head is parsed. Python's reads block; these
 * return promises, so write `await this.rfile.read(n)`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import type { RequestReader } from "@pyport/web/http/server";
 * async function firstLine(rfile: RequestReader): Promise<string> {
 *   return new TextDecoder().decode(await rfile.readline());
 * }
 * assert(typeof firstLine === "function");
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
 * The connection's output as a handler writes it (`self.wfile`): raw bytes,
 * as in Python. `write` queues and returns at once; what is written in one
 * synchronous run (a response head and a small body) leaves in one write.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import type { ResponseWriter } from "@pyport/web/http/server";
 * function hello(wfile: ResponseWriter): number {
 *   return wfile.write("Hello World");
 * }
 * assert(typeof hello === "function");
 * ```
 */
export interface ResponseWriter {
  /**
   * Queues `data` (bytes, or text written as UTF-8) for the client and
   * returns the number of bytes queued. Throws `Deno.errors.BrokenPipe`
   * once the client has gone away.
   */
  write(data: Uint8Array | string): number;
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

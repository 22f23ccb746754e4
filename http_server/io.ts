/**
 * The two streams a request handler works with: `rfile`, the request body,
 * and `wfile`, the response body.
 *
 * @module
 */

/**
 * The request body as a handler reads it (`self.rfile`). Python's reads
 * block; these return promises, so write `await this.rfile.read(n)`.
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
 * The response body as a handler writes it (`self.wfile`). Writes after
 * `end_headers()` are streamed to the client: small responses leave in one
 * piece together with the headers once the handler returns, while an
 * `async` handler that keeps writing streams to the client as it goes.
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

/**
 * A connection in memory: what a handler reads comes from an async source
 * of bytes, what it writes goes to a sink. The fetch adapter runs handlers
 * over it (a `Request` in, a `Response` out) through the same code as a
 * socket, and tests use it to exchange raw bytes with a handler without a
 * socket.
 *
 * @module
 */
import type { StreamConnection } from "../socketserver/_socket_io.ts";

/** The most bytes one `write` of a memory connection takes. */
export const WRITE_PIECE = 64 * 1024;

/** Where a memory connection's output goes. */
export interface ByteSink {
  /**
   * Takes bytes the handler wrote (the connection never reuses them);
   * resolves when more may be written.
   */
  write(bytes: Uint8Array): void | Promise<void>;
  /** The handler's side is done writing (half-close or close). */
  end(): void;
}

/** A {@linkcode StreamConnection} over an async source and a sink. */
export class MemoryConnection implements StreamConnection {
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #sink: ByteSink;
  #rest: Uint8Array | null = null;
  #readEnded = false;
  #writeEnded = false;

  /** Reads come from `source`; writes go to `sink`. */
  constructor(source: AsyncIterable<Uint8Array>, sink: ByteSink) {
    this.#source = source[Symbol.asyncIterator]();
    this.#sink = sink;
  }

  /** Copies the next input into `p`; `null` once the source is exhausted. */
  async read(p: Uint8Array): Promise<number | null> {
    let chunk = this.#rest;
    this.#rest = null;
    while (chunk === null || chunk.length === 0) {
      if (this.#readEnded) return null;
      const next = await this.#source.next();
      if (next.done) {
        this.#readEnded = true;
        return null;
      }
      chunk = next.value;
    }
    const count = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, count));
    if (count < chunk.length) this.#rest = chunk.subarray(count);
    return count;
  }

  /**
   * Hands a copy of the first {@linkcode WRITE_PIECE} bytes of `p` (all of
   * it if shorter) to the sink and resolves with their count, as a
   * socket's write takes what fits in its buffer (`wfile` sends the rest
   * in further writes); fails once the writing side has ended. A copy, as
   * a socket's write copies into the kernel: the writer reuses its buffers
   * once a write resolves, and the sink may still hold what it took (a
   * response body's queue does). A piece at a time, so that what a sink
   * holds for a client that reads slowly, or has gone, is one piece, not
   * a copy of the writer's whole 256 KiB chunk.
   */
  async write(p: Uint8Array): Promise<number> {
    if (this.#writeEnded) {
      throw new Deno.errors.BrokenPipe("the connection was closed");
    }
    const count = Math.min(p.length, WRITE_PIECE);
    await this.#sink.write(p.slice(0, count));
    return count;
  }

  /** Ends the output (Python's `shutdown(SHUT_WR)`). */
  closeWrite(): Promise<void> {
    this.#endWrite();
    return Promise.resolve();
  }

  /** Ends both directions. */
  close(): void {
    this.#endWrite();
    if (!this.#readEnded) {
      this.#readEnded = true;
      this.#source.return?.().catch(() => {});
    }
  }

  #endWrite(): void {
    if (this.#writeEnded) return;
    this.#writeEnded = true;
    this.#sink.end();
  }
}

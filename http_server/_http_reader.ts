/**
 * `rfile` of an HTTP connection: the socket reader, plus a watch on a
 * chunked request body while the handler reads it raw, so that the server
 * knows afterwards whether the body was read to its exact end (then the
 * connection can carry the next request) or not.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `handle_one_request` (reading `raw_requestline` and the head from `rfile`).
 *
 * @module
 */
import { SocketReader } from "../socketserver/_socket_io.ts";
import { ChunkedDecoder } from "./_chunked.ts";
import { latin1Encode } from "../_util/latin1.ts";

/** The socket reader behind `BaseHTTPRequestHandler.rfile`. */
export class HTTPReader extends SocketReader {
  #chunked: ChunkedDecoder | null = null;
  #overrun = false;

  /** Starts following a chunked body from the current position. */
  watchChunked(): ChunkedDecoder {
    this.#overrun = false;
    return this.#chunked = new ChunkedDecoder();
  }

  /** Stops following; whether the body was read exactly to its end. */
  unwatch(): boolean {
    const decoder = this.#chunked;
    this.#chunked = null;
    return decoder !== null && decoder.done && !this.#overrun;
  }

  /** Feeds bytes handed to the caller to the chunked body watch. */
  #seen(bytes: Uint8Array): void {
    const decoder = this.#chunked;
    if (decoder === null || bytes.length === 0) return;
    if (decoder.done || decoder.error !== null) {
      this.#overrun = true;
      return;
    }
    if (decoder.decode(bytes) < bytes.length) this.#overrun = true;
  }

  /** Adds the watch to a read that returns bytes. */
  #watch(
    read: Promise<Uint8Array<ArrayBuffer>>,
  ): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#chunked === null) return read;
    return read.then((bytes) => {
      this.#seen(bytes);
      return bytes;
    });
  }

  override read(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#watch(super.read(size));
  }

  override read1(size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.#watch(super.read1(size));
  }

  override readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#watch(super.readline(size));
  }

  override readinto(b: Uint8Array): Promise<number> {
    const read = super.readinto(b);
    if (this.#chunked === null) return read;
    return read.then((count) => {
      this.#seen(b.subarray(0, count));
      return count;
    });
  }

  override async skip(count: number): Promise<number> {
    if (this.#chunked === null) return super.skip(count);
    let skipped = 0;
    while (skipped < count) {
      const piece = await super.read1(Math.min(count - skipped, 64 * 1024));
      if (piece.length === 0) break;
      this.#seen(piece);
      skipped += piece.length;
    }
    return skipped;
  }

  override readLineLatin1(limit: number): string | Promise<string> {
    const line = super.readLineLatin1(limit);
    if (this.#chunked === null) return line;
    if (typeof line === "string") {
      this.#seen(latin1Encode(line));
      return line;
    }
    return line.then((text) => {
      this.#seen(latin1Encode(text));
      return text;
    });
  }

  /**
   * Reads and drops the rest of a watched chunked body, at most `limit`
   * bytes of it, never past its end; whether it ended within them.
   */
  async discardChunked(limit: number): Promise<boolean> {
    const decoder = this.#chunked;
    if (decoder === null || this.#overrun) return false;
    let budget = limit;
    while (!decoder.done && decoder.error === null && budget > 0) {
      const buffered = await this.peek();
      if (buffered.length === 0) return false;
      const used = decoder.decode(buffered.subarray(0, budget));
      budget -= used;
      await super.skip(used);
    }
    return decoder.done;
  }
}

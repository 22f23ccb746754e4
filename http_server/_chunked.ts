/**
 * The chunked transfer coding (RFC 9112 section 7.1), decoded incrementally
 * and strictly: sizes in hex, lines ended by CRLF, extensions and trailers
 * skipped within fixed bounds. The server uses it to find where a chunked
 * request body ends; the fetch adapter to read a handler's chunked
 * response. Pure: bytes in, data out.
 *
 * @module
 */

import { isTokenByte } from "../_util/http_token.ts";

/** Longest chunk-size line (size, extensions) accepted. */
const MAX_SIZE_LINE = 4096;
/** Most trailer bytes accepted after the last chunk. */
const MAX_TRAILERS = 16 * 1024;
/** Hex digits allowed in a chunk size (13 keep it a safe integer). */
const MAX_DIGITS = 13;

const CR = 0x0d;
const LF = 0x0a;

/** Where the decoder is in the coding. */
const State = {
  Size: 0,
  SizeBlank: 1,
  Extension: 2,
  SizeLf: 3,
  Data: 4,
  DataCr: 5,
  DataLf: 6,
  TrailerStart: 7,
  Trailer: 8,
  TrailerLf: 9,
  EndLf: 10,
  Done: 11,
  Failed: 12,
} as const;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

/**
 * Decodes one chunked body fed in pieces. `decode` consumes bytes up to the
 * end of the body (the CRLF after the trailers) and no further, so whatever
 * follows is the next message.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ChunkedDecoder } from "./_chunked.ts";
 * const decoder = new ChunkedDecoder();
 * const wire = new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\nNEXT");
 * let data = "";
 * const used = decoder.decode(wire, (d) => data += new TextDecoder().decode(d));
 * equal(data, "abc");
 * equal(used, wire.length - 4);
 * equal(decoder.done, true);
 * ```
 */
export class ChunkedDecoder {
  #state: number = State.Size;
  #digits = 0;
  #size = 0;
  #lineBytes = 0;
  #trailerBytes = 0;
  /** The current trailer line's name has ended at its colon. */
  #trailerValue = false;
  #error: string | null = null;

  /** The body ended (its last chunk and trailers were read). */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** Why the input is not a valid chunked body, once it is known not to be. */
  get error(): string | null {
    return this.#error;
  }

  #fail(message: string): number {
    this.#state = State.Failed;
    this.#error = message;
    return -1;
  }

  /**
   * Consumes `input`, passing chunk data (views into `input`) to `onData`;
   * returns how many bytes belonged to the body. Stops at its end; on
   * malformed input, `error` is set and the count is of the bytes before
   * the fault.
   */
  decode(input: Uint8Array, onData?: (data: Uint8Array) => void): number {
    let i = 0;
    while (i < input.length) {
      const state = this.#state;
      if (state === State.Done || state === State.Failed) return i;
      if (state === State.Data) {
        const take = Math.min(this.#size, input.length - i);
        onData?.(input.subarray(i, i + take));
        this.#size -= take;
        i += take;
        if (this.#size === 0) this.#state = State.DataCr;
        continue;
      }
      if (this.#step(input[i] as number) === -1) return i;
      i++;
    }
    return i;
  }

  /** Advances over one byte outside chunk data; -1 when it is malformed. */
  #step(byte: number): number {
    switch (this.#state) {
      case State.Size:
      case State.SizeBlank:
      case State.Extension:
        return this.#sizeLine(byte);
      case State.SizeLf:
        if (byte !== LF) return this.#fail("chunk size line without CRLF");
        this.#lineBytes = 0;
        if (this.#size > 0) this.#state = State.Data;
        else this.#state = State.TrailerStart;
        return 0;
      case State.DataCr:
        if (byte !== CR) return this.#fail("chunk data longer than its size");
        this.#state = State.DataLf;
        return 0;
      case State.DataLf:
        if (byte !== LF) return this.#fail("chunk data not ended by CRLF");
        this.#state = State.Size;
        this.#digits = 0;
        this.#size = 0;
        return 0;
      default:
        return this.#trailers(byte);
    }
  }

  #sizeLine(byte: number): number {
    if (++this.#lineBytes > MAX_SIZE_LINE) {
      return this.#fail("chunk size line too long");
    }
    const state = this.#state;
    if (byte === CR) {
      if (this.#digits === 0) return this.#fail("chunk size missing");
      this.#state = State.SizeLf;
      return 0;
    }
    if (state === State.Extension) {
      if (byte === LF || byte === 0) {
        return this.#fail("bad character in chunk extension");
      }
      return 0;
    }
    const digit = hexValue(byte);
    if (state === State.Size && digit !== -1) {
      if (++this.#digits > MAX_DIGITS) {
        return this.#fail("chunk size too large");
      }
      this.#size = this.#size * 16 + digit;
      return 0;
    }
    if (this.#digits === 0) return this.#fail("chunk size missing");
    if (byte === 0x20 || byte === 0x09) {
      this.#state = State.SizeBlank;
      return 0;
    }
    if (byte === 0x3b) {
      this.#state = State.Extension;
      return 0;
    }
    return this.#fail("bad character in chunk size");
  }

  #trailers(byte: number): number {
    if (++this.#trailerBytes > MAX_TRAILERS) {
      return this.#fail("trailers too long");
    }
    switch (this.#state) {
      case State.TrailerStart:
        if (byte === CR) {
          this.#state = State.EndLf;
          return 0;
        }
        // A trailer line is a field line (RFC 9112 section 7.1.2): a name
        // of token characters, then a colon.
        if (!isTokenByte(byte)) return this.#fail("malformed trailer line");
        this.#state = State.Trailer;
        this.#trailerValue = false;
        return 0;
      case State.Trailer:
        if (byte === LF) return this.#fail("trailer line without CRLF");
        if (!this.#trailerValue) {
          if (byte === 0x3a) this.#trailerValue = true;
          else if (!isTokenByte(byte)) {
            return this.#fail("malformed trailer line");
          }
          return 0;
        }
        if (byte === CR) this.#state = State.TrailerLf;
        return 0;
      case State.TrailerLf:
        if (byte !== LF) return this.#fail("trailer line without CRLF");
        this.#state = State.TrailerStart;
        return 0;
      default:
        if (byte !== LF) return this.#fail("chunked body not ended by CRLF");
        this.#state = State.Done;
        return 0;
    }
  }
}

/**
 * `rfile` and `wfile` over a stream connection: the buffered reader and the
 * writer that Python's `socket.makefile()` gives a `StreamRequestHandler`,
 * with promises where Python blocks.
 *
 * Follows CPython 3.13 `Lib/socketserver.py` (`StreamRequestHandler.setup`,
 * `_SocketWriter`) and the `io.BufferedReader` methods it relies on.
 *
 * @module
 */
import { decodeAscii, latin1Decode, latin1Encode } from "../_util/latin1.ts";
import { BufferPool } from "./_buffer_pool.ts";
import { asBytes, type BytesLike } from "../_util/bytes_like.ts";
import { typeName } from "../_util/py_type_name.ts";

/**
 * What the handlers need of a connection: a `Deno.Conn` (TCP, TLS or Unix)
 * has all of it, and so does the in-memory connection of the fetch adapter.
 */
export interface StreamConnection {
  /** Reads into `p`; `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`, resolving with how much. */
  write(p: Uint8Array): Promise<number>;
  /** Closes both directions. */
  close(): void;
  /** Half-closes: sends FIN, keeps reading (Python: `shutdown(SHUT_WR)`). */
  closeWrite?(): Promise<void>;
  /** Turns Nagle's algorithm off (`TCP_NODELAY`). */
  setNoDelay?(noDelay?: boolean): void;
}

const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);

/**
 * A size as Python's file reads take it: an integer, or None (`null`) for
 * no limit, as -1.
 */
function sizeOrNone(size: unknown): number {
  if (size === null || size === undefined) return -1;
  return asIndex(
    size,
    (type) => `argument should be integer or None, not '${type}'`,
  );
}

/** The bytes of a buffer `readinto` may fill, as Python's writable buffers. */
function writableBytes(buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" &&
      buffer instanceof SharedArrayBuffer)
  ) {
    return new Uint8Array(buffer);
  }
  throw new TypeError(
    `readinto() argument must be read-write bytes-like object, not ${
      typeName(buffer)
    }`,
  );
}

/** A size that must be an integer (`read1`, `peek`), as in Python. */
function integerSize(size: unknown): number {
  return asIndex(
    size,
    (type) => `'${type}' object cannot be interpreted as an integer`,
  );
}

/** Python's `sys.maxsize` on 64-bit systems. */
const MAX_SIZE = 2n ** 63n - 1n;

/**
 * `size` as Python takes an integer index: a bool or a bigint counts as its
 * integer (a bigint beyond `sys.maxsize` is refused); anything else but an
 * integer is a `TypeError` in the words `message` gives for its type.
 */
function asIndex(size: unknown, message: (type: string) => string): number {
  if (typeof size === "boolean") return Number(size);
  if (typeof size === "bigint") {
    if (size > MAX_SIZE || size < -MAX_SIZE - 1n) {
      throw new RangeError("cannot fit 'int' into an index-sized integer");
    }
    return Number(size);
  }
  if (typeof size !== "number" || !Number.isInteger(size)) {
    throw new TypeError(message(typeName(size)));
  }
  return size;
}
const encoder = new TextEncoder();
/**
 * The read buffer starts at Python's `io.DEFAULT_BUFFER_SIZE` (8 KiB: a
 * connection per request then allocates little) and doubles, up to
 * `READ_BUFFER_MAX`, while reads keep filling it (a large body then takes
 * few system calls).
 */
const READ_BUFFER = 8 * 1024;
const READ_BUFFER_MAX = 64 * 1024;
/** Writes queued within one turn are joined into one system call up to this size. */
const COALESCE_LIMIT = 64 * 1024;
/** The smallest staging buffer; it doubles as writes need, up to `STAGE_LIMIT`. */
const MIN_STAGE = 4 * 1024;
/**
 * The largest staging buffer: a write of up to `COALESCE_LIMIT` bytes joins
 * a small batch staged before it (a response head) within this size, so a
 * 64 KiB file from memory leaves with its head in one system call.
 */
const STAGE_LIMIT = COALESCE_LIMIT + MIN_STAGE;
/** How many copies of large writes a writer keeps for reuse. */
const LARGE_SPARES = 2;
/**
 * Read buffers and smallest staging buffers of closed connections, for the
 * next ones (256 of each: 3 MiB at most).
 */
const READ_BUFFERS = new BufferPool(READ_BUFFER, 256);
const STAGE_BUFFERS = new BufferPool(MIN_STAGE, 256);
/** How many buffered bytes `readLineLatin1` decodes ahead at most. */
const DECODE_AHEAD = 8 * 1024;
/** `drain()` waits while more than this is queued. */
const HIGH_WATER_MARK = 256 * 1024;

/** Python's `TimeoutError` (`socket.timeout`) for a read or write that took too long. */
function timeoutError(what: string, seconds: number): Error {
  return new Deno.errors.TimedOut(`${what} timed out after ${seconds}s`);
}

/**
 * Runs `operation` with a deadline of `seconds`; `null` means none. The
 * operation keeps running after a timeout (a socket read cannot be
 * cancelled), so callers keep its promise.
 */
export function withTimeout<T>(
  operation: Promise<T>,
  seconds: number | null,
  what: string,
): Promise<T> {
  if (seconds === null) return operation;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(timeoutError(what, seconds)),
      Math.max(0, seconds * 1000),
    );
  });
  return Promise.race([operation, expiry]).finally(() => clearTimeout(timer));
}

/**
 * How much of `text` (whole lines) is an HTTP head: through its first empty
 * line (`\n` or `\r\n`), or through its last line end when it has none.
 */
function headLength(text: string): number {
  if (text.startsWith("\n")) return 1;
  if (text.startsWith("\r\n")) return 2;
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\n\r\n");
  if (lf !== -1 && (crlf === -1 || lf < crlf)) return lf + 2;
  if (crlf !== -1) return crlf + 3;
  return text.lastIndexOf("\n") + 1;
}

/**
 * The buffered reader behind `rfile` (Python: `socket.makefile("rb")`).
 * Reads return promises; `read(n)` waits for `n` bytes unless the stream
 * ends first, as Python's `BufferedReader.read` does.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SocketReader } from "./_socket_io.ts";
 * const chunks = [new TextEncoder().encode("one\ntwo\nrest")];
 * const conn = {
 *   read(p: Uint8Array) {
 *     const next = chunks.shift();
 *     if (!next) return Promise.resolve(null);
 *     p.set(next);
 *     return Promise.resolve(next.length);
 *   },
 *   write: (p: Uint8Array) => Promise.resolve(p.length),
 *   close() {},
 * };
 * const rfile = new SocketReader(conn);
 * equal(new TextDecoder().decode(await rfile.readline()), "one\n");
 * equal((await rfile.readlines()).length, 2);
 * ```
 */
export class SocketReader implements AsyncIterable<Uint8Array<ArrayBuffer>> {
  /** Seconds a single read may wait; `null`: for ever (Python: the socket timeout). */
  timeout: number | null = null;
  readonly #conn: StreamConnection;
  #buffer: Uint8Array<ArrayBuffer>;
  #start = 0;
  #end = 0;
  #eof = false;
  #closed = false;
  /**
   * The socket read under way, writing into `#buffer`, as the promise of
   * its landing (`#landed`, run once for it however many fills wait):
   * a fill that finds one waits for it rather than start another into the
   * same bytes. It outlives a fill given up by a timeout, or by a caller
   * that stopped waiting.
   */
  #inFlight: Promise<boolean> | null = null;
  /** Socket reads completed, for a stall check (see `progress`). */
  #reads = 0;
  /** What failed reads throw instead of their own error, once set. */
  #abortedWith: unknown = null;
  /** The last read filled the buffer: grow it before the next. */
  #growNext = false;
  /** Bytes handed to callers so far. */
  #taken = 0;
  /**
   * Buffered bytes from `#decodedAt` on, already decoded as Latin-1 by
   * `readLineLatin1`; empty when none are.
   */
  #decoded = "";
  #decodedAt = 0;
  /**
   * Where the last window `readLineLatin1` tried to decode ahead ended when
   * it was not all ASCII: lines starting before it are decoded one by one
   * rather than that window again for each (a binary body behind a head).
   */
  #notAsciiUntil = 0;

  /** Wraps `conn`; `bufferSize` as Python's `rbufsize` (-1 or 0: the default). */
  constructor(conn: StreamConnection, bufferSize = -1) {
    this.#conn = conn;
    this.#buffer = bufferSize > 0
      ? new Uint8Array(bufferSize)
      : READ_BUFFERS.take();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many bytes reads have returned so far (to account for a request body). */
  get position(): number {
    return this.#taken;
  }

  /** How many bytes are buffered and not yet read. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Whether the peer has closed its side and everything buffered was read. */
  get atEof(): boolean {
    return this.#eof && this.#start === this.#end;
  }

  /** Stops reading (Python: `rfile.close()`); the connection stays open. */
  close(): void {
    this.#closed = true;
    // The buffer goes to the next connection, unless a read abandoned by a
    // timeout may still land in it.
    if (this.#inFlight !== null) return;
    READ_BUFFERS.give(this.#buffer);
    this.#buffer = EMPTY;
    this.#forgetDecoded();
    this.#start = this.#end = 0;
    this.#eof = true;
  }

  /** Python's error for `operation` on a closed file, as each method names it. */
  #checkOpen(operation: string | null = null): void {
    if (!this.#closed) return;
    throw new TypeError(
      operation === null
        ? "I/O operation on closed file."
        : `${operation} of closed file`,
    );
  }

  /**
   * Reads more from the connection into the buffer, making room first.
   * Resolves `false` at end of stream.
   */
  #fill(): Promise<boolean> {
    if (this.#eof) return Promise.resolve(false);
    let landing = this.#inFlight;
    if (landing === null) {
      this.#makeRoom();
      const end = this.#end;
      landing = this.#conn.read(
        end === 0 ? this.#buffer : this.#buffer.subarray(end),
      ).then(this.#onRead, this.#onReadFailed);
      this.#inFlight = landing;
    }
    return this.timeout === null ? landing : this.#fillWithTimeout(landing);
  }

  readonly #onRead = (count: number | null): boolean => {
    this.#inFlight = null;
    return this.#landed(count);
  };

  readonly #onReadFailed = (error: unknown): never => {
    this.#inFlight = null;
    throw this.#abortedWith ?? error;
  };

  /**
   * Socket reads completed so far; with `waiting`, what tells a stalled
   * client from a busy handler (a server checks them now and then, rather
   * than timing each read).
   */
  get progress(): number {
    return this.#reads;
  }

  /** Whether a socket read is waiting for the client. */
  get waiting(): boolean {
    return this.#inFlight !== null;
  }

  /**
   * Makes the read waiting now, and any after it, fail with `error` once
   * the connection is closed: a stall the server ends reads as a timeout.
   */
  abort(error: unknown): void {
    this.#abortedWith = error;
  }

  /**
   * Waits for `landing` at most `timeout` seconds. After a timeout the
   * read is still under way: the next fill waits for it.
   */
  async #fillWithTimeout(landing: Promise<boolean>): Promise<boolean> {
    // A landing given up must not become an unhandled rejection.
    landing.catch(() => {});
    try {
      return await withTimeout(landing, this.timeout, "read");
    } catch (error) {
      throw this.#abortedWith ?? error;
    }
  }

  /** Accounts for `count` bytes a read put in the buffer; `false` at end of stream. */
  #landed(count: number | null): boolean {
    this.#reads++;
    if (count === null || count === 0) {
      this.#eof = true;
      return false;
    }
    this.#end += count;
    if (
      this.#end === this.#buffer.length && this.#buffer.length < READ_BUFFER_MAX
    ) {
      this.#growNext = true;
    }
    return true;
  }

  /** Compacts or grows the buffer so that a read has room to land. */
  #makeRoom(): void {
    // Bytes may move: what was learned of them no longer matches their places.
    this.#forgetDecoded();
    const buffer = this.#buffer;
    if (this.#growNext) {
      // The last read filled the buffer: the peer sends more than it holds.
      this.#growNext = false;
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer.subarray(this.#start, this.#end));
      this.#end -= this.#start;
      this.#start = 0;
      this.#buffer = grown;
      return;
    }
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
      return;
    }
    if (this.#end < buffer.length) return;
    const used = this.#end - this.#start;
    if (this.#start > 0) {
      buffer.copyWithin(0, this.#start, this.#end);
    } else {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer.subarray(0, used));
      this.#buffer = grown;
    }
    this.#start = 0;
    this.#end = used;
  }

  /** Takes `count` buffered bytes as a copy. */
  #take(count: number): Uint8Array<ArrayBuffer> {
    const out = this.#buffer.slice(this.#start, this.#start + count);
    this.#start += count;
    this.#taken += count;
    return out;
  }

  /**
   * Up to `size` bytes, fewer only at end of stream; everything until the
   * end of stream when `size` is negative or left out. An empty array means
   * the stream has ended.
   */
  async read(size: number | null = -1): Promise<Uint8Array<ArrayBuffer>> {
    size = sizeOrNone(size);
    if (size < -1) {
      throw new RangeError("read length must be non-negative or -1");
    }
    this.#checkOpen("read");
    // Python's None, as -1: everything until the end of the stream.
    if (size < 0) return this.#readAll();
    if (size === 0) return EMPTY;
    while (this.buffered < size && await this.#fill());
    return this.#take(Math.min(size, this.buffered));
  }

  async #readAll(): Promise<Uint8Array<ArrayBuffer>> {
    while (await this.#fill());
    return this.#take(this.buffered);
  }

  /**
   * At most `size` bytes with at most one read from the connection (Python's
   * `read1`): what is buffered, or else what one read brings.
   */
  async read1(size = -1): Promise<Uint8Array<ArrayBuffer>> {
    // Python's BufferedReader.read1 takes no None (read and readline do).
    size = integerSize(size);
    this.#checkOpen("read");
    // Python returns at once for 0, without waiting for the peer.
    if (size === 0) return EMPTY;
    // A loop, not one fill: a read running beside this one may take what
    // the fill brought.
    while (this.buffered === 0 && await this.#fill());
    const available = this.buffered;
    return this.#take(size < 0 ? available : Math.min(size, available));
  }

  /**
   * Buffered bytes, without consuming them (Python's `BufferedReader.peek`):
   * a copy of what is buffered, after at most one read from the connection
   * when nothing is; empty at end of stream. `size` is accepted for
   * Python's signature; as there, the result may be shorter or longer.
   */
  async peek(size = 0): Promise<Uint8Array<ArrayBuffer>> {
    integerSize(size);
    this.#checkOpen("peek");
    while (this.buffered === 0 && await this.#fill());
    return this.#buffer.slice(this.#start, this.#end);
  }

  /**
   * Fills `b` (any typed array, `DataView` or `ArrayBuffer`, as Python fills
   * any writable buffer) as far as the stream allows; resolves with the
   * count of bytes (0 at its end).
   */
  async readinto(
    buffer: ArrayBufferView | ArrayBufferLike,
  ): Promise<number> {
    const b = writableBytes(buffer);
    this.#checkOpen("readinto");
    while (this.buffered < b.length && await this.#fill());
    const count = Math.min(b.length, this.buffered);
    b.set(this.#buffer.subarray(this.#start, this.#start + count));
    this.#start += count;
    this.#taken += count;
    return count;
  }

  /**
   * Where the next line ends (one past its `\n`) if it is complete within
   * the buffer and `limit`; -1 otherwise.
   */
  #lineEnd(limit: number): number {
    const searchEnd = limit < 0
      ? this.#end
      : Math.min(this.#end, this.#start + limit);
    if (searchEnd <= this.#start) return -1;
    // Searching the whole buffer makes no view; a find past the end is no find.
    const newline = this.#buffer.indexOf(10, this.#start);
    return newline === -1 || newline >= searchEnd ? -1 : newline + 1;
  }

  /** Length of the next line to return, reading as needed; 0 at end of stream. */
  async #lineLength(limit: number): Promise<number> {
    while (true) {
      const end = this.#lineEnd(limit);
      if (end !== -1) return end - this.#start;
      if (limit >= 0 && this.buffered >= limit) return limit;
      if (!await this.#fill()) return this.buffered;
    }
  }

  /**
   * One line including its `\n` (the rest of the stream if it has none), at
   * most `size` bytes when `size` is not negative. Empty at end of stream.
   */
  async readline(size: number | null = -1): Promise<Uint8Array<ArrayBuffer>> {
    size = sizeOrNone(size);
    this.#checkOpen("readline");
    return this.#take(await this.#lineLength(size));
  }

  /**
   * A line as ISO-8859-1 text, as `readline(limit)` would return it: the
   * HTTP parser's path, which avoids a copy. Tries the buffer first, so a
   * request already read costs no await per line.
   */
  readLineLatin1(limit: number): string | Promise<string> {
    this.#checkOpen();
    const ahead = this.#decodedLine(limit);
    if (ahead !== null) return ahead;
    const end = this.#lineEnd(limit);
    if (end !== -1) return this.#takeLineLatin1(end - this.#start, limit);
    return this.#lineLength(limit).then((n) => this.#takeLineLatin1(n, limit));
  }

  /** The next `count` bytes, a line, decoding the lines after it too. */
  #takeLineLatin1(count: number, limit: number): string {
    if (this.#start >= this.#notAsciiUntil) this.#decodeAhead();
    return this.#decodedLine(limit) ?? this.#takeLatin1(count);
  }

  #takeLatin1(count: number): string {
    const text = latin1Decode(
      this.#buffer.subarray(this.#start, this.#start + count),
    );
    this.#start += count;
    this.#taken += count;
    return text;
  }

  /**
   * Decodes the whole lines buffered from here, through the blank line that
   * ends a head, when they are ASCII (the usual case): the lines of a head
   * then cost one native call, and a search and a slice each, instead of a
   * decoding each (a browser's dozen lines: about a sixth of the time).
   */
  #decodeAhead(): void {
    const start = this.#start;
    const end = Math.min(this.#end, start + DECODE_AHEAD);
    const text = decodeAscii(this.#buffer.subarray(start, end));
    if (text === null) {
      this.#notAsciiUntil = end;
      return;
    }
    const length = headLength(text);
    this.#decoded = length === text.length ? text : text.slice(0, length);
    this.#decodedAt = start;
  }

  #forgetDecoded(): void {
    this.#decoded = "";
    this.#notAsciiUntil = 0;
  }

  /** The next line, taken from the text decoded ahead if it is there whole; else null. */
  #decodedLine(limit: number): string | null {
    const decoded = this.#decoded;
    if (decoded === "") return null;
    const offset = this.#start - this.#decodedAt;
    if (offset < 0) return null;
    const newline = decoded.indexOf("\n", offset);
    if (newline === -1 || (limit >= 0 && newline - offset >= limit)) {
      return null;
    }
    const count = newline + 1 - offset;
    this.#start += count;
    this.#taken += count;
    // All taken: let it go rather than keep it for an idle connection.
    if (newline + 1 === decoded.length) this.#decoded = "";
    return decoded.slice(offset, newline + 1);
  }

  /**
   * All remaining lines; with `hint` > 0, stops after the line that takes
   * the total past `hint` bytes (a total of exactly `hint` reads on), as a
   * Python socket file's `readlines` does.
   */
  async readlines(
    hint: number | null = -1,
  ): Promise<Uint8Array<ArrayBuffer>[]> {
    hint = sizeOrNone(hint);
    this.#checkOpen();
    const lines: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    while (true) {
      const line = await this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      if (hint > 0 && this.enoughLines(total, hint)) return lines;
    }
  }

  /** Whether `readlines(hint)` stops once its lines total `total` bytes. */
  protected enoughLines(total: number, hint: number): boolean {
    return total > hint;
  }

  /**
   * Discards up to `count` bytes (a request body nobody read); resolves with
   * how many were discarded, fewer only at end of stream.
   */
  async skip(count: number): Promise<number> {
    let skipped = 0;
    while (skipped < count) {
      if (this.buffered === 0 && !await this.#fill()) break;
      const n = Math.min(count - skipped, this.buffered);
      this.#start += n;
      this.#taken += n;
      skipped += n;
    }
    return skipped;
  }

  /** Waits until at least one byte is buffered; `false` at end of stream. */
  waitForData(): Promise<boolean> {
    return this.buffered > 0 ? Promise.resolve(true) : this.#fill();
  }

  /** Iterates over lines, as `for line in rfile` does in Python. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array<ArrayBuffer>> {
    this.#checkOpen();
    while (true) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }
}

/**
 * Each connection's writer, kept on the connection so the server can let it
 * finish first (a property costs less than a WeakMap entry per connection,
 * which the garbage collector must trace).
 */
const WRITER = Symbol("writer");
/** `SocketWriter`'s write that queues its caller's bytes without a copy. */
const UNCOPIED = Symbol("uncopied");

/**
 * Queues `bytes` on `output` without copying them when it is a
 * `SocketWriter` (a plain `write` otherwise): the caller must leave them
 * untouched until `flush()` resolves. A file copied this way holds one
 * buffer per connection, however slowly its client reads.
 */
export function writeUncopied(
  output: { write(data: Uint8Array): unknown },
  bytes: Uint8Array,
): void {
  if (output instanceof SocketWriter) output[UNCOPIED](bytes);
  else output.write(bytes);
}
interface WithWriter {
  [WRITER]?: SocketWriter;
}

/**
 * Waits until what the writer of `conn` has queued is sent (or has
 * failed): Python's unbuffered `wfile.write` has sent its bytes when it
 * returns, so a handler whose `finish` skips the flush, or fails, still
 * delivers them before the server closes the connection.
 */
export function sendQueued(conn: StreamConnection): Promise<void> | void {
  const writer = (conn as WithWriter)[WRITER];
  // Nothing queued (a finish that flushed): no promise, no extra turn.
  if (writer === undefined || !writer.busy) return;
  return writer.flush().catch(() => {
    // The client is gone: nothing more can reach it.
  });
}

/**
 * The writer behind `wfile`. `write()` queues and returns at once (Python's
 * blocks); what is written in one turn of the event loop leaves in one
 * system call, so a response head and a small body go together. With
 * `bufferSize` 0 (Python's `wbufsize = 0`, the default) queued bytes are sent
 * as soon as the current code yields; with a positive size they wait for
 * `flush()` or until that many are queued. `flush()` resolves once the
 * connection has taken everything; `drain()` gives back-pressure to a writer
 * of large streams.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SocketWriter } from "./_socket_io.ts";
 * const sent: Uint8Array[] = [];
 * const conn = {
 *   read: () => Promise.resolve(null),
 *   write(p: Uint8Array) {
 *     sent.push(p.slice());
 *     return Promise.resolve(p.length);
 *   },
 *   close() {},
 * };
 * const wfile = new SocketWriter(conn);
 * equal(wfile.write("HTTP/1.0 200 OK\r\n\r\n"), 19);
 * wfile.write("Hello World");
 * await wfile.flush();
 * equal(sent.length, 1); // one write for both
 * ```
 */
export class SocketWriter {
  /** Seconds a single socket write may wait; `null`: for ever. */
  timeout: number | null = null;
  readonly #conn: StreamConnection;
  readonly #bufferSize: number;
  /** Pieces ready to be written, in order. */
  #queue: Uint8Array[] = [];
  /** The staging buffer small writes are copied into, and how much of it is used. */
  #stage: Uint8Array | null = null;
  #staged = 0;
  /** A staging buffer already written out, kept for the next batch. */
  #spare: Uint8Array | null = null;
  /** Copies of large writes already written out, kept for the next ones. */
  #spareLarge: Uint8Array[] = [];
  /**
   * Pieces queued by `writeUncopied`, in queue order: the caller's, never
   * reused here.
   */
  #uncopied: Uint8Array[] = [];
  /** Socket writes completed, for a stall check (see `progress`). */
  #writes = 0;
  /** What a failed write reports instead of its own error, once set. */
  #abortedWith: unknown = null;
  #queued = 0;
  /** The piece a system call is sending, and how much of it has gone. */
  #sending: Uint8Array | null = null;
  #sent = 0;
  #scheduled = false;
  #error: unknown = null;
  #failureSeen = false;
  #closed = false;
  #drainWaiters: (() => void)[] = [];
  /** `flush()` calls waiting for everything queued to be sent. */
  #flushWaiters: (() => void)[] = [];

  /** Wraps `conn`; `bufferSize` as Python's `wbufsize`. */
  constructor(conn: StreamConnection, bufferSize = 0) {
    this.#conn = conn;
    this.#bufferSize = bufferSize < 0 ? COALESCE_LIMIT : bufferSize;
    (conn as WithWriter)[WRITER] = this;
  }

  /** Whether `close()` was called or the connection failed. */
  get closed(): boolean {
    return this.#closed || this.#error !== null;
  }

  /** Whether bytes are queued or being sent. */
  get busy(): boolean {
    return this.#sending !== null || this.#hasWork();
  }

  /** Bytes queued and not yet taken by the connection. */
  get pending(): number {
    return this.#queued;
  }

  /**
   * Queues `data` (bytes, or text in `encoding`) and returns its length in
   * bytes; once more than 256 KiB wait to be sent, a promise of it instead,
   * which resolves when the client has taken enough (as `drain()`), or
   * rejects with the connection's error if sending fails meanwhile. So
   * `await wfile.write(chunk)` in a loop holds memory to that, as Python's
   * blocking `write` does, however slowly the client reads. The bytes are
   * copied, as Python's `write` has sent them when it returns: the caller
   * may reuse its buffer (a `readinto` loop does) at once. Writes smaller
   * than 64 KiB are copied into one staging buffer, which becomes the
   * single system call that sends them. Text in `"latin-1"` must have no
   * character above U+00FF (an HTTP head).
   *
   * @throws {Deno.errors.BrokenPipe} (or the connection's own error) once a
   * write has failed, e.g. because the client went away.
   * @throws {TypeError} After `close()`.
   */
  write(
    data: BytesLike | string,
    encoding: "utf-8" | "latin-1" = "utf-8",
  ): number | Promise<number> {
    const count = this.#enqueue(data, encoding);
    if (count > 0) this.release();
    if (this.#queued > HIGH_WATER_MARK) return this.#drained(count);
    return count;
  }

  /**
   * `count` once little enough is queued; the connection's error if
   * sending fails meanwhile (as Python's blocking write raises it). Marked
   * handled: one left unawaited must not end the process, and its failure
   * shows at the next call.
   */
  #drained(count: number): Promise<number> {
    const written = this.drain().then(() => {
      if (this.#error !== null) throw this.#error;
      return count;
    });
    written.catch(() => {});
    return written;
  }

  /**
   * Writes each of `lines` as `write()` does, adding no separator (Python's
   * `writelines`).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SocketWriter } from "./_socket_io.ts";
   * let sent = "";
   * const conn = {
   *   read: () => Promise.resolve(null),
   *   write(p: Uint8Array) {
   *     sent += new TextDecoder().decode(p);
   *     return Promise.resolve(p.length);
   *   },
   *   close() {},
   * };
   * const wfile = new SocketWriter(conn);
   * wfile.writelines(["a\n", new TextEncoder().encode("b\n")]);
   * await wfile.flush();
   * equal(sent, "a\nb\n");
   * ```
   */
  writelines(lines: Iterable<BytesLike | string>): void {
    for (const line of lines) this.write(line);
  }

  /**
   * Queues `data` as `write()` does, but sends it only together with what
   * follows: the next `write()`, `flush()` or `release()`. The HTTP layer
   * holds a response head this way, so that it leaves in one system call
   * with a body its handler writes after an `await`.
   */
  hold(
    data: BytesLike | string,
    encoding: "utf-8" | "latin-1" = "utf-8",
  ): number {
    const count = this.#enqueue(data, encoding);
    if (this.onHold !== null) this.onHold();
    return count;
  }

  /**
   * Called after `hold()` queues bytes: the HTTP layer sets it while a
   * handler runs past its first `await`, to bound how long a head waits.
   */
  onHold: (() => void) | null = null;

  /**
   * Whether held bytes wait for a `write()`, `flush()` or `release()`:
   * nothing is being sent or about to be (unbuffered writers only; a
   * buffered one holds what it is given anyway, as Python's does).
   */
  get holding(): boolean {
    return this.#bufferSize === 0 && !this.#scheduled &&
      this.#sending === null && this.#error === null && this.#hasWork();
  }

  /** `writeUncopied`: a large piece goes in the queue as it is. */
  [UNCOPIED](bytes: Uint8Array): void {
    if (bytes.length < COALESCE_LIMIT || this.#closed || this.#error !== null) {
      this.write(bytes);
      return;
    }
    this.#closeStage();
    this.#queue.push(bytes);
    this.#uncopied.push(bytes);
    this.#queued += bytes.length;
    this.release();
  }

  /** Socket writes completed so far (see `SocketReader.progress`). */
  get progress(): number {
    return this.#writes;
  }

  /** Whether a socket write is waiting for the client to take bytes. */
  get waiting(): boolean {
    return this.#sending !== null;
  }

  /** Makes the write waiting now fail with `error` once the connection is closed. */
  abort(error: unknown): void {
    this.#abortedWith = error;
  }

  /** Sends what is queued as a `write()` would: at once, or when the buffer fills. */
  release(): void {
    if (!this.#hasWork()) return;
    if (this.#bufferSize === 0) this.#schedule();
    else if (this.#queued >= this.#bufferSize) this.#startPump();
  }

  #enqueue(data: BytesLike | string, encoding: "utf-8" | "latin-1"): number {
    if (this.#closed) {
      // Python's buffered writer says so; its unbuffered one (wbufsize 0)
      // even sends it, which this refuses (see the README).
      throw new TypeError(
        this.#bufferSize > 0
          ? "write to closed file"
          : "I/O operation on closed file.",
      );
    }
    if (this.#error !== null) throw this.#seen(this.#error);
    let count: number;
    if (typeof data === "string") {
      if (data.length === 0) return 0;
      // UTF-8 takes at most three bytes per UTF-16 unit.
      if (data.length * 3 < COALESCE_LIMIT) {
        const stage = this.#room(data.length * 3);
        count = encoder.encodeInto(data, stage.subarray(this.#staged)).written;
        if (count !== data.length && encoding === "latin-1") {
          // Not ASCII after all: the UTF-8 just staged gives way.
          stage.set(latin1Encode(data), this.#staged);
          count = data.length;
        }
        this.#staged += count;
      } else {
        const bytes = encoding === "latin-1"
          ? latin1Encode(data)
          : encoder.encode(data);
        count = bytes.length;
        this.#closeStage();
        this.#queue.push(bytes);
      }
    } else {
      const bytes = asBytes(data);
      count = bytes.length;
      if (count === 0) return 0;
      if (
        count < COALESCE_LIMIT ||
        (this.#staged > 0 && this.#staged + count <= STAGE_LIMIT)
      ) {
        this.#room(count).set(bytes, this.#staged);
        this.#staged += count;
      } else {
        this.#closeStage();
        const copy = this.#largeCopy(count);
        copy.set(bytes);
        this.#queue.push(copy);
      }
    }
    this.#queued += count;
    return count;
  }

  /** The staging buffer, with room for `size` more bytes. */
  #room(size: number): Uint8Array {
    const stage = this.#stage;
    const needed = this.#staged + size;
    if (stage !== null && needed <= stage.length) return stage;
    if (stage !== null && needed <= STAGE_LIMIT) {
      // Grow it: the batch still leaves in one write.
      const grown = this.#newStage(needed);
      grown.set(stage.subarray(0, this.#staged));
      this.#spare = stage;
      return this.#stage = grown;
    }
    this.#closeStage();
    return this.#stage = this.#newStage(size);
  }

  #newStage(size: number): Uint8Array {
    const spare = this.#spare;
    if (spare !== null && spare.length >= size) {
      this.#spare = null;
      return spare;
    }
    if (size <= MIN_STAGE) return STAGE_BUFFERS.take();
    let capacity = MIN_STAGE;
    while (capacity < size) capacity *= 2;
    return new Uint8Array(Math.min(capacity, STAGE_LIMIT));
  }

  /**
   * A buffer for a copy of a large write: one written out before if its
   * size fits (a stream of equal chunks reuses a couple of them, so
   * streaming a large file makes no garbage), else a new one.
   */
  #largeCopy(size: number): Uint8Array {
    const spares = this.#spareLarge;
    for (let i = 0; i < spares.length; i++) {
      const spare = spares[i] as Uint8Array;
      if (spare.length === size) {
        spares.splice(i, 1);
        return spare;
      }
    }
    return new Uint8Array(size);
  }

  /** Queues what is staged as one piece. */
  #closeStage(): void {
    if (this.#stage !== null && this.#staged > 0) {
      this.#queue.push(this.#stage.subarray(0, this.#staged));
    }
    this.#stage = null;
    this.#staged = 0;
  }

  /**
   * Keeps a written piece's buffer for reuse: every queued piece is the
   * writer's own (a staging buffer, a copy, or encoded text), but for the
   * caller's one `writeUncopied` piece.
   */
  #recycle(piece: Uint8Array): void {
    // Pieces finish in queue order, so a caller's is the first kept.
    if (piece === this.#uncopied[0]) {
      this.#uncopied.shift();
      return;
    }
    if (
      piece.buffer.byteLength >= COALESCE_LIMIT && piece.byteOffset === 0 &&
      piece.length === piece.buffer.byteLength
    ) {
      if (this.#spareLarge.length < LARGE_SPARES) this.#spareLarge.push(piece);
      return;
    }
    const spare = this.#spare;
    if (spare === null || spare.length < piece.buffer.byteLength) {
      this.#spare = new Uint8Array(piece.buffer);
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#sending !== null) return;
    this.#scheduled = true;
    queueMicrotask(this.#pumpSoon);
  }

  /** `#schedule`'s task, made once rather than per write. */
  readonly #pumpSoon = (): void => {
    this.#scheduled = false;
    this.#startPump();
  };

  #hasWork(): boolean {
    return this.#queue.length > 0 || this.#staged > 0;
  }

  /**
   * Sends the next queued piece unless one is being sent. The pump is a
   * chain of callbacks rather than an async loop: a response costs one
   * promise (the system call's) instead of a frame and a promise per step.
   */
  #startPump(): void {
    if (this.#sending !== null || this.#error !== null) return;
    if (!this.#hasWork()) {
      this.#wakeFlushers();
      return;
    }
    if (this.#queue.length === 0) this.#closeStage();
    this.#sending = this.#queue.shift() as Uint8Array;
    this.#sent = 0;
    this.#sendRest();
  }

  #sendRest(): void {
    const piece = this.#sending as Uint8Array;
    const rest = this.#sent === 0 ? piece : piece.subarray(this.#sent);
    withTimeout(this.#conn.write(rest), this.timeout, "write").then(
      this.#onSent,
      this.#onSendFailed,
    );
  }

  readonly #onSent = (count: number): void => {
    this.#writes++;
    const piece = this.#sending as Uint8Array;
    this.#sent += count;
    if (this.#sent < piece.length) return this.#sendRest();
    this.#sending = null;
    this.#queued -= piece.length;
    this.#recycle(piece);
    if (this.#queued <= HIGH_WATER_MARK) this.#wakeDrainers();
    // Bytes queued while the piece was being sent go next.
    this.#startPump();
  };

  readonly #onSendFailed = (error: unknown): void => {
    this.#error = this.#abortedWith ?? error;
    this.#sending = null;
    this.#uncopied = [];
    this.#queue = [];
    this.#stage = null;
    this.#staged = 0;
    this.#queued = 0;
    this.#wakeDrainers();
    this.#wakeFlushers();
  };

  #wakeFlushers(): void {
    const waiters = this.#flushWaiters;
    if (waiters.length === 0) return;
    this.#flushWaiters = [];
    for (const wake of waiters) wake();
  }

  #wakeDrainers(): void {
    const waiters = this.#drainWaiters;
    if (waiters.length === 0) return;
    this.#drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Sends everything queued; resolves once the connection has taken it.
   *
   * @throws The connection's error if a write failed.
   */
  flush(): Promise<void> {
    if (this.#error !== null) return Promise.reject(this.#seen(this.#error));
    if (this.#sending === null && !this.#hasWork()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#flushWaiters.push(() =>
        this.#error === null ? resolve() : reject(this.#seen(this.#error))
      );
      this.#startPump();
    });
  }

  /**
   * Whether the failure of a send was handed to a caller (a `write` that
   * threw, a `flush` that rejected): a handler that caught it dealt with
   * it, as one catching Python's write error has.
   */
  get failureSeen(): boolean {
    return this.#failureSeen;
  }

  #seen(error: unknown): unknown {
    this.#failureSeen = true;
    return error;
  }

  /**
   * Resolves once fewer than 256 KiB are queued: await it between large
   * writes so a slow client holds back the writer instead of filling memory.
   */
  drain(): Promise<void> {
    if (this.#queued <= HIGH_WATER_MARK || this.#error !== null) {
      return Promise.resolve();
    }
    this.#startPump();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /**
   * Stops writing; what is queued goes at once, as Python's buffered file
   * flushes when closed (`await flush()` first to know it has gone).
   */
  close(): void {
    this.#closed = true;
    this.#wakeDrainers();
    if (this.#error === null) this.#startPump();
    // The staging buffers go to the next connection when no write can
    // still be sending from them (after a failed or timed-out write, one may).
    if (this.#sending !== null || this.#hasWork() || this.#error !== null) {
      return;
    }
    for (const buffer of [this.#spare, this.#stage]) {
      if (buffer !== null) {
        STAGE_BUFFERS.give(buffer as Uint8Array<ArrayBuffer>);
      }
    }
    this.#spare = this.#stage = null;
  }
}

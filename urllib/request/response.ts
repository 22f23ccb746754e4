/**
 * The response objects `urlopen` resolves to: Python's
 * `urllib.response.addinfourl` and `http.client.HTTPResponse`, with async
 * reads that pull only the bytes asked for.
 *
 * Follows CPython 3.13 `Lib/urllib/response.py`, `addinfourl`, and
 * `Lib/http/client.py`, `HTTPResponse`.
 *
 * @module
 */
import { getheader, HTTPMessage } from "../../_util/http_message.ts";
import { isPlainObject, optionalArg } from "../../_util/py_args.ts";
import { IncompleteRead, TimeoutError, URLError } from "../error.ts";
import type { HttpURL, Request } from "./request.ts";

/**
 * Where a response's body bytes come from. `readInto` fills the start of
 * `buf` and resolves to the count, or `null` at the end of the body.
 */
export interface BodySource {
  /** Reads at most `buf.length` bytes into `buf`. */
  readInto(buf: Uint8Array): Promise<number | null>;
  /** Bytes announced (by Content-Length) and not received yet. */
  missing?(): number;
  /**
   * Bytes already read of a chunk whose data never all arrived: Python's
   * `IncompleteRead.partial` leaves them out.
   */
  unfinishedChunk?(): number;
  /**
   * Whether the body met the end it marks itself (a chunked body's last
   * chunk), where http.client lets the connection go at once.
   */
  finished?(): boolean;
  /**
   * Whether the `IncompleteRead` just thrown was a missing or malformed
   * chunk-size line, where http.client lets the connection go: later reads
   * return nothing rather than throw again.
   */
  lostAtSize?(): boolean;
  /** The error reads reject with once the request was aborted, else `null`. */
  abortError?(): Error | null;
  /** Releases the underlying connection or file. */
  close(): void;
}

// Module-private views of a response's state, for HTTPResponse.
const RELEASED = Symbol("released");
const LEFT = Symbol("left");

const LINE_CHUNK = 8192;
const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);
const ALL_CHUNK = 65536;
/**
 * The most `read()` sets aside for a body on the strength of its
 * Content-Length alone, before the bytes arrive (as CPython's `_safe_read`
 * since gh-119451).
 */
const TRUSTED_LENGTH = 1 << 20;

/**
 * The size a full buffer of `have` bytes of a body of `expected` grows to:
 * double, or the whole length once that is at most eight times what came.
 * Memory stays within eight times the bytes received, and a long body that
 * is really sent is copied little (15% of 100 MiB).
 */
function nextSize(have: number, expected: number): number {
  return expected <= 8 * have ? expected : Math.min(expected, 2 * have);
}

/** A copy of `bytes` in a buffer of `size` bytes. */
function grown(bytes: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}

/** A method's arguments resolved, or its TypeError as a rejection. */
function resolved<T, R>(
  parse: () => T,
  run: (value: T) => Promise<R>,
): Promise<R> {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    return Promise.reject(error);
  }
  return run(value);
}

/**
 * Closes the body of a response dropped unread and unclosed, once the
 * garbage collector has taken it: CPython's reference counting closes such
 * a response (an `HTTPError` caught and ignored, a response abandoned after
 * a partial read) at once, and its socket with it. Later here, but the
 * socket is not held for ever.
 */
const dropped = new FinalizationRegistry<BodySource>((source) => {
  try {
    source.close();
  } catch {
    // Closed already.
  }
});

/** Python's `OSError("cannot read from timed out object")`. */
function timedOutObject(): Error {
  const error = new Error("cannot read from timed out object");
  error.name = "OSError";
  return error;
}

/** A body held in memory (bytes given, or that all arrived with the head). */
export class BytesSource implements BodySource {
  #data: Uint8Array;
  #pos = 0;
  constructor(data: Uint8Array) {
    this.#data = data;
  }
  /** Bytes not read yet. */
  get left(): number {
    return this.#data.length - this.#pos;
  }
  readInto(buf: Uint8Array): Promise<number | null> {
    const left = this.#data.length - this.#pos;
    if (left <= 0 || buf.length === 0) {
      return Promise.resolve(left <= 0 ? null : 0);
    }
    const n = Math.min(left, buf.length);
    buf.set(this.#data.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return Promise.resolve(n);
  }
  close(): void {}
}

/**
 * Python's `urllib.response.addinfourl`: a readable body with the URL,
 * headers and status code it came with. `file:` and `data:` URLs resolve
 * to one (their `status` is `null`, as in Python); HTTP(S) resolves to the
 * subclass {@linkcode HTTPResponse}.
 *
 * All reads are async. `read(amt)` resolves to exactly `amt` bytes unless
 * the body ends first (then fewer, then an empty array), as Python's
 * blocking reads do.
 *
 * @example Reading lines of an in-memory body
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { addinfourl } from "@pyport/web/urllib/request";
 * const body = new TextEncoder().encode("one\ntwo\n");
 * await using resp = new addinfourl(body, null, "data:,x");
 * const lines: string[] = [];
 * for await (const line of resp) lines.push(new TextDecoder().decode(line));
 * assert(lines.join("|") === "one\n|two\n");
 * ```
 */
export class addinfourl implements AsyncIterable<Uint8Array<ArrayBuffer>> {
  /** The URL of the resource (after redirects). */
  url: string;
  /** The response headers (empty when the resource has none). */
  headers: HTTPMessage;
  /** The status code, or `null` for non-HTTP URLs. */
  status: number | null;
  /** The reason phrase; `null` for non-HTTP URLs (Python has no attribute there). */
  reason: string | null = null;
  /** Python's `msg` attribute (the reason phrase once urllib has handled the response). */
  msg: string | null = null;
  #source: BodySource;
  #peek: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  /** Where `readline` reads, once it has read (`#peek` may be a view of it). */
  #lineBuffer: Uint8Array<ArrayBuffer> | null = null;
  /** `close()` was called. */
  #closed = false;
  /** Reads called and not yet done (see `#inTurn`). */
  #reading = 0;
  /** The last of them. */
  #lastRead: Promise<unknown> | null = null;
  /** A `code` set apart from `status` (HTTP responses only). */
  #code: number | null | undefined = undefined;
  /**
   * The response let its connection go, as http.client's `isclosed()`
   * tells: at a read that returned nothing, after `read()`, at the end of
   * a length or of a chunked body, on `close()`.
   */
  #released = false;
  /** The source met its end (and its socket is closed). */
  #exhausted = false;
  /**
   * A chunked body was cut short: every later read fails too, as Python's,
   * asking again for what the cut read asked (`expected` of the repeated
   * error: `null` inside a chunk's data, 2 at its CR LF).
   */
  #cutShort: { expected: number | null } | null = null;
  /** A read timed out: the body can no longer be trusted to continue. */
  #timedOut = false;
  /**
   * Whether reads follow Python's buffered file (HTTP bodies and `file:`)
   * rather than `io.BytesIO` (bytes given, as for `data:`): `read(-2)` is
   * an error, and `readlines(hint)` stops once the lines exceed `hint`.
   */
  #fileLike: boolean;

  /** `new addinfourl(fp, headers, url, code?)`: `fp` is bytes or a {@linkcode BodySource}. */
  constructor(
    fp: Uint8Array | BodySource,
    headers: HTTPMessage | null,
    url: string,
    code?: number | null,
  );
  /** Keyword form: `new addinfourl(fp, headers, url, { code })`. */
  constructor(
    fp: Uint8Array | BodySource,
    headers: HTTPMessage | null,
    url: string,
    options: { code?: number | null },
  );
  constructor(
    fp: Uint8Array | BodySource,
    headers: HTTPMessage | null,
    url: string,
    ...args: unknown[]
  ) {
    const code = optionalArg<number | null>("addinfourl", "code", null, args);
    this.#source = fp instanceof Uint8Array ? new BytesSource(fp) : fp;
    this.#fileLike = !(this.#source instanceof BytesSource);
    if (this.#fileLike) dropped.register(this, this.#source, this);
    this.headers = headers ?? new HTTPMessage();
    this.url = url;
    this.status = code;
  }

  /**
   * Python's `code`: the same as `status`, and settable as Python's plain
   * attribute (a response processor may set it; `HTTPErrorProcessor` reads
   * it). Setting it sets `status` too, as `addinfourl.status` follows
   * `code`, except on an HTTP response, where the two are apart as in
   * http.client.
   */
  get code(): number | null {
    return this.#code === undefined ? this.status : this.#code;
  }
  set code(value: number | null) {
    if (this instanceof HTTPResponse) this.#code = value;
    else this.status = value;
  }

  /** Whether `close()` has been called (reading to the end does not close). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the body's source is released: read to the end, or closed. */
  get [RELEASED](): boolean {
    return this.#released;
  }

  /** The body's announced bytes not read yet, `null` without a length. */
  get [LEFT](): number | null {
    const missing = this.#source.missing?.();
    return missing === undefined ? null : this.#peek.length + missing;
  }

  /** Python's `getcode()`. */
  getcode(): number | null {
    return this.status;
  }

  /** Python's `geturl()`: the final URL. */
  geturl(): string {
    return this.url;
  }

  /** Python's `info()`: the headers. */
  info(): HTTPMessage {
    return this.headers;
  }

  /**
   * A closed `file:` or `data:` response is a closed file: reading it is
   * Python's `ValueError`, whose message names the method (`op`) for a
   * `file:` response, as Python's buffered file does (`read of closed
   * file`), and not for `data:` (`io.BytesIO`) or for `readlines` and
   * iteration (`op` null). A closed HTTP response reads as empty, as
   * http.client's does.
   */
  #checkOpen(op: string | null): void {
    if (this.#closed && !(this instanceof HTTPResponse)) {
      throw new TypeError(
        this.#fileLike && op !== null
          ? `${op} of closed file`
          : "I/O operation on closed file.",
      );
    }
  }

  async #fill(buf: Uint8Array): Promise<number | null> {
    // A closed response reads as empty, whatever was left unread (Python).
    if (this.#closed) return null;
    // Bytes already read are not handed out after an abort either.
    const aborted = this.#abortedRead();
    if (aborted !== null) throw aborted;
    if (this.#peek.length > 0) {
      const n = Math.min(buf.length, this.#peek.length);
      buf.set(this.#peek.subarray(0, n));
      this.#peek = this.#peek.subarray(n);
      return n;
    }
    // Python's socket file refuses every read after a timeout, rather than
    // let a retry take what follows the lost bytes, or an end, for the rest.
    if (this.#timedOut) throw timedOutObject();
    if (this.#cutShort) {
      throw new IncompleteRead(EMPTY, this.#cutShort.expected);
    }
    if (this.#released || this.#exhausted) return null;
    let n: number | null;
    try {
      n = await this.#source.readInto(buf);
    } catch (error) {
      // An aborted request (the only URLError a body read throws) keeps
      // rejecting later reads, and so does a chunked body cut short (its
      // source closed its socket); any other failure ends the body, as in
      // Python.
      if (error instanceof TimeoutError) this.#timedOut = true;
      if (error instanceof IncompleteRead) {
        // A chunk-size line that never came whole, or is no size, ends the
        // body for good, as http.client closes the connection there.
        if (this.#source.lostAtSize?.()) this.#release();
        else {
          this.#cutShort ??= {
            expected: error.expected === null
              ? null
              : error.partial.length + error.expected,
          };
        }
      } else if (!(error instanceof URLError)) this.#release();
      throw error;
    }
    if (n === null) {
      // The socket goes now; the response lets go as Python's does: at
      // once at a chunked body's end, else at a read that returns nothing.
      this.#exhausted = true;
      this.#source.close();
      if (this.#source.finished?.()) this.#release();
    }
    return n;
  }

  /**
   * The abort's error once the request's signal has aborted while the body
   * was not all read (a response read to its end ignores a later abort).
   */
  #abortedRead(): Error | null {
    return this.#released ? null : this.#source.abortError?.() ?? null;
  }

  /** A read that asked for bytes and got none lets the connection go. */
  #releaseIfNothing(asked: number, got: number): void {
    if (got === 0 && asked !== 0) this.#release();
  }

  /**
   * Lets the connection go once the caller has had the last byte of a body
   * with a length, as http.client does (not at the next read).
   */
  #releaseIfReadOut(): void {
    if (this.#peek.length === 0 && this.#source.missing?.() === 0) {
      this.#release();
    }
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    dropped.unregister(this);
    this.#source.close();
  }

  /**
   * The error for a read that met `error` after `got` bytes of `data`: an
   * {@linkcode IncompleteRead} from a chunked body becomes Python's, whose
   * `partial` holds the complete chunks this read received and whose
   * `expected` is `None` (http.client's `_read_chunked` makes a new one).
   */
  #failedRead(error: unknown, data: Uint8Array, got: number): unknown {
    if (!(error instanceof IncompleteRead)) return error;
    const unfinished = this.#source.unfinishedChunk?.() ?? 0;
    return new IncompleteRead(
      data.slice(0, got - Math.min(got, unfinished)),
    );
  }

  /**
   * Reads `amt` bytes (fewer only at the end of the body), or the whole
   * rest of the body when `amt` is omitted, `null` or negative.
   * Reading everything from a body cut short throws
   * {@linkcode IncompleteRead}, as Python does (for a chunked body, any
   * read that meets the cut: `partial` holds the complete chunks it got).
   * Once the request's `signal` has aborted, every read rejects with
   * `URLError(signal.reason)`.
   */
  read(amt?: number | null): Promise<Uint8Array<ArrayBuffer>>;
  /** Keyword form: `read({ amt })`. */
  read(options: { amt?: number | null }): Promise<Uint8Array<ArrayBuffer>>;
  read(...args: unknown[]): Promise<Uint8Array<ArrayBuffer>> {
    return resolved(
      () => optionalArg<number | null>("read", "amt", null, args),
      (amt) => this.#inTurn(() => this.#read(amt)),
    );
  }

  /**
   * Python's `read1(n)`: up to `n` bytes with at most one read from the
   * connection (what is already buffered first), so it returns as soon as
   * some bytes are there; an empty array only at the end of the body. `n`
   * omitted or negative: up to 8192 bytes (for bytes given, as `data:`
   * URLs are, the rest).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { addinfourl } from "@pyport/web/urllib/request";
   * const resp = new addinfourl(new TextEncoder().encode("abc"), null, "data:,abc");
   * equal(new TextDecoder().decode(await resp.read1(2)), "ab");
   * equal(new TextDecoder().decode(await resp.read1({ n: 5 })), "c");
   * equal((await resp.read1()).length, 0);
   * ```
   */
  read1(n?: number | null): Promise<Uint8Array<ArrayBuffer>>;
  /** Keyword form: `read1({ n })`. */
  read1(options: { n?: number | null }): Promise<Uint8Array<ArrayBuffer>>;
  read1(...args: unknown[]): Promise<Uint8Array<ArrayBuffer>> {
    return resolved(
      () => optionalArg<number | null>("read1", "n", -1, args),
      (n) => this.#inTurn(() => this.#read1(n ?? -1)),
    );
  }

  async #read1(n: number): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkOpen("read1");
    // Bytes given read as io.BytesIO's read1: all the rest.
    if (n < 0 && !this.#fileLike) return await this.#readUpTo(Infinity);
    const asked = n;
    if (n < 0) n = LINE_CHUNK;
    const left = this.#source.missing?.();
    if (left !== undefined) n = Math.min(n, this.#peek.length + left);
    let data: Uint8Array<ArrayBuffer>;
    if (this.#peek.length > 0 || n === 0) {
      data = this.#peek.slice(0, n);
      this.#peek = this.#peek.subarray(data.length);
    } else {
      const buffer = new Uint8Array(Math.min(n, ALL_CHUNK));
      let got: number | null;
      try {
        got = await this.#fill(buffer);
      } catch (error) {
        // http.client's read1 lets the chunk reader's IncompleteRead through
        // as it is: at a chunk's CR LF, `partial` is what came of it and
        // `expected` what is missing.
        if (error instanceof IncompleteRead) throw error;
        throw this.#failedRead(error, buffer, 0);
      }
      data = got === null ? EMPTY : buffer.subarray(0, got);
    }
    this.#releaseIfReadOut();
    this.#releaseIfNothing(asked, data.length);
    return data;
  }

  /**
   * Python's `peek(n)`: the bytes buffered ahead of the next read, reading
   * once from the connection when there are none, without consuming them
   * (`n` is a hint, as in Python: at least one byte unless at the end,
   * perhaps more). A closed HTTP response peeks empty.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { addinfourl } from "@pyport/web/urllib/request";
   * const resp = new addinfourl(new TextEncoder().encode("abc"), null, "data:,abc");
   * equal(new TextDecoder().decode(await resp.peek()), "abc");
   * equal(new TextDecoder().decode(await resp.read()), "abc");
   * ```
   */
  peek(n?: number): Promise<Uint8Array<ArrayBuffer>>;
  /** Keyword form: `peek({ n })`. */
  peek(options: { n?: number }): Promise<Uint8Array<ArrayBuffer>>;
  peek(...args: unknown[]): Promise<Uint8Array<ArrayBuffer>> {
    return resolved(
      () => optionalArg<number>("peek", "n", -1, args),
      () => this.#inTurn(() => this.#peekAhead()),
    );
  }

  async #peekAhead(): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkOpen("peek");
    if (this.#peek.length === 0) {
      const into = this.#lineBuffer ??= new Uint8Array(LINE_CHUNK);
      let got: number | null;
      try {
        got = await this.#fill(into);
      } catch (error) {
        throw this.#failedRead(error, into, 0);
      }
      if (got === null) return EMPTY;
      this.#peek = into.subarray(0, got);
    }
    return this.#peek.slice();
  }

  async #read(amt: number | null): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkOpen("read");
    if (amt !== null && amt < -1 && this.#fileLike) {
      throw new RangeError("read length must be non-negative or -1");
    }
    if (amt === null) return await this.#readAll();
    // read(-1) reads to the end of the body; a Content-Length cut short
    // is not an error here (only read() compares the two).
    const asked = amt;
    if (amt < 0) amt = Infinity;
    // No more than the body's announced rest: Python clips read(n), though
    // CPython 3.13.0's read(-1) reads on past it (not copied, see README).
    const left = this.#source.missing?.();
    if (left !== undefined) amt = Math.min(amt, this.#peek.length + left);
    const data = await this.#readUpTo(amt);
    this.#releaseIfNothing(asked, data.length);
    return data;
  }

  async #readAll(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#closed) return new Uint8Array(0);
    // Once the connection is let go (a body cut short and reported, or a
    // read that returned nothing), the rest reads as empty, as in Python.
    const ended = this.#released;
    const data = await this.#readUpTo(Infinity);
    const missing = this.#source.missing?.() ?? 0;
    // Python lets the connection go after read(), whole or cut short.
    this.#release();
    if (missing > 0 && !ended) throw new IncompleteRead(data, missing);
    return data;
  }

  /**
   * Up to `limit` bytes (to the end of the body for `Infinity`), read
   * straight into one buffer grown as they come (doubling, or to the
   * announced length once that is near), so a read that brings a few bytes
   * (a small chunk of a streamed body, a segment of a slow one) costs no
   * buffer of its own: one each held 64 KiB a piece (a 1.9 MB body of
   * 93-byte chunks took 1 GB). Neither a server's Content-Length nor the
   * size asked for is memory: at most TRUSTED_LENGTH is set aside before
   * the bytes arrive.
   */
  async #readUpTo(limit: number): Promise<Uint8Array<ArrayBuffer>> {
    const announced = this.#source.missing?.();
    const expected = Math.min(
      limit,
      announced === undefined ? Infinity : this.#peek.length + announced,
    );
    const first = announced === undefined && limit === Infinity
      ? ALL_CHUNK
      : TRUSTED_LENGTH;
    let buffer = new Uint8Array(Math.min(expected, first));
    let total = 0;
    try {
      while (total < limit) {
        if (total === buffer.length && total < expected) {
          buffer = grown(buffer, nextSize(total, expected));
        }
        // At the announced length this reads nothing and meets the end.
        const n = await this.#fill(buffer.subarray(total));
        if (n === null) break;
        total += n;
      }
    } catch (error) {
      throw this.#failedRead(error, buffer, total);
    }
    // A read that ends at the body's end lets it go, one of nothing at the
    // end (a length of 0, a 204) too.
    this.#releaseIfReadOut();
    return total === buffer.length ? buffer : buffer.slice(0, total);
  }

  /** Reads into `b`, resolving to the count (0 at the end), as Python's `readinto`. */
  readinto(b: Uint8Array): Promise<number> {
    return this.#inTurn(() => this.#readinto(b));
  }

  async #readinto(b: Uint8Array): Promise<number> {
    this.#checkOpen("readinto");
    let filled = 0;
    try {
      while (filled < b.length) {
        const n = await this.#fill(b.subarray(filled));
        if (n === null) break;
        filled += n;
      }
    } catch (error) {
      throw this.#failedRead(error, b, filled);
    }
    this.#releaseIfReadOut();
    this.#releaseIfNothing(b.length, filled);
    return filled;
  }

  /** Reads one line, `\n` included; at most `limit` bytes when given. */
  readline(limit?: number | null): Promise<Uint8Array<ArrayBuffer>>;
  /** Keyword form: `readline({ limit })`. */
  readline(
    options: { limit?: number | null },
  ): Promise<Uint8Array<ArrayBuffer>>;
  readline(...args: unknown[]): Promise<Uint8Array<ArrayBuffer>> {
    let limit: number | null;
    try {
      limit = optionalArg<number | null>("readline", "limit", null, args);
    } catch (error) {
      return Promise.reject(error);
    }
    // The common case, a whole line already read and no read under way:
    // one copy, no promise of its own.
    if (
      this.#reading === 0 && (limit === null || limit < 0) &&
      this.#abortedRead() === null
    ) {
      const line = this.#bufferedLine();
      if (line !== null) return Promise.resolve(line);
    }
    return this.#inTurn(() => this.#readline(limit));
  }

  /** A whole line from what was read already, or `null`. */
  #bufferedLine(): Uint8Array<ArrayBuffer> | null {
    const peek = this.#peek;
    const nl = this.#closed ? -1 : peek.indexOf(10);
    if (nl < 0) return null;
    const line = peek.slice(0, nl + 1);
    this.#peek = peek.subarray(nl + 1);
    this.#releaseIfReadOut();
    return line;
  }

  async #readline(
    limit: number | null = null,
    op: string | null = "readline",
  ): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkOpen(op);
    const aborted = this.#abortedRead();
    if (aborted !== null) throw aborted;
    const max = limit === null || limit < 0 ? Infinity : limit;
    if (max === Infinity) {
      const line = this.#bufferedLine();
      if (line !== null) return line;
    }
    // The line grows in one buffer, and reads go into one buffer kept for
    // them: a line that arrives a few bytes at a time costs neither a
    // buffer nor a copy per piece.
    let line: Uint8Array<ArrayBuffer> = EMPTY;
    let total = 0;
    while (total < max && !this.#closed) {
      if (this.#peek.length === 0) {
        const into = this.#lineBuffer ??= new Uint8Array(LINE_CHUNK);
        let n: number | null;
        try {
          n = await this.#fill(into);
        } catch (error) {
          throw this.#failedRead(error, line, total);
        }
        if (n === null) break;
        this.#peek = into.subarray(0, n);
        continue;
      }
      const room = Math.min(this.#peek.length, max - total);
      const nl = this.#peek.subarray(0, room).indexOf(10);
      const take = nl < 0 ? room : nl + 1;
      if (total + take > line.length) {
        line = grown(
          line.subarray(0, total),
          Math.max(total + take, Math.min(2 * line.length, max)),
        );
      }
      line.set(this.#peek.subarray(0, take), total);
      this.#peek = this.#peek.subarray(take);
      total += take;
      this.#releaseIfReadOut();
      if (nl >= 0) break;
    }
    this.#releaseIfNothing(max, total);
    return total === line.length ? line : line.slice(0, total);
  }

  /**
   * Reads the remaining lines; with `hint`, stops once the lines exceed
   * `hint` bytes (for bytes given rather than a stream, once they reach it,
   * as Python's `BytesIO`).
   */
  readlines(hint?: number | null): Promise<Uint8Array<ArrayBuffer>[]>;
  readlines(...args: unknown[]): Promise<Uint8Array<ArrayBuffer>[]> {
    return resolved(
      () => {
        // Python's is positional only (io's readlines(hint, /)).
        if (args.some(isPlainObject)) {
          throw new TypeError("readlines() takes no keyword arguments");
        }
        return optionalArg<number | null>("readlines", "hint", null, args);
      },
      (hint) => this.#inTurn(() => this.#readlines(hint)),
    );
  }

  async #readlines(hint: number | null): Promise<Uint8Array<ArrayBuffer>[]> {
    const lines: Uint8Array<ArrayBuffer>[] = [];
    const limit = hint !== null && hint > 0
      ? (this.#fileLike ? hint + 1 : hint)
      : Infinity;
    let total = 0;
    while (total < limit) {
      const line = await this.#readline(null, null);
      if (line.length === 0) break;
      lines.push(line);
      total += line.length;
    }
    return lines;
  }

  /** `for await (const line of resp)`: the body's lines, as iterating in Python. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array<ArrayBuffer>> {
    // A plain iterator, not an async generator, whose machinery cost more
    // than a short line; its next() calls take turns as all reads do.
    const lines: AsyncIterableIterator<Uint8Array<ArrayBuffer>> = {
      next: () =>
        (this.#closed
          ? this.#inTurn(() => this.#readline(null, null))
          : this.readline()).then((
            line,
          ): IteratorResult<Uint8Array<ArrayBuffer>> =>
            line.length === 0
              ? { value: undefined, done: true }
              : { value: line, done: false }
          ),
      [Symbol.asyncIterator]: () => lines,
    };
    return lines;
  }

  /**
   * Runs read `op` once the reads called before it are done, as Python's
   * buffered reader lets one thread read at a time: reads called at once
   * (a `Promise.all`, or a read its caller stopped waiting for) each get
   * their own bytes, whole, in call order. Two at once had lost bytes.
   */
  #inTurn<T>(op: () => Promise<T>): Promise<T> {
    const settled = (value: T): T => {
      this.#reading--;
      return value;
    };
    const failed = (error: unknown): never => {
      this.#reading--;
      throw error;
    };
    const start = () => op().then(settled, failed);
    const last = this.#lastRead;
    const turn = ++this.#reading === 1 || last === null
      ? start()
      : last.then(start, start);
    this.#lastRead = turn;
    return turn;
  }

  /** Releases the connection; later reads return empty arrays. */
  close(): void {
    this.#closed = true;
    this.#peek = new Uint8Array(0);
    this.#release();
  }

  /** `await using resp = await urlopen(...)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * Python's `http.client.HTTPResponse` as urllib returns it: an
 * {@linkcode addinfourl} whose `status` and `reason` are the server's, with
 * `version` (10 or 11) and Python's `getheader` / `getheaders`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPResponse } from "@pyport/web/urllib/request";
 * const resp = new HTTPResponse(new Uint8Array(0), null, "http://h/", 204, "No Content", 11);
 * assert(resp.status === 204 && resp.reason === "No Content");
 * ```
 */
export class HTTPResponse extends addinfourl {
  /** The status code the server sent. */
  declare status: number;
  /** The reason phrase the server sent, unchanged. */
  declare reason: string;
  /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
  version: number;
  /** Python's debugging hook: the handler's debug level (`HTTPHandler(1)`). */
  debuglevel: number;

  /** Creates a response; used by the HTTP handlers. */
  constructor(
    fp: Uint8Array | BodySource,
    headers: HTTPMessage | null,
    url: string,
    status: number,
    reason: string,
    version = 11,
    debuglevel = 0,
  ) {
    super(fp, headers, url, status);
    this.reason = reason;
    this.msg = reason;
    this.version = version;
    this.debuglevel = debuglevel;
  }

  /**
   * Python's `isclosed()`: whether the connection is released, once the
   * body is read to the end or the response closed.
   */
  isclosed(): boolean {
    return this[RELEASED];
  }

  /**
   * Python's `length`: the bytes of the body not read yet, by its
   * `Content-Length`; `null` for a chunked body or one that ends with the
   * connection.
   */
  get length(): number | null {
    return this[LEFT];
  }

  /**
   * Python's `chunked`: whether the body is framed in chunks, by the
   * response's `Transfer-Encoding: chunked` (as http.client decides it, so
   * also for a `HEAD`, 204 or 304 response that has no body).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { HTTPMessage, HTTPResponse } from "@pyport/web/urllib/request";
   * const headers = new HTTPMessage([["Transfer-Encoding", "chunked"]]);
   * const resp = new HTTPResponse(new Uint8Array(0), headers, "http://h/", 204, "No Content");
   * equal(resp.chunked, true);
   * equal(new HTTPResponse(new Uint8Array(0), null, "http://h/", 200, "OK").chunked, false);
   * ```
   */
  get chunked(): boolean {
    const te = this.headers?.get("transfer-encoding") ?? null;
    return te !== null && te.toLowerCase() === "chunked";
  }

  /**
   * Python's `getheader(name, default)`: values of `name` joined with ", ";
   * a default that is a list (any iterable but a string) is joined so too.
   */
  getheader(
    name: string,
    default_?: string | Iterable<string> | null,
  ): string | null;
  /** Keyword form: `getheader(name, { default })`. */
  getheader(
    name: string,
    options: { default?: string | Iterable<string> | null },
  ): string | null;
  /** Any other default comes back as it is, as in Python (`getheader(name, 42)`). */
  getheader<T>(name: string, default_: T): string | T;
  getheader(name: string, ...args: unknown[]): unknown {
    const fallback = optionalArg<unknown>("getheader", "default", null, args);
    return getheader(this.headers, name, fallback);
  }

  /** Python's `getheaders()`: every header as a `[name, value]` pair. */
  getheaders(): [string, string][] {
    return this.headers?.items() ?? [];
  }
}

/**
 * What opening `U` resolves to with the default HTTP handlers: an
 * {@linkcode HTTPResponse} for a URL typed as {@linkcode HttpURL} or a
 * {@linkcode Request} made with one, an {@linkcode addinfourl} for anything
 * else (a `string` may name any scheme, and `file:` or `data:` URLs give an
 * `addinfourl`, as in Python). Narrow a response of the latter type with
 * `instanceof HTTPResponse` before calling `getheader`, or read `headers`,
 * which every response has.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPResponse, type ResponseFor, urlopen } from "@pyport/web/urllib/request";
 * const url: string = "data:,hi";
 * await using resp: ResponseFor<string> = await urlopen(url);
 * assert(!(resp instanceof HTTPResponse) && resp.headers.get("Content-type") !== null);
 * ```
 */
export type ResponseFor<U> = U extends HttpURL | Request<HttpURL> ? HTTPResponse
  : addinfourl;

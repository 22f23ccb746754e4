/**
 * The connection a stream server hands its handler as `request`: a
 * `Deno.Conn` that also answers Python's socket calls (`recv`, `send`,
 * `sendall`, `getpeername`, `settimeout` ...), so that a tutorial's
 * `BaseRequestHandler` reads `await this.request.recv(1024)`.
 *
 * Follows CPython 3.13 `Lib/socket.py` and `Modules/socketmodule.c`, the methods of a connected stream socket.
 *
 * @module
 */

import { asBytes, type BytesLike } from "../_util/bytes_like.ts";
import { typeName } from "../_util/py_type_name.ts";
import { sendQueued, withTimeout } from "./_socket_io.ts";
import type { Address } from "./base_server.ts";

const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);

/** `StreamSocket`'s method that links files to its timeout (internal). */
const SHARE_TIMEOUT: unique symbol = Symbol("shareTimeout");

/** A read that outlived a timeout: the next read takes its bytes. */
interface PendingRead {
  readonly buffer: Uint8Array<ArrayBuffer>;
  readonly done: Promise<number | null>;
}

/** `[host, port]` of a TCP address, the path of a Unix one (`""` when unnamed, as Python). */
export function addressOf(addr: Deno.Addr): Address {
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return [addr.hostname, addr.port];
  }
  return "path" in addr ? (addr.path ?? "") : "";
}

/** Python's checks of `method`'s buffer size, with its messages. */
function checkSize(size: number, method: string): void {
  if (!Number.isInteger(size)) {
    throw new TypeError(
      `'${typeName(size)}' object cannot be interpreted as an integer`,
    );
  }
  if (size < 0) throw new RangeError(`negative buffersize in ${method}`);
}

/**
 * Python's `socket.socket` for an accepted connection (TCP, TLS or Unix),
 * as `TCPServer` gives it to a handler: `this.request` (and, in a
 * `StreamRequestHandler`, `this.connection`). Its I/O is async: `recv`,
 * `recv_into`, `send` and `sendall` return promises. It is also the
 * `Deno.Conn` it wraps (`read`, `write`, `remoteAddr` ...), and the two
 * kinds of call may be mixed. A handler's `wfile` queues its writes until
 * the handler yields; `send` and `sendall` send what it queued first, so
 * bytes leave in the order they were written.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import {
 *   BaseRequestHandler,
 *   type StreamSocket,
 *   TCPServer,
 * } from "@pyport/web/socketserver";
 * class Upper extends BaseRequestHandler<StreamSocket> {
 *   override async handle(): Promise<void> {
 *     const data = await this.request.recv(1024);
 *     await this.request.sendall(
 *       new TextEncoder().encode(new TextDecoder().decode(data).toUpperCase()),
 *     );
 *   }
 * }
 * await using server = new TCPServer(["127.0.0.1", 0], Upper);
 * const served = server.handle_request();
 * const [, port] = server.server_address;
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port });
 * await conn.write(new TextEncoder().encode("hello"));
 * const reply = new Uint8Array(16);
 * const n = await conn.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "HELLO");
 * conn.close();
 * await served;
 * ```
 */
export class StreamSocket implements Deno.Conn {
  readonly #conn: Deno.Conn;
  #timeout: number | null = null;
  /** `rfile` and `wfile`, whose timeout is this socket's (see `settimeout`). */
  #files: { timeout: number | null }[] = [];
  #pending: PendingRead | null = null;
  /** Bytes a late read brought beyond what the call waiting for it asked. */
  #leftover: Uint8Array<ArrayBuffer> = EMPTY;

  /** Wraps an accepted connection. */
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  // ---- Python's socket methods ------------------------------------------

  /**
   * Receives up to `bufsize` bytes: what has arrived, waiting for at least
   * one byte; empty once the peer has closed its side.
   *
   * @throws {Deno.errors.TimedOut} After `settimeout(s)` seconds with
   * nothing received (Python's `TimeoutError`); the bytes that arrive later
   * are not lost, the next `recv` returns them.
   */
  async recv(bufsize: number): Promise<Uint8Array<ArrayBuffer>> {
    checkSize(bufsize, "recv");
    if (bufsize === 0) return new Uint8Array(0);
    const got = await this.#receive(bufsize, "recv");
    // A few bytes of a large buffer are copied out, not kept with it.
    return got.length * 2 < got.buffer.byteLength ? got.slice() : got;
  }

  /**
   * Receives up to `nbytes` bytes (0: as many as `buffer` holds) into
   * `buffer`; resolves with the count, 0 once the peer has closed its side.
   */
  async recv_into(buffer: Uint8Array, nbytes = 0): Promise<number> {
    checkSize(nbytes, "recv_into");
    if (nbytes > buffer.length) {
      throw new RangeError("buffer too small for requested bytes");
    }
    return await this.#copyInto(
      nbytes === 0 ? buffer : buffer.subarray(0, nbytes),
      "recv_into",
    );
  }

  /** Sends some of `data` (one write); resolves with how many bytes it took. */
  async send(data: BytesLike): Promise<number> {
    const bytes = asBytes(data);
    await this.#sendQueued();
    if (bytes.length === 0) return 0;
    return await withTimeout(this.#conn.write(bytes), this.#timeout, "send");
  }

  /** Sends all of `data`, in as many writes as it takes. */
  async sendall(data: BytesLike): Promise<void> {
    const bytes = asBytes(data);
    await this.#sendQueued();
    for (let sent = 0; sent < bytes.length;) {
      sent += await withTimeout(
        this.#conn.write(bytes.subarray(sent)),
        this.#timeout,
        "sendall",
      );
    }
  }

  /**
   * Seconds that `recv` and `send` may wait (`null`: for ever, the
   * default); as in Python, also each read of a handler's `rfile` and each
   * write of its `wfile`, which are made on this socket.
   */
  settimeout(value: number | null): void {
    if (value !== null && !(value >= 0)) {
      throw new RangeError("Timeout value out of range");
    }
    this.#timeout = value;
    for (const file of this.#files) file.timeout = value;
  }

  /**
   * Makes `files` (a handler's `rfile` and `wfile`) share this socket's
   * timeout from now on, as Python's `makefile` objects share theirs.
   */
  [SHARE_TIMEOUT](...files: { timeout: number | null }[]): void {
    for (const file of files) {
      file.timeout = this.#timeout;
      this.#files.push(file);
    }
  }

  /** The timeout `settimeout` set, `null` for none. */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /** The peer's address: `[host, port]`, or a Unix socket's path. */
  getpeername(): Address {
    return addressOf(this.#conn.remoteAddr);
  }

  /** This end's address: `[host, port]`, or a Unix socket's path. */
  getsockname(): Address {
    return addressOf(this.#conn.localAddr);
  }

  // ---- Deno.Conn ----------------------------------------------------------

  /** Reads into `p`, as `Deno.Conn.read` (`null` at the end of the stream). */
  read(p: Uint8Array): Promise<number | null> {
    if (this.#pending === null && this.#leftover.length === 0) {
      return this.#conn.read(p);
    }
    if (p.length === 0) return Promise.resolve(0);
    return this.#copyInto(p, "read").then((n) => n === 0 ? null : n);
  }

  /** Writes some of `p`, as `Deno.Conn.write`. */
  write(p: Uint8Array): Promise<number> {
    return this.#conn.write(p);
  }

  /** Closes the connection. */
  close(): void {
    this.#conn.close();
  }

  /**
   * Half-closes, Python's `shutdown(SHUT_WR)`: what `wfile` has queued is
   * sent first, then the peer sees the end of the stream; reading goes on.
   */
  async closeWrite(): Promise<void> {
    await this.#sendQueued();
    await this.#conn.closeWrite();
  }

  /** Turns Nagle's algorithm off or on (TCP only; a no-op otherwise). */
  setNoDelay(noDelay = true): void {
    (this.#conn as Partial<Deno.TcpConn>).setNoDelay?.(noDelay);
  }

  /** Turns TCP keep-alive probes on or off (TCP only; a no-op otherwise). */
  setKeepAlive(keepAlive = true): void {
    (this.#conn as Partial<Deno.TcpConn>).setKeepAlive?.(keepAlive);
  }

  /** This end's address, as Deno gives it. */
  get localAddr(): Deno.Addr {
    return this.#conn.localAddr;
  }

  /** The peer's address, as Deno gives it. */
  get remoteAddr(): Deno.Addr {
    return this.#conn.remoteAddr;
  }

  /** The connection's readable stream. */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.#conn.readable;
  }

  /** The connection's writable stream. */
  get writable(): WritableStream<Uint8Array<ArrayBufferLike>> {
    return this.#conn.writable;
  }

  /** Lets the connection keep the process alive (the default). */
  ref(): void {
    this.#conn.ref();
  }

  /** Lets the process exit while the connection is open. */
  unref(): void {
    this.#conn.unref();
  }

  /** Closes the connection (`using`). */
  [Symbol.dispose](): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  // ---- internals ----------------------------------------------------------

  /** What a handler's `wfile` still queues leaves before a direct send. */
  async #sendQueued(): Promise<void> {
    const sending = sendQueued(this);
    if (sending) await sending;
  }

  /**
   * Up to `size` bytes (`size` > 0): those left over first, then those of a
   * read that outlived a timeout, else of a new read; empty at the end of
   * the stream. The bytes are a view of a buffer no one else holds.
   */
  async #receive(size: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
    while (this.#leftover.length === 0) {
      const pending = this.#pending ?? this.#startRead(size);
      const n = await withTimeout(pending.done, this.#timeout, what);
      // Calls made at once wait on the same read: the first to wake takes
      // its bytes in, the others take what is left, or read again.
      if (this.#pending !== pending) continue;
      this.#pending = null;
      if (n === null) return EMPTY;
      this.#leftover = pending.buffer.subarray(0, n);
    }
    const got = this.#leftover.subarray(0, size);
    this.#leftover = this.#leftover.subarray(got.length);
    return got;
  }

  async #copyInto(target: Uint8Array, what: string): Promise<number> {
    if (target.length === 0) return 0;
    const got = await this.#receive(target.length, what);
    target.set(got);
    return got.length;
  }

  #startRead(size: number): PendingRead {
    const buffer = new Uint8Array(size);
    return this.#pending = { buffer, done: this.#conn.read(buffer) };
  }
}

/**
 * Gives `connection` and the handler's files one timeout, as Python's
 * `setup()` sets it on the socket its files are made on: `timeout` (when
 * not `null`) now, and a later `request.settimeout()` for all three.
 */
export function shareTimeout(
  connection: unknown,
  timeout: number | null,
  ...files: { timeout: number | null }[]
): void {
  if (connection instanceof StreamSocket) {
    if (timeout !== null) connection.settimeout(timeout);
    connection[SHARE_TIMEOUT](...files);
  } else {
    for (const file of files) file.timeout = timeout;
  }
}

/**
 * `DatagramRequestHandler`: `rfile` and `wfile` for a datagram server's
 * handler, so that it reads and writes as a stream handler does.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `DatagramRequestHandler`.
 *
 * @module
 */
import { SocketReader, type StreamConnection } from "./_socket_io.ts";
import type { DatagramSocket } from "./_datagram_socket.ts";
import { BaseRequestHandler } from "./request_handler.ts";
import type { DatagramRequest } from "./udp_server.ts";
import { asBytes, type BytesLike } from "../_util/bytes_like.ts";

const encoder = new TextEncoder();
const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);

/**
 * The datagram's `rfile`: Python's `BytesIO`, whose `readlines(hint)` stops
 * once the lines reach `hint` bytes (a socket file's goes past it).
 */
class PacketReader extends SocketReader {
  protected override enoughLines(total: number, hint: number): boolean {
    return total >= hint;
  }

  /** As `BytesIO.read`: any negative size, or None, reads it all. */
  override read(size: number | null = -1): Promise<Uint8Array<ArrayBuffer>> {
    return super.read(wholeIfNegative(size));
  }

  /** As `BytesIO.read1`, which takes None and any negative size too. */
  override read1(size: number | null = -1): Promise<Uint8Array<ArrayBuffer>> {
    return super.read1(wholeIfNegative(size));
  }
}

/** A `BytesIO` size: None and every negative number stand for "all". */
function wholeIfNegative(size: number | null): number {
  return size === null || size < 0 ? -1 : size;
}

/** A connection that yields `packet` once, then ends: what `rfile` reads. */
function packetConnection(packet: Uint8Array): StreamConnection {
  let rest = packet;
  return {
    read(p: Uint8Array): Promise<number | null> {
      if (rest.length === 0) return Promise.resolve(null);
      const count = Math.min(p.length, rest.length);
      p.set(rest.subarray(0, count));
      rest = rest.subarray(count);
      return Promise.resolve(count);
    },
    write(): Promise<number> {
      return Promise.reject(new TypeError("rfile is not writable"));
    },
    close(): void {},
  };
}

/**
 * The `wfile` of a {@linkcode DatagramRequestHandler} (Python: a
 * `BytesIO`): collects what the handler writes, sent as one datagram when
 * the handler finishes.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { PacketWriter } from "@pyport/web/socketserver";
 * const wfile = new PacketWriter();
 * equal(wfile.write("[Mon] "), 6);
 * wfile.write(new TextEncoder().encode("hi"));
 * equal(new TextDecoder().decode(wfile.getvalue()), "[Mon] hi");
 * ```
 */
export class PacketWriter {
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  #size = 0;
  #closed = false;

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds `data` (bytes, or text as UTF-8) to the reply; returns its length
   * in bytes.
   *
   * @throws {TypeError} After `close()`.
   */
  write(data: BytesLike | string): number {
    if (this.#closed) throw new TypeError("I/O operation on closed file.");
    const bytes = typeof data === "string"
      ? encoder.encode(data)
      : asBytes(data);
    if (bytes.length > 0) {
      this.#chunks.push(bytes.slice());
      this.#size += bytes.length;
    }
    return bytes.length;
  }

  /** Writes each of `lines` in turn, as Python's `writelines`. */
  writelines(lines: Iterable<BytesLike | string>): void {
    for (const line of lines) this.write(line);
  }

  /** Does nothing (the reply leaves when the handler finishes); for code written for `wfile` of a stream. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Everything written so far, as one array.
   *
   * @throws {TypeError} After `close()`, as Python's `BytesIO`: a handler
   * that closed `wfile` sends no reply (`finish()` fails, and
   * `handle_error` reports it).
   */
  getvalue(): Uint8Array<ArrayBuffer> {
    if (this.#closed) throw new TypeError("I/O operation on closed file.");
    if (this.#chunks.length === 0) return EMPTY;
    if (this.#chunks.length > 1) {
      const joined = new Uint8Array(this.#size);
      let offset = 0;
      for (const chunk of this.#chunks) {
        joined.set(chunk, offset);
        offset += chunk.length;
      }
      this.#chunks = [joined];
    }
    return this.#chunks[0] as Uint8Array<ArrayBuffer>;
  }

  /** Stops writing. */
  close(): void {
    this.#closed = true;
  }
}

/**
 * Python's `socketserver.DatagramRequestHandler`: `setup()` splits the
 * request into `packet` and `socket` and wraps them in `rfile` (reads the
 * datagram: `read`, `readline`, `readlines`, `readinto`, iteration, as a
 * stream handler's `rfile`) and `wfile` (collects the reply); `finish()`
 * sends what `wfile` holds to `client_address` with `socket.sendto` — an
 * empty datagram when nothing was written, as Python does.
 *
 * @example A line-echo handler that works for both kinds of server
 * ```ts
 * import { equal } from "node:assert/strict";
 * import dgram from "node:dgram";
 * import { DatagramRequestHandler, UDPServer } from "@pyport/web/socketserver";
 * class Echo extends DatagramRequestHandler {
 *   override async handle(): Promise<void> {
 *     this.wfile.write(await this.rfile.readline());
 *   }
 * }
 * await using server = new UDPServer(["127.0.0.1", 0], Echo);
 * const [host, port] = server.server_address;
 * const client = dgram.createSocket("udp4");
 * const reply = new Promise<string>((resolve) =>
 *   client.once("message", (msg) => resolve(String(msg)))
 * );
 * client.send("one\ntwo\n", port, host);
 * await server.handle_request();
 * equal(await reply, "one\n");
 * client.close();
 * ```
 */
export class DatagramRequestHandler
  extends BaseRequestHandler<DatagramRequest> {
  /** The datagram received (set by `setup()`). */
  declare packet: Uint8Array<ArrayBuffer>;
  /** The server's socket, to answer on (set by `setup()`). */
  declare socket: DatagramSocket;
  /** Reads the datagram (set by `setup()`). */
  declare rfile: SocketReader;
  /** Collects the reply (set by `setup()`). */
  declare wfile: PacketWriter;

  /** Unpacks the request and makes `rfile` and `wfile`. */
  override setup(): void {
    const [packet, socket] = this.request;
    this.packet = packet;
    this.socket = socket;
    this.rfile = new PacketReader(
      packetConnection(packet),
      Math.max(packet.length, 1),
    );
    this.wfile = new PacketWriter();
  }

  /** Sends the reply collected in `wfile` to `client_address`. */
  override async finish(): Promise<void> {
    await this.socket.sendto(this.wfile.getvalue(), this.client_address);
  }
}

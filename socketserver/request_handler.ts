/**
 * Request handlers: `BaseRequestHandler` (`setup`, `handle`, `finish`) and
 * `StreamRequestHandler`, which gives a connection's handler `rfile` and
 * `wfile`.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `BaseRequestHandler` and
 * `StreamRequestHandler`.
 *
 * @module
 */
import {
  adoptClassFields,
  classAttributes,
} from "../_util/class_attributes.ts";
import {
  SocketReader,
  SocketWriter,
  type StreamConnection,
} from "./_socket_io.ts";
import type { Address, BaseServer } from "./base_server.ts";
import { shareTimeout, type StreamSocket } from "./stream_socket.ts";

export { SocketReader, SocketWriter, type StreamConnection };

/**
 * Python's `socketserver.BaseRequestHandler`: one instance per request (per
 * connection for stream servers). The server constructs it with `request`,
 * `client_address` and `server`, then calls `setup()`, `handle()` and
 * `finish()` — each may be `async`. Override `handle()`.
 *
 * `request` is typed as the `StreamSocket` a stream server hands over,
 * unless a type argument says otherwise (`BaseRequestHandler<DatagramRequest>`
 * for a datagram server's `[data, socket]`), so the docs' TCP handler that
 * calls `this.request.recv(1024)` needs none.
 *
 * Unlike Python, the constructor itself does not handle the request (so
 * that subclass fields are set when `handle()` runs); the server runs the
 * three methods right after constructing it.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { BaseRequestHandler } from "@pyport/web/socketserver";
 * class Greeter extends BaseRequestHandler<string> {
 *   reply = "";
 *   override handle(): void {
 *     this.reply = `hello ${this.request}`;
 *   }
 * }
 * const handler = new Greeter("world", ["127.0.0.1", 1], null!);
 * handler.handle();
 * equal(handler.reply, "hello world");
 * ```
 */
export class BaseRequestHandler<R = StreamSocket> {
  /** The request: a connection for stream servers, `[data, socket]` for datagram ones. */
  request: R;
  /** The client's address. */
  client_address: Address;
  /** The server handling the request. */
  server: BaseServer<R>;

  /** Records the request; the server runs the handler afterwards. */
  constructor(request: R, client_address: Address, server: BaseServer<R>) {
    adoptClassFields(new.target);
    this.request = request;
    this.client_address = client_address;
    this.server = server;
  }

  /** Called before `handle()`; a hook (no-op). */
  setup(): void | Promise<void> {}

  /** Handles the request; override it (no-op here). */
  handle(): void | Promise<void> {}

  /** Called after `handle()`, even when it threw; a hook (no-op). */
  finish(): void | Promise<void> {}
}

/**
 * Python's `socketserver.StreamRequestHandler`: `setup()` wraps the
 * connection in `rfile` (buffered reads: `read`, `readline`, `readlines`,
 * `readinto`, `for await (const line of this.rfile)`) and `wfile` (`write`,
 * `flush`), and `finish()` sends what is left and closes both.
 *
 * `request` (and `connection`, the same object) is the
 * {@linkcode StreamSocket} a stream server hands every handler, so Python's
 * calls on it type-check as written (`await this.request.sendall(data)`);
 * `R` is the connection's type for a handler run on a connection of your
 * own (`StreamRequestHandler<StreamConnection>`). Type a parameter that
 * takes handler classes as `StreamHandlerClass`: a subclass is not a
 * `typeof StreamRequestHandler`, whose `R` is left open.
 *
 * Class attributes as in Python: `rbufsize`, `wbufsize` (0: each write is
 * sent as soon as the handler yields; positive: held until `flush()` or that
 * many bytes), `timeout` (seconds any single read or write may take, then it
 * throws `Deno.errors.TimedOut`, Python's `TimeoutError`), and
 * `disable_nagle_algorithm` (`TCP_NODELAY`).
 *
 * @typeParam R The connection's type.
 *
 * @example An echo server, as in the tutorials
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamRequestHandler, TCPServer } from "@pyport/web/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle(): Promise<void> {
 *     for await (const line of this.rfile) this.wfile.write(line);
 *   }
 * }
 * await using server = new TCPServer(["127.0.0.1", 0], Echo);
 * const served = server.handle_request();
 * const [, port] = server.server_address;
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port });
 * await conn.write(new TextEncoder().encode("hello\n"));
 * await conn.closeWrite();
 * const reply = new Uint8Array(16);
 * const n = await conn.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "hello\n");
 * conn.close();
 * await served;
 * ```
 */
export class StreamRequestHandler<
  R extends StreamConnection = StreamSocket,
> extends BaseRequestHandler<R> {
  /** Size of `rfile`'s buffer; -1 (default) or 0: the default size. */
  declare rbufsize: number;
  /** 0 (default): writes leave as soon as the handler yields; else the buffer size. */
  declare wbufsize: number;
  /** Seconds a single read or write may take; `null` (default): for ever. */
  declare timeout: number | null;
  /** Whether to set `TCP_NODELAY` on the connection (default `false`). */
  declare disable_nagle_algorithm: boolean;

  /** `rbufsize` for the class and its subclasses (a Python class attribute). */
  declare static rbufsize: number;
  /** `wbufsize` for the class and its subclasses (a Python class attribute). */
  declare static wbufsize: number;
  /** `timeout` for the class and its subclasses (a Python class attribute). */
  declare static timeout: number | null;
  /** `disable_nagle_algorithm` for the class and its subclasses (a Python class attribute). */
  declare static disable_nagle_algorithm: boolean;

  static {
    classAttributes<StreamRequestHandler>(this, {
      rbufsize: -1,
      wbufsize: 0,
      timeout: null,
      disable_nagle_algorithm: false,
    });
  }

  /** The connection (set by `setup()`; the same object as `request`). */
  declare connection: R;
  /** Reads from the client (set by `setup()`). */
  declare rfile: SocketReader;
  /** Writes to the client (set by `setup()`). */
  declare wfile: SocketWriter;

  /** Wraps the connection in `rfile` and `wfile`, applying the class attributes. */
  override setup(): void {
    const connection = this.request;
    this.connection = connection;
    if (this.disable_nagle_algorithm) connection.setNoDelay?.(true);
    this.rfile = new SocketReader(connection, this.rbufsize);
    this.wfile = new SocketWriter(connection, this.wbufsize);
    shareTimeout(connection, this.timeout, this.rfile, this.wfile);
  }

  /** Sends whatever `wfile` still holds (ignoring a connection already gone) and closes both. */
  override async finish(): Promise<void> {
    if (!this.wfile.closed) {
      try {
        await this.wfile.flush();
      } catch {
        // The client is gone; there is nobody left to tell.
      }
    }
    this.wfile.close();
    this.rfile.close();
  }
}

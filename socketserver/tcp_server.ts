/**
 * Stream servers on Deno's sockets: `TCPServer` (`Deno.listen`) and
 * `UnixStreamServer` (a Unix socket path).
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `TCPServer` and
 * `UnixStreamServer`.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { haveUnstableNet } from "./_datagram_socket.ts";
import { classAttributes } from "../_util/class_attributes.ts";
import { sendQueued, type StreamConnection } from "./_socket_io.ts";
import { anyAddress, inetAddress, unixPath } from "./_address.ts";
import { bindOnConstruction } from "./_bind.ts";
import { addressOf, StreamSocket } from "./stream_socket.ts";
import {
  type Address,
  BaseServer,
  type RequestHandlerClass,
} from "./base_server.ts";

/** The `bind_and_activate` keyword of the stream server constructors. */
export interface TCPServerOptions {
  /** Bind and listen in the constructor (default `true`). */
  bind_and_activate?: boolean;
}

/**
 * The connection a stream server accepts: a `Deno.Conn` with its
 * addresses.
 */
export type AcceptedConnection = Deno.Conn;

/**
 * A handler class for a stream server: one that takes any connection (as
 * `StreamRequestHandler` does) or one whose `request` is the
 * {@linkcode StreamSocket} the server hands it (for `recv` and `sendall`).
 */
export type StreamHandlerClass =
  | RequestHandlerClass<StreamConnection>
  | RequestHandlerClass<StreamSocket>;

/**
 * Python's `socketserver.TCPServer`: listens on `[host, port]` (`""` for
 * every IPv4 address, `"::"` for every address, port 0 for a free one) and
 * hands each accepted connection to a new `RequestHandlerClass`, one
 * connection at a time; see {@linkcode ThreadingTCPServer} for one task per
 * connection.
 *
 * `server_bind()` binds and listens at once (Deno has no separate
 * `listen()`), so `server_activate()` does nothing and `request_queue_size`
 * is not applied: the kernel's default backlog is used. Deno always sets
 * `SO_REUSEADDR` on listening sockets, whatever `allow_reuse_address` says;
 * `allow_reuse_port` (`SO_REUSEPORT`) needs Deno's `--unstable-net` flag.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamRequestHandler, TCPServer } from "@pyport/web/socketserver";
 * class Upper extends StreamRequestHandler {
 *   override async handle(): Promise<void> {
 *     const line = await this.rfile.readline();
 *     this.wfile.write(new TextDecoder().decode(line).toUpperCase());
 *   }
 * }
 * await using server = new TCPServer(["127.0.0.1", 0], Upper);
 * void server.serve_forever();
 * const [, port] = server.server_address;
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port });
 * await conn.write(new TextEncoder().encode("quiet\n"));
 * const reply = new Uint8Array(16);
 * const n = await conn.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "QUIET\n");
 * conn.close();
 * ```
 */
export class TCPServer<
  A extends Address = readonly [host: string, port: number],
> extends BaseServer<StreamConnection> {
  /**
   * The address served: `[host, port]`, the real port once bound (a path
   * for {@linkcode UnixStreamServer}).
   */
  declare server_address: A;
  /**
   * Python's address family name: `"AF_INET"`; `"AF_INET6"` makes `""`
   * bind every IPv6 address (`::`) rather than every IPv4 one.
   */
  declare address_family: string;
  /** Python's socket type name, informational: `"SOCK_STREAM"`. */
  declare socket_type: string;
  /** Python's listen backlog; kept for compatibility (see above). */
  declare request_queue_size: number;
  /** Kept for compatibility: Deno always reuses the address. */
  declare allow_reuse_address: boolean;
  /** Bind with `SO_REUSEPORT`, so several processes share the port (needs `--unstable-net`). */
  declare allow_reuse_port: boolean;

  /** `address_family` for the class and its subclasses (a Python class attribute). */
  declare static address_family: string;
  /** `socket_type` for the class and its subclasses (a Python class attribute). */
  declare static socket_type: string;
  /** `request_queue_size` for the class and its subclasses (a Python class attribute). */
  declare static request_queue_size: number;
  /** `allow_reuse_address` for the class and its subclasses (a Python class attribute). */
  declare static allow_reuse_address: boolean;
  /** `allow_reuse_port` for the class and its subclasses (a Python class attribute). */
  declare static allow_reuse_port: boolean;

  static {
    classAttributes<TCPServer>(this, {
      address_family: "AF_INET",
      socket_type: "SOCK_STREAM",
      request_queue_size: 5,
      allow_reuse_address: false,
      allow_reuse_port: false,
    });
  }

  /** The listening socket once bound, else `null`. */
  socket: Deno.Listener | null = null;

  /**
   * The accept in progress, if any: Deno lets go of a listener (and
   * removes a Unix socket's file) only once it has ended.
   */
  #accepting: Promise<Deno.Conn> | null = null;

  /**
   * Creates the server; binds and listens now unless `bind_and_activate`
   * is `false` (then call `server_bind()` and `server_activate()`).
   *
   * @throws {Deno.errors.AddrInUse} When the address is taken.
   * @throws {Deno.errors.PermissionDenied} When the port needs privileges.
   */
  constructor(
    server_address: A,
    RequestHandlerClass: StreamHandlerClass,
    bind_and_activate?: boolean,
  );
  /** Creates the server, with `bind_and_activate` given as a keyword. */
  constructor(
    server_address: A,
    RequestHandlerClass: StreamHandlerClass,
    options: TCPServerOptions,
  );
  /** Either form (listed last so that mixins see both). */
  constructor(
    server_address: A,
    RequestHandlerClass: StreamHandlerClass,
    bind_and_activate?: boolean | TCPServerOptions,
  );
  constructor(
    server_address: A,
    RequestHandlerClass: StreamHandlerClass,
    ...rest: unknown[]
  ) {
    // Every request this server makes is a StreamSocket (`get_request`), so
    // a class that asks for one is served as well as one that does not.
    super(
      server_address,
      RequestHandlerClass as RequestHandlerClass<StreamConnection>,
    );
    bindOnConstruction(this, rest);
  }

  /** The options `Deno.listen` gets; `HTTPSServer` adds TLS to them. */
  protected listenOptions(): Deno.TcpListenOptions {
    const [host, port] = inetAddress(
      this.server_address,
      this.constructor.name,
    );
    const options: Deno.TcpListenOptions & { reusePort?: boolean } = {
      hostname: host === "" ? anyAddress(this.address_family) : host,
      port,
    };
    if (this.allow_reuse_port) {
      if (!haveUnstableNet()) {
        throw new Deno.errors.NotSupported(
          'allow_reuse_port needs Deno\'s --unstable-net flag (or "unstable": ["net"] in deno.json): SO_REUSEPORT is unstable in Deno',
        );
      }
      options.reusePort = true;
    }
    return options;
  }

  /** Opens the listening socket (Deno binds and listens at once) and records the real address. */
  server_bind(): void {
    const listener = this.listen(this.listenOptions());
    this.socket = listener;
    const addr = listener.addr as Deno.NetAddr;
    this.server_address = [addr.hostname, addr.port] as Address as A;
  }

  /** Creates the listener; `HTTPSServer` overrides it to listen with TLS. */
  protected listen(options: Deno.TcpListenOptions): Deno.Listener {
    return Deno.listen(options);
  }

  /** Python starts listening here; Deno already did in `server_bind()`. */
  override server_activate(): void {}

  /**
   * Stops listening. Connections already accepted are not touched. Resolves
   * once the listener is gone: an accept still waiting (`serve_forever()`'s)
   * holds Deno's listener, and with it a Unix socket's file, until it has
   * ended, which the file's removal would otherwise outlive (taking the
   * file of a server bound to the same path in the meantime).
   */
  override server_close(): void | Promise<void> {
    const socket = this.socket;
    this.socket = null;
    try {
      socket?.close();
    } catch {
      // Already closed.
    }
    const accepting = this.#accepting;
    const closed = super.server_close();
    if (accepting === null) return closed;
    return accepting.then(() => {}, () => {}).then(() => closed);
  }

  /** Whether the listening socket was closed (the serving loop then ends). */
  protected override get_request_closed(): boolean {
    return this.socket === null;
  }

  /** Accepts the next connection: `[connection, client_address]`. */
  protected override async get_request(): Promise<[StreamConnection, Address]> {
    const socket = this.socket;
    if (socket === null) throw new Deno.errors.BadResource("server closed");
    while (true) {
      try {
        const accepting = socket.accept();
        this.#accepting = accepting;
        let conn: Deno.Conn;
        try {
          conn = await accepting;
        } finally {
          if (this.#accepting === accepting) this.#accepting = null;
        }
        return [new StreamSocket(conn), addressOf(conn.remoteAddr)];
      } catch (error) {
        // A client that reset its connection while it waited to be
        // accepted: Deno refuses it (the system would hand it over, for
        // the handler's first read to fail). Take the next one at once: a
        // failed accept costs the loop a pause, which a stream of resets
        // would turn into a stall for everyone.
        if (!goneBeforeAccept(error)) throw error;
      }
    }
  }

  /**
   * Ends the connection: the client sees the end of the stream after
   * everything sent, what `wfile` still queues included (a `finish` that
   * skips its flush, or fails, loses nothing). Python half-closes first because its `close()` may
   * leave the socket to the garbage collector; Deno's `close()` sends the
   * same end of stream at once, without a system call more per connection.
   */
  override async shutdown_request(request: StreamConnection): Promise<void> {
    const sending = sendQueued(request);
    if (sending) await sending;
    await this.close_request(request);
  }

  /** Closes the connection. */
  override close_request(request: StreamConnection): void {
    try {
      request.close();
    } catch {
      // Already closed.
    }
  }
}

/**
 * Python's `socketserver.UnixStreamServer`: a stream server on a Unix
 * socket, whose `server_address` is the socket's path. The path must not
 * exist yet; `server_close()` removes it (Python leaves it). A relative
 * path is bound as the absolute path it names then, where that fits in a
 * socket address, so that a `Deno.chdir` in between cannot make the
 * removal take another file.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamRequestHandler, UnixStreamServer } from "@pyport/web/socketserver";
 * class Hi extends StreamRequestHandler {
 *   override handle(): void {
 *     this.wfile.write("hi\n");
 *   }
 * }
 * const path = `${await Deno.makeTempDir()}/hi.sock`;
 * await using server = new UnixStreamServer(path, Hi);
 * const served = server.handle_request();
 * const conn = await Deno.connect({ transport: "unix", path });
 * const reply = new Uint8Array(8);
 * const n = await conn.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "hi\n");
 * conn.close();
 * await served;
 * ```
 */
export class UnixStreamServer extends TCPServer<string> {
  static {
    Object.assign(this.prototype, { address_family: "AF_UNIX" });
  }

  /** Listens on the Unix socket at `server_address` (a path). */
  override server_bind(): void {
    const path = unixPath(this.server_address, this.constructor.name);
    this.socket = Deno.listen({ transport: "unix", path: bindablePath(path) });
  }
}

/** The longest path a Unix socket address holds (`sun_path`, less its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * `path` made absolute where the result fits in a socket address: Deno
 * removes the socket's file on close by the path it bound, which, left
 * relative, would name another file after a `Deno.chdir`.
 */
function bindablePath(path: string): string {
  if (isAbsolute(path)) return path;
  const absolute = resolve(path);
  return new TextEncoder().encode(absolute).length <= MAX_SOCKET_PATH
    ? absolute
    : path;
}

/** Whether an accept failed because that one client had already gone. */
function goneBeforeAccept(error: unknown): boolean {
  return error instanceof Deno.errors.NotConnected ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted;
}

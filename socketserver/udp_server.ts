/**
 * Datagram servers: `UDPServer` (on `node:dgram`) and `UnixDatagramServer`
 * (on `Deno.listenDatagram`, which needs `--unstable-net`).
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `UDPServer` and
 * `UnixDatagramServer`.
 *
 * @module
 */
import { classAttributes } from "../_util/class_attributes.ts";
import { anyAddress, inetAddress, unixPath } from "./_address.ts";
import { bindOnConstruction } from "./_bind.ts";
import {
  bindUdp,
  bindUnixDatagram,
  type DatagramSocket,
} from "./_datagram_socket.ts";
import {
  type Address,
  BaseServer,
  type RequestHandlerClass,
} from "./base_server.ts";
import type { TCPServerOptions } from "./tcp_server.ts";

export type { DatagramSocket };

/**
 * The request a datagram server hands its handler, as Python's:
 * `[data, socket]`, the datagram received and the server's socket to answer
 * on with `socket.sendto(reply, client_address)`.
 */
export type DatagramRequest = [
  data: Uint8Array<ArrayBuffer>,
  socket: DatagramSocket,
];

/**
 * Python's `socketserver.UDPServer`: receives datagrams on `[host, port]`
 * (`""` for every IPv4 address, port 0 for a free one) and hands each one,
 * as `[data, socket]`, to a new `RequestHandlerClass`, one at a time; see
 * {@linkcode ThreadingUDPServer} for one task per datagram. Datagrams
 * longer than `max_packet_size` (8192) are cut to it, as Python's
 * `recvfrom` cuts them.
 *
 * Built on `node:dgram`, the UDP socket Deno offers without unstable flags.
 * As in Python, binding happens in the constructor and `server_address`
 * is then the real address. Differences: `UDPServer` does not extend
 * `TCPServer` (it shares its attributes, not its socket type); datagrams
 * that arrive faster than they are handled are kept up to 1024, then
 * dropped, as a full receive buffer drops them.
 *
 * @example An upper-casing UDP server and a client
 * ```ts
 * import { equal } from "node:assert/strict";
 * import dgram from "node:dgram";
 * import { BaseRequestHandler, type DatagramRequest, UDPServer } from "@pyport/web/socketserver";
 * class Upper extends BaseRequestHandler<DatagramRequest> {
 *   override async handle(): Promise<void> {
 *     const [data, socket] = this.request;
 *     const text = new TextDecoder().decode(data).toUpperCase();
 *     await socket.sendto(new TextEncoder().encode(text), this.client_address);
 *   }
 * }
 * await using server = new UDPServer(["127.0.0.1", 0], Upper);
 * const [host, port] = server.server_address;
 * const client = dgram.createSocket("udp4");
 * const reply = new Promise<string>((resolve) =>
 *   client.once("message", (msg) => resolve(String(msg)))
 * );
 * client.send("quiet", port, host);
 * await server.handle_request();
 * equal(await reply, "QUIET");
 * client.close();
 * ```
 */
export class UDPServer<
  A extends Address = readonly [host: string, port: number],
> extends BaseServer<DatagramRequest> {
  /**
   * The address served: `[host, port]`, the real port once bound (a path
   * for {@linkcode UnixDatagramServer}).
   */
  declare server_address: A;
  /**
   * Python's address family name: `"AF_INET"`; `"AF_INET6"` makes `""`
   * bind every IPv6 address (`::`) rather than every IPv4 one.
   */
  declare address_family: string;
  /** Python's socket type name, informational: `"SOCK_DGRAM"`. */
  declare socket_type: string;
  /** Kept for compatibility with `TCPServer`; datagram sockets do not listen. */
  declare request_queue_size: number;
  /** Bind with `SO_REUSEADDR` (default `false`). */
  declare allow_reuse_address: boolean;
  /**
   * Bind with `SO_REUSEPORT` (default `false`); not supported for UDP here
   * (binding throws `Deno.errors.NotSupported`): Deno's `node:dgram` does
   * not apply it.
   */
  declare allow_reuse_port: boolean;
  /** Longest datagram received whole; longer ones are cut (default 8192). */
  declare max_packet_size: number;

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
  /** `max_packet_size` for the class and its subclasses (a Python class attribute). */
  declare static max_packet_size: number;

  static {
    classAttributes<UDPServer>(this, {
      address_family: "AF_INET",
      socket_type: "SOCK_DGRAM",
      request_queue_size: 5,
      allow_reuse_address: false,
      allow_reuse_port: false,
      max_packet_size: 8192,
    });
  }

  /** The bound socket, else `null`. */
  socket: DatagramSocket | null = null;

  /**
   * Creates the server; binds now unless `bind_and_activate` is `false`
   * (then call `server_bind()` and `server_activate()`). Attributes that
   * affect binding (`allow_reuse_address`, `allow_reuse_port`) are read
   * here, so a subclass sets them on its prototype, not as class fields.
   *
   * @throws {Deno.errors.AddrInUse} When the address is taken.
   * @throws {Deno.errors.PermissionDenied} When the port needs privileges.
   */
  constructor(
    server_address: A,
    RequestHandlerClass: RequestHandlerClass<DatagramRequest>,
    bind_and_activate?: boolean,
  );
  /** Creates the server, with `bind_and_activate` given as a keyword. */
  constructor(
    server_address: A,
    RequestHandlerClass: RequestHandlerClass<DatagramRequest>,
    options: TCPServerOptions,
  );
  /** Either form (listed last so that mixins see both). */
  constructor(
    server_address: A,
    RequestHandlerClass: RequestHandlerClass<DatagramRequest>,
    bind_and_activate?: boolean | TCPServerOptions,
  );
  constructor(
    server_address: A,
    RequestHandlerClass: RequestHandlerClass<DatagramRequest>,
    ...rest: unknown[]
  ) {
    super(server_address, RequestHandlerClass);
    bindOnConstruction(this, rest);
  }

  /** Binds the socket and records the real address. */
  server_bind(): void {
    const [host, port] = inetAddress(
      this.server_address,
      this.constructor.name,
    );
    this.socket = bindUdp(
      host === "" ? anyAddress(this.address_family) : host,
      port,
      {
        reuseAddr: this.allow_reuse_address,
        reusePort: this.allow_reuse_port,
      },
    );
    this.server_address = this.socket.getsockname() as A;
  }

  /** Nothing to do: datagram sockets do not listen. */
  override server_activate(): void {}

  /** Closes the socket; resolves once it is closed. */
  override async server_close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    await socket?.close();
    await super.server_close();
  }

  /** Whether the socket was closed (the serving loop then ends). */
  protected override get_request_closed(): boolean {
    return this.socket === null;
  }

  /** Receives the next datagram: `[[data, socket], client_address]`. */
  protected override async get_request(): Promise<
    [DatagramRequest, Address]
  > {
    const socket = this.socket;
    if (socket === null) throw new Deno.errors.BadResource("server closed");
    const [data, client] = await socket.recvfrom(this.max_packet_size);
    return [[data, socket], client];
  }

  /** Nothing to shut down for a datagram: `close_request`. */
  override shutdown_request(request: DatagramRequest): void | Promise<void> {
    return this.close_request(request);
  }

  /** Nothing to close for a datagram. */
  override close_request(_request: DatagramRequest): void {}
}

/**
 * Python's `socketserver.UnixDatagramServer`: a {@linkcode UDPServer} on a
 * Unix datagram socket, whose `server_address` is the socket's path (which
 * must not exist yet; remove it after `server_close()` if you want it
 * gone). A client must bind its own socket to a path to get an answer.
 *
 * Deno offers Unix datagram sockets only through `Deno.listenDatagram`,
 * which needs the `--unstable-net` flag (or `"unstable": ["net"]` in
 * deno.json); without it the constructor throws `Deno.errors.NotSupported`
 * saying so. That socket cannot send while a receive is waiting, so the
 * next datagram is received only once the previous request is finished
 * (its reply sent): with {@linkcode ThreadingUnixDatagramServer} too,
 * handlers do not overlap.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { UnixDatagramServer } from "@pyport/web/socketserver";
 * const path = `${await Deno.makeTempDir()}/dgram.sock`;
 * const hasUnstableNet = "listenDatagram" in Deno;
 * try {
 *   await using server = new UnixDatagramServer(path, class {} as never);
 *   equal(server.server_address, path);
 * } catch (error) {
 *   equal(hasUnstableNet, false);
 *   equal((error as Error).name, "NotSupported");
 * }
 * ```
 */
export class UnixDatagramServer extends UDPServer<string> {
  static {
    Object.assign(this.prototype, { address_family: "AF_UNIX" });
  }

  /**
   * Binds the Unix datagram socket at `server_address` (a path).
   *
   * @throws {Deno.errors.NotSupported} Without `--unstable-net`.
   */
  override server_bind(): void {
    this.socket = bindUnixDatagram(
      unixPath(this.server_address, this.constructor.name),
    );
  }

  #inFlight = 0;
  #whenIdle: (() => void)[] = [];

  /** Receives the next datagram once the previous request is finished (see above). */
  protected override async get_request(): Promise<
    [DatagramRequest, Address]
  > {
    while (this.#inFlight > 0) {
      await new Promise<void>((resolve) => this.#whenIdle.push(resolve));
    }
    const next = await super.get_request();
    this.#inFlight++;
    return next;
  }

  /** Marks the request finished, letting the next receive start. */
  override shutdown_request(request: DatagramRequest): void | Promise<void> {
    this.#inFlight--;
    for (const wake of this.#whenIdle.splice(0)) wake();
    return super.shutdown_request(request);
  }
}

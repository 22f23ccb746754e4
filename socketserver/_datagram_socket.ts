/**
 * The datagram sockets under `UDPServer` and `UnixDatagramServer`, with the
 * part of Python's socket API that servers and handlers use (`sendto`,
 * `recvfrom`, `getsockname`, `close`), as promises.
 *
 * UDP runs on `node:dgram`, the one UDP socket Deno offers without
 * `--unstable-net`. Unix datagram sockets exist in Deno only as
 * `Deno.listenDatagram({ transport: "unixpacket" })`, which needs that
 * flag (`node:dgram` has no Unix sockets, and binding libc through FFI would
 * mean per-platform socket structures and a thread per receive); without it
 * binding fails with one clear `Deno.errors.NotSupported`. Deno's Unix
 * datagram socket refuses to send while a receive is waiting ("Busy"), so
 * `UnixDatagramServer` starts a receive only between requests.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, the socket calls `UDPServer` and `DatagramRequestHandler` make.
 *
 * @module
 */
import dgram from "node:dgram";
import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";
import type { Address } from "./base_server.ts";
import { checkPort } from "./_address.ts";
import { asBytes, type BytesLike, ownedBytes } from "../_util/bytes_like.ts";

/**
 * The socket of a datagram server, as Python's `socket.socket` is used with
 * one: a handler answers with `sendto(data, client_address)`.
 */
export interface DatagramSocket {
  /**
   * Sends `data` (bytes: text is refused with Python's `TypeError`, as
   * `socket.sendto` refuses a `str`) as one datagram to `address`;
   * resolves with the number of bytes sent.
   */
  sendto(data: BytesLike, address: Address): Promise<number>;
  /**
   * The next datagram (cut to `bufsize` bytes, as Python's `recvfrom`
   * truncates) and its sender's address.
   */
  recvfrom(bufsize: number): Promise<[Uint8Array<ArrayBuffer>, Address]>;
  /** The address the socket is bound to. */
  getsockname(): Address;
  /** Closes the socket; pending `recvfrom` calls reject. */
  close(): Promise<void>;
}

/** The `SO_REUSEADDR` / `SO_REUSEPORT` choices of a server class. */
export interface ReuseOptions {
  reuseAddr: boolean;
  reusePort: boolean;
}

/**
 * Datagrams received before anyone asked for them are kept up to this
 * count, then dropped, as a full kernel receive buffer drops them
 * (`node:dgram` reads eagerly and cannot be paused).
 */
const QUEUE_LIMIT = 1024;

function closedError(): Error {
  return new Deno.errors.BadResource("the socket is closed");
}

/** Node's system errors as the `Deno.errors` classes `Deno.listen` throws. */
const DENO_ERRORS: Record<string, new (message: string) => Error> = {
  EADDRINUSE: Deno.errors.AddrInUse,
  EADDRNOTAVAIL: Deno.errors.AddrNotAvailable,
  EACCES: Deno.errors.PermissionDenied,
  EPERM: Deno.errors.PermissionDenied,
  ECONNREFUSED: Deno.errors.ConnectionRefused,
};

function denoError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const ErrorClass = typeof code === "string" ? DENO_ERRORS[code] : undefined;
  if (!ErrorClass) return error;
  const mapped = new ErrorClass((error as Error).message);
  mapped.cause = error;
  return mapped;
}

/**
 * The numeric address to bind for `host`. `node:dgram` resolves names
 * asynchronously, but Python binds in the constructor and reports the real
 * address at once; `Deno.listen` resolves synchronously with the system
 * resolver, so a name is resolved by opening (and closing) a TCP listener
 * on it — the address a `TCPServer` on that name would bind.
 */
function numericHost(host: string): string {
  if (host === "") return "0.0.0.0";
  if (isIP(host)) return host;
  const probe = Deno.listen({ hostname: host, port: 0 });
  try {
    return (probe.addr as Deno.NetAddr).hostname;
  } finally {
    probe.close();
  }
}

type Lookup = (
  host: string,
  options: dgram.SocketOptions | object,
  callback: (error: Error | null, address: string, family: number) => void,
) => void;

/** Numeric hosts answer at once (so `bind` is synchronous); names go to DNS. */
const lookup: Lookup = (host, options, callback) => {
  const family = isIP(host);
  if (family) callback(null, host, family);
  else dnsLookup(host, options as object, callback as never);
};

/** A UDP socket on `node:dgram`, receiving by `recvfrom` instead of events. */
class UdpSocket implements DatagramSocket {
  readonly #socket: dgram.Socket;
  #packets: [Uint8Array<ArrayBuffer>, Address][] = [];
  #waiters: {
    bufsize: number;
    resolve: (packet: [Uint8Array<ArrayBuffer>, Address]) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #closing: Promise<void> | null = null;

  constructor(socket: dgram.Socket) {
    this.#socket = socket;
    socket.on("message", (message: Uint8Array, from: dgram.RemoteInfo) => {
      // A plain Uint8Array view, not node's Buffer, as everywhere else.
      const data = ownedBytes(
        new Uint8Array(message.buffer, message.byteOffset, message.byteLength),
      );
      this.#deliver([data, [from.address, from.port]]);
    });
    socket.on("error", (error: unknown) => {
      // A failed receive: the waiting server sees it as Python's loop sees
      // an OSError from recvfrom.
      for (const waiter of this.#waiters.splice(0)) {
        waiter.reject(denoError(error));
      }
    });
  }

  #deliver(packet: [Uint8Array<ArrayBuffer>, Address]): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(truncate(packet, waiter.bufsize));
    else if (this.#packets.length < QUEUE_LIMIT) this.#packets.push(packet);
  }

  recvfrom(bufsize: number): Promise<[Uint8Array<ArrayBuffer>, Address]> {
    if (this.#closing) return Promise.reject(closedError());
    try {
      checkBufsize(bufsize);
    } catch (error) {
      return Promise.reject(error);
    }
    const packet = this.#packets.shift();
    if (packet) return Promise.resolve(truncate(packet, bufsize));
    return new Promise((resolve, reject) => {
      this.#waiters.push({ bufsize, resolve, reject });
    });
  }

  async sendto(data: BytesLike, address: Address): Promise<number> {
    // As Python's: the data is checked first, then the address.
    const bytes = asBytes(data);
    if (typeof address === "string") {
      throw new TypeError("a UDP address is [host, port], not a path");
    }
    if (this.#closing) throw closedError();
    const [host, port] = address;
    checkPort(port);
    return await new Promise((resolve, reject) => {
      this.#socket.send(bytes, port, host, (error, sent) => {
        if (error) reject(denoError(error));
        else resolve(sent);
      });
    });
  }

  getsockname(): Address {
    const { address, port } = this.#socket.address();
    return [address, port];
  }

  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      for (const waiter of this.#waiters.splice(0)) {
        waiter.reject(closedError());
      }
      this.#packets = [];
      this.#socket.close(() => resolve());
    });
    return this.#closing;
  }
}

function truncate(
  [data, from]: [Uint8Array<ArrayBuffer>, Address],
  bufsize: number,
): [Uint8Array<ArrayBuffer>, Address] {
  return [data.length > bufsize ? data.subarray(0, bufsize) : data, from];
}

/** Python's check of `recvfrom`'s size, before it waits for a datagram. */
function checkBufsize(bufsize: number): void {
  if (bufsize < 0) throw new RangeError("negative buffersize in recvfrom");
}

/**
 * Binds a UDP socket on `host` (`""`: every IPv4 address; a name is
 * resolved first) and `port` (0: a free one), synchronously as Python does.
 *
 * @throws {Deno.errors.AddrInUse} When the address is taken.
 * @throws {Deno.errors.PermissionDenied} When the port needs privileges.
 */
export function bindUdp(
  host: string,
  port: number,
  { reuseAddr, reusePort }: ReuseOptions,
): DatagramSocket {
  if (reusePort) {
    // Deno 2.9's node:dgram takes the option and binds without it.
    throw new Deno.errors.NotSupported(
      "allow_reuse_port is not supported for UDP: Deno's node:dgram does not apply SO_REUSEPORT",
    );
  }
  const address = numericHost(host);
  const socket = dgram.createSocket({
    type: isIP(address) === 6 ? "udp6" : "udp4",
    reuseAddr,
    lookup,
  } as dgram.SocketOptions);
  let failure: unknown = null;
  const onError = (error: unknown) => failure = error;
  socket.once("error", onError);
  // With a numeric address and a lookup that answers at once, node binds
  // (or emits the error) before bind() returns.
  socket.bind(port, address);
  socket.off("error", onError);
  if (failure !== null) {
    socket.close();
    throw denoError(failure);
  }
  return new UdpSocket(socket);
}

/** The part of the unstable `Deno.DatagramConn` used here. */
interface DenoDatagramConn {
  receive(p?: Uint8Array): Promise<[Uint8Array, Deno.Addr]>;
  send(p: Uint8Array, addr: Deno.Addr): Promise<number>;
  close(): void;
  readonly addr: Deno.Addr;
}

type ListenDatagram = (
  options: { transport: "unixpacket"; path: string },
) => DenoDatagramConn;

/** A Unix datagram socket on `Deno.listenDatagram`. */
class UnixDatagramSocket implements DatagramSocket {
  readonly #conn: DenoDatagramConn;
  readonly #path: string;
  /** Receives run one after another, each into the same buffer. */
  #receiving: Promise<unknown> = Promise.resolve();
  #buffer: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  #closed = false;

  constructor(conn: DenoDatagramConn, path: string) {
    this.#conn = conn;
    this.#path = path;
  }

  recvfrom(bufsize: number): Promise<[Uint8Array<ArrayBuffer>, Address]> {
    try {
      checkBufsize(bufsize);
    } catch (error) {
      return Promise.reject(error);
    }
    const next = this.#receiving.then(() => this.#receive(bufsize));
    this.#receiving = next.catch(() => {});
    return next;
  }

  async #receive(bufsize: number): Promise<[Uint8Array<ArrayBuffer>, Address]> {
    if (this.#closed) throw closedError();
    if (this.#buffer.length < bufsize) this.#buffer = new Uint8Array(bufsize);
    const [data, from] = await this.#conn.receive(
      this.#buffer.subarray(0, bufsize),
    );
    // Python names an unbound sender None; "" keeps the Address type.
    const path = "path" in from ? (from.path ?? "") : "";
    return [data.slice(), path];
  }

  async sendto(data: BytesLike, address: Address): Promise<number> {
    const bytes = asBytes(data);
    if (typeof address !== "string") {
      throw new TypeError(
        "a Unix datagram address is a path, not [host, port]",
      );
    }
    if (this.#closed) throw closedError();
    return await this.#conn.send(bytes, {
      transport: "unixpacket",
      path: address,
    });
  }

  getsockname(): Address {
    return this.#path;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#conn.close();
    }
    return Promise.resolve();
  }
}

/** Deno's `listenDatagram`, there only with `--unstable-net`. */
function unstableListenDatagram(): ListenDatagram | null {
  const listen = (Deno as unknown as { listenDatagram?: ListenDatagram })
    .listenDatagram;
  return typeof listen === "function" ? listen : null;
}

/**
 * Whether Deno runs with `--unstable-net`: without it, an unstable network
 * option (`reusePort`) ends the process rather than throwing.
 */
export function haveUnstableNet(): boolean {
  return unstableListenDatagram() !== null;
}

/**
 * Binds a Unix datagram socket at `path` (which must not exist yet).
 *
 * @throws {Deno.errors.NotSupported} When Deno runs without
 * `--unstable-net`, the only way Deno offers Unix datagram sockets.
 */
export function bindUnixDatagram(path: string): DatagramSocket {
  const listenDatagram = unstableListenDatagram();
  if (listenDatagram === null) {
    throw new Deno.errors.NotSupported(
      "UnixDatagramServer needs Deno's --unstable-net flag (or " +
        '"unstable": ["net"] in deno.json): Deno offers Unix datagram ' +
        "sockets only through the unstable Deno.listenDatagram",
    );
  }
  return new UnixDatagramSocket(
    listenDatagram({ transport: "unixpacket", path }),
    path,
  );
}

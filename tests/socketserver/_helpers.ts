/**
 * Shared pieces of the socketserver tests: a deadline for every test,
 * clients on real sockets (TCP, Unix, UDP, Unix datagram), CPython's
 * `run_server` scaffold, and a scripted connection for the reader and
 * writer edge cases that a real socket cannot produce on demand.
 *
 * @module
 */
import { deepEqual, equal } from "node:assert/strict";
import dgram from "node:dgram";
import {
  type Address,
  type BaseServer,
  type DatagramRequest,
  DatagramRequestHandler,
  type RequestHandlerClass,
  type StreamConnection,
  type StreamHandlerClass,
  StreamRequestHandler,
  type TCPServer,
  type UDPServer,
} from "../../socketserver/mod.ts";

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** CPython's `TEST_STR`. */
export const TEST_STR = "hello world\n";

/** Whether Deno runs with `--unstable-net` (Unix datagram sockets). */
export const HAS_UNSTABLE_NET = "listenDatagram" in Deno;

/** Deno.test with a deadline, so a hang fails the test instead of blocking it. */
export function serverTest(
  name: string,
  fn: () => void | Promise<void>,
  options: { ignore?: boolean; timeoutMs?: number } = {},
): void {
  const ms = options.timeoutMs ?? 10_000;
  Deno.test({
    name,
    ignore: options.ignore ?? false,
    async fn() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${ms} ms`)),
          ms,
        );
      });
      try {
        await Promise.race([fn(), expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh temporary folder for Unix socket paths, removed on dispose. */
export async function tempDir(): Promise<AsyncDisposable & { path: string }> {
  const path = await Deno.makeTempDir({ prefix: "socketserver_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Connects to a stream server's address (`[host, port]` or a path). */
export function connect(address: Address): Promise<Deno.Conn> {
  return typeof address === "string"
    ? Deno.connect({ transport: "unix", path: address })
    : Deno.connect({ hostname: address[0], port: address[1] });
}

/** Reads until the peer closes (or `limit` bytes), as text. */
export async function readAll(
  conn: Deno.Conn,
  limit = 1 << 20,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buffer = new Uint8Array(64 * 1024);
  while (total < limit) {
    const n = await conn.read(buffer);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
    total += n;
  }
  return decoder.decode(concat(chunks));
}

/** Reads until `text` ends with `suffix` (or the peer closes), as text. */
export async function readUntil(
  conn: Deno.Conn,
  suffix: string,
): Promise<string> {
  let text = "";
  const buffer = new Uint8Array(4096);
  while (!text.endsWith(suffix)) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n));
  }
  return text;
}

/** Joins byte arrays. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** CPython's `stream_examine`: one line sent, the same line back. */
export async function streamExamine(address: Address): Promise<void> {
  using conn = await connect(address);
  await conn.write(encoder.encode(TEST_STR));
  equal(await readUntil(conn, "\n"), TEST_STR);
}

/** A datagram client: UDP on `node:dgram`, or a bound Unix datagram socket. */
export interface DatagramClient extends AsyncDisposable {
  send(data: string | Uint8Array, to: Address): Promise<void>;
  receive(): Promise<[Uint8Array, Address]>;
}

/** A UDP client on 127.0.0.1 whose datagrams are queued until received. */
export function udpClient(): DatagramClient {
  const socket = dgram.createSocket("udp4");
  const inbox: [Uint8Array, Address][] = [];
  const waiting: ((packet: [Uint8Array, Address]) => void)[] = [];
  socket.on("message", (msg: Uint8Array, from: dgram.RemoteInfo) => {
    const packet: [Uint8Array, Address] = [
      new Uint8Array(msg),
      [from.address, from.port],
    ];
    const wake = waiting.shift();
    if (wake) wake(packet);
    else inbox.push(packet);
  });
  return {
    send(data, to) {
      const [host, port] = to as readonly [string, number];
      return new Promise((resolve, reject) =>
        socket.send(
          data,
          port,
          host,
          (error) => error ? reject(error) : resolve(),
        )
      );
    },
    receive() {
      const packet = inbox.shift();
      if (packet) return Promise.resolve(packet);
      return new Promise((resolve) => waiting.push(resolve));
    },
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A Unix datagram client bound at `path` (needs `--unstable-net`). */
export function unixDatagramClient(path: string): DatagramClient {
  const listen = (Deno as unknown as {
    listenDatagram(options: { transport: "unixpacket"; path: string }): {
      send(p: Uint8Array, to: Deno.Addr): Promise<number>;
      receive(): Promise<[Uint8Array, Deno.Addr]>;
      close(): void;
    };
  }).listenDatagram;
  const conn = listen({ transport: "unixpacket", path });
  return {
    async send(data, to) {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      await conn.send(bytes, { transport: "unixpacket", path: to as string });
    },
    async receive() {
      const [data, from] = await conn.receive();
      return [data, "path" in from ? from.path : ""];
    },
    [Symbol.asyncDispose]: () => Promise.resolve(conn.close()),
  };
}

/** CPython's `dgram_examine`: one datagram sent, the same one back. */
export async function dgramExamine(
  address: Address,
  clientPath?: string,
): Promise<void> {
  await using client = clientPath === undefined
    ? udpClient()
    : unixDatagramClient(clientPath);
  await client.send(TEST_STR, address);
  const [data] = await client.receive();
  equal(decoder.decode(data), TEST_STR);
}

/** A server whose `socket` can be checked after `server_close()`. */
export type ClosableServer = BaseServer<never> & { socket: unknown };

/**
 * CPython's `run_server`: serve_forever with a 0.01 s poll in the
 * background, three clients examined in turn, then shutdown and close.
 */
export async function runServer(
  server: ClosableServer,
  examine: (address: Address) => Promise<void>,
): Promise<void> {
  const serving = server.serve_forever(0.01);
  try {
    for (let i = 0; i < 3; i++) await examine(server.server_address);
  } finally {
    await server.shutdown();
    await serving;
    await server.server_close();
  }
  equal(server.socket, null);
}

/** One step of a {@linkcode ScriptedConnection}'s reads. */
export type ReadStep = string | Uint8Array | { after: number; data: string };

/**
 * An in-memory connection that hands out `reads` one per `read()` call
 * (cut to the caller's buffer; the rest waits for the next call), then
 * end of stream, and records what is written. `failWrites` makes every
 * write reject with that error; `writeDelayMs` slows writes down.
 */
export class ScriptedConnection implements StreamConnection {
  readonly reads: ReadStep[];
  readonly writes: Uint8Array[] = [];
  readCalls = 0;
  closed = false;
  failWrites: Error | null = null;
  writeDelayMs = 0;

  constructor(reads: ReadStep[] = []) {
    this.reads = [...reads];
  }

  async read(p: Uint8Array): Promise<number | null> {
    this.readCalls++;
    const step = this.reads.shift();
    if (step === undefined) return null;
    let bytes: Uint8Array;
    if (typeof step === "string") bytes = encoder.encode(step);
    else if (step instanceof Uint8Array) bytes = step;
    else {
      await sleep(step.after);
      bytes = encoder.encode(step.data);
    }
    const n = Math.min(p.length, bytes.length);
    p.set(bytes.subarray(0, n));
    if (n < bytes.length) this.reads.unshift(bytes.subarray(n));
    return n;
  }

  async write(p: Uint8Array): Promise<number> {
    if (this.writeDelayMs) await sleep(this.writeDelayMs);
    if (this.failWrites) throw this.failWrites;
    this.writes.push(p.slice());
    return p.length;
  }

  close(): void {
    this.closed = true;
  }

  /** Everything written, as text. */
  get written(): string {
    return decoder.decode(concat(this.writes));
  }
}

/** CPython's MyHandler: echo one line. */
export class LineEcho extends StreamRequestHandler {
  override async handle(): Promise<void> {
    this.wfile.write(await this.rfile.readline());
  }
}

/**
 * A stream server class as the tests construct it: TCP ones take
 * `[host, port]`, Unix ones a path, so the address is typed by each.
 */
export type StreamServerClass = new (
  address: never,
  handler: StreamHandlerClass,
) => TCPServer<Address>;

/** CPython's `make_server`: an error in a handler fails the test. */
export function makeStreamServer(
  ServerClass: StreamServerClass,
  address: Address,
): TCPServer<Address> {
  class MyServer extends ServerClass {
    override handle_error(_r: unknown, _a: unknown, error?: unknown): void {
      this.close_request(_r as StreamConnection);
      throw error;
    }
  }
  const server = new MyServer(address as never, LineEcho);
  if (typeof address !== "string") {
    const addr = server.socket?.addr as Deno.NetAddr;
    deepEqual(server.server_address, [addr.hostname, addr.port]);
  }
  return server;
}

/** CPython's MyHandler for datagram servers: echo one line. */
export class DatagramLineEcho extends DatagramRequestHandler {
  override async handle(): Promise<void> {
    this.wfile.write(await this.rfile.readline());
  }
}

/** A datagram server class as the tests construct it (see above). */
export type DatagramServerClass = new (
  address: never,
  handler: RequestHandlerClass<DatagramRequest>,
) => UDPServer<Address>;

/** CPython's `make_server` for datagram servers. */
export function makeDatagramServer(
  ServerClass: DatagramServerClass,
  address: Address,
): UDPServer<Address> {
  class MyServer extends ServerClass {
    override handle_error(_r: unknown, _a: unknown, error?: unknown): void {
      throw error;
    }
  }
  const server = new MyServer(address as never, DatagramLineEcho);
  deepEqual(server.server_address, server.socket?.getsockname());
  return server;
}

/** The module under test, as a URL a child script can import. */
export const MOD_URL: string =
  new URL("../../socketserver/mod.ts", import.meta.url).href;

/**
 * Runs `script` (JavaScript that may import {@linkcode MOD_URL}) in a child
 * `deno eval`, for what only a whole process shows: its stderr, or that it
 * survives an error, or its heap (`v8Flags` such as `--expose-gc`);
 * resolves with its exit code and output.
 */
export async function runScript(
  script: string,
  v8Flags: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const flags = v8Flags.length ? [`--v8-flags=${v8Flags.join(",")}`] : [];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", ...flags, "--ext=js", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** Sends `text` to a stream server and returns the first line it answers. */
export async function echoOnce(
  address: Address,
  text: string,
): Promise<string> {
  using conn = await connect(address);
  await conn.write(encoder.encode(text));
  return await readUntil(conn, "\n");
}

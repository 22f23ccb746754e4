/**
 * Python's `socketserver` for Deno: `TCPServer`, `UDPServer`,
 * `UnixStreamServer`, `UnixDatagramServer`, `ThreadingMixIn` and the
 * threading servers, and the request handler classes, with Python's names
 * and behaviour on Deno's own sockets. I/O returns promises: `await
 * this.rfile.readline()`, `await server.serve_forever()`.
 *
 * UDP runs on `node:dgram` (no unstable flag needed); Unix datagram
 * sockets need Deno's `--unstable-net`. `ForkingMixIn`, `ForkingTCPServer`,
 * `ForkingUDPServer` and the forking Unix servers are not available: Python
 * defines them only where `os.fork` exists, and Deno cannot fork. Use the
 * threading servers (one task per request) instead.
 *
 * @example A line-echo server and a client
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamRequestHandler, ThreadingTCPServer } from "@pyport/web/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle(): Promise<void> {
 *     for await (const line of this.rfile) this.wfile.write(line);
 *   }
 * }
 * await using server = new ThreadingTCPServer(["127.0.0.1", 0], Echo);
 * void server.serve_forever();
 * const [, port] = server.server_address;
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port });
 * await conn.write(new TextEncoder().encode("ping\n"));
 * const reply = new Uint8Array(8);
 * const n = await conn.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "ping\n");
 * conn.close();
 * await server.shutdown();
 * ```
 *
 * @module
 */
export {
  type Address,
  BaseServer,
  type RequestHandlerClass,
  type ServeForeverOptions,
} from "./base_server.ts";
export {
  BaseRequestHandler,
  SocketReader,
  SocketWriter,
  type StreamConnection,
  StreamRequestHandler,
} from "./request_handler.ts";
export { StreamSocket } from "./stream_socket.ts";
export {
  type AcceptedConnection,
  type StreamHandlerClass,
  TCPServer,
  type TCPServerOptions,
  UnixStreamServer,
} from "./tcp_server.ts";
export {
  type ServerClass,
  ThreadingMixIn,
  type ThreadingServer,
  type ThreadingServerClass,
  ThreadingTCPServer,
  ThreadingUDPServer,
  ThreadingUnixDatagramServer,
  ThreadingUnixStreamServer,
} from "./threading.ts";
export {
  type DatagramRequest,
  type DatagramSocket,
  UDPServer,
  UnixDatagramServer,
} from "./udp_server.ts";
export {
  DatagramRequestHandler,
  PacketWriter,
} from "./datagram_request_handler.ts";
// Python's bytes-like objects: what `wfile.write` and `sendto` take.
export type { BytesLike } from "../_util/bytes_like.ts";

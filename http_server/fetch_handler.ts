/**
 * `createFetchHandler`: a request handler class as a fetch handler,
 * `(Request) => Promise<Response>`, for `Deno.serve`, `deno serve` and
 * hosts that have no raw sockets. An addition to Python's API.
 *
 * @module
 */
import {
  type Address,
  handleAccepted,
  type RequestHandlerClass,
} from "../socketserver/base_server.ts";
import type { StreamConnection } from "../socketserver/_socket_io.ts";
import { MemoryConnection } from "./_memory_connection.ts";
import { requestBytes } from "./_wire_request.ts";
import { ClientGone, ResponseAssembler } from "./_wire_response.ts";
import { HTTPServer, type ServerAddress } from "./server.ts";

/** Options of {@linkcode createFetchHandler}. */
export interface FetchHandlerOptions {
  /**
   * What handlers see as `server.server_address` (and `server_name`,
   * `server_port`); default `["127.0.0.1", 0]`.
   */
  server_address?: ServerAddress;
}

/**
 * A fetch handler: what `Deno.serve` and `deno serve` call with each
 * request. The second argument, when it carries `remoteAddr` (as
 * `Deno.serve`'s does), gives the handler its `client_address`.
 */
export type FetchHandler = (
  request: Request,
  info?: unknown,
) => Promise<Response>;

function clientAddress(info: unknown): Address {
  const remote = (info as { remoteAddr?: Partial<Deno.NetAddr> } | undefined)
    ?.remoteAddr;
  if (typeof remote?.hostname === "string" && typeof remote.port === "number") {
    return [remote.hostname, remote.port];
  }
  return ["127.0.0.1", 0];
}

/**
 * Stops `output` when `signal` aborts: without `Deno.serve`'s `completed`,
 * the request's signal is how a host says its client went away (a handler
 * writing to a response nobody reads would otherwise wait for ever).
 * `Deno.serve` is not asked: it warns of a listener on its requests' signals.
 */
function abortWith(signal: AbortSignal, output: ResponseAssembler): void {
  if (signal.aborted) output.abort();
  else signal.addEventListener("abort", () => output.abort(), { once: true });
}

/**
 * Whether `request`'s `Host` has a `/`, `?` or `#`: `Deno.serve` makes the
 * URL of an HTTP/1.1 request from it, so that `Host: h/admin` would hand
 * the handler of `GET /` the path `/admin/`. RFC 9112 §3.2 wants a 400 for
 * a `Host` that is not a valid host and port.
 */
function hostInPath(request: Request): boolean {
  const host = request.headers.get("host");
  return host !== null && /[/?#]/.test(host);
}

/** The bare 400 `Deno.serve` gives a request it cannot read. */
function badRequest(): Response {
  return new Response(null, { status: 400 });
}

/**
 * The adapter's server: as `HTTPServer`, but a handler stopped by its
 * client going away is not reported with a traceback. Over HTTP/2 a
 * browser cancels streams as a matter of course (media it seeks in, pages
 * left mid-load), where a socket's client that leaves mid-response is rare
 * enough to report, as Python does.
 */
class AdapterServer extends HTTPServer {
  override handle_error(
    request: StreamConnection | null,
    client_address: Address | null,
    error?: unknown,
  ): void {
    if (error instanceof ClientGone) return;
    super.handle_error(request, client_address, error);
  }
}

/** `Deno.serve`'s promise that the response was delivered, if `info` has one. */
function deliveryOf(info: unknown): Promise<void> | null {
  const completed = (info as Partial<Deno.ServeHandlerInfo> | undefined)
    ?.completed;
  return completed instanceof Promise ? completed : null;
}

/**
 * Turns `RequestHandlerClass` (a {@linkcode BaseHTTPRequestHandler}
 * subclass, say) into a fetch handler. Each `Request` becomes the bytes a
 * client would send for it (a body without a length streamed chunked), the
 * handler runs on them through the same code as on a socket, and the bytes
 * it writes become the `Response`, its body streamed as the handler writes
 * it (with back-pressure).
 *
 * What differs from a socket: the request line always says `HTTP/1.1`
 * (even for an HTTP/2 request) and header names arrive lower-cased, with
 * repeats already joined by the fetch API (`get_all` returns one value);
 * a 100 Continue a handler sends is dropped (the server in front answers
 * `Expect` itself); the status text is the handler's reason phrase, which
 * `Deno.serve` replaces with the standard one (or none); hop-by-hop
 * headers (`Connection`, `Keep-Alive`, `Transfer-Encoding`, `Upgrade`, …)
 * are left to that server, so `close_connection` has no effect; status 101,
 * codes above 599 and a final status below 200 (taken for an interim one)
 * cannot be expressed (the promise rejects), nor can HTTP/0.9. A handler
 * that ends without a complete response rejects the promise (`Deno.serve`
 * then answers 500). README's "Differences from Python" lists the rest.
 *
 * @example With `Deno.serve`
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
 * class Hello extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     const body = new TextEncoder().encode(`Hello from ${this.path}`);
 *     this.send_response(200);
 *     this.send_header("Content-Length", String(body.length));
 *     this.end_headers();
 *     this.wfile.write(body);
 *   }
 *   override log_message(): void {}
 * }
 * const fetchHandler = createFetchHandler(Hello);
 * await using server = Deno.serve({ port: 0, onListen() {} }, fetchHandler);
 * const res = await fetch(`http://localhost:${server.addr.port}/there?x=1`);
 * equal(await res.text(), "Hello from /there?x=1");
 * // Or without any server at all:
 * const direct = await fetchHandler(new Request("http://localhost/here"));
 * equal(await direct.text(), "Hello from /here");
 * ```
 *
 * @example A module for `deno serve` (`deno serve app.ts`)
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
 *
 * class Hello extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     const body = new TextEncoder().encode(`Hello from ${this.path}`);
 *     this.send_response(200);
 *     this.send_header("Content-Length", String(body.length));
 *     this.end_headers();
 *     this.wfile.write(body);
 *   }
 * }
 *
 * // The default export's `fetch` is what `deno serve` calls with each request.
 * const app = { fetch: createFetchHandler(Hello) } satisfies Deno.ServeDefaultExport;
 * export default app;
 *
 * // It can be called without a server too.
 * const res = await app.fetch(new Request("http://localhost/hi"));
 * equal(await res.text(), "Hello from /hi");
 * ```
 */
export function createFetchHandler(
  RequestHandlerClass: RequestHandlerClass<StreamConnection>,
  options: FetchHandlerOptions = {},
): FetchHandler {
  const [host, port] = options.server_address ?? ["127.0.0.1", 0];
  const server = new AdapterServer([host, port], RequestHandlerClass, false);
  server.server_name = host;
  server.server_port = port;
  return (request, info) => {
    if (hostInPath(request)) return Promise.resolve(badRequest());
    const output = new ResponseAssembler(request.method === "HEAD");
    // Deno.serve does not always cancel a response body when a client
    // goes away mid-stream (a handler then waits to write for ever,
    // holding its file open); its `completed` promise tells: it rejects
    // (HTTP/2), or resolves with the body unfinished (HTTP/1.1).
    const delivery = deliveryOf(info);
    if (delivery) delivery.then(() => output.delivered(), () => output.abort());
    else abortWith(request.signal, output);
    const connection = new MemoryConnection(requestBytes(request), output);
    void handleAccepted(server, connection, clientAddress(info));
    return output.response;
  };
}

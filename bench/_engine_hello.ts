/**
 * The servers of the engine benchmark, each answering every GET with the
 * same 1 KiB text body:
 *
 * - `ours`: Python's tutorial `do_GET` handler (`send_response`,
 *   `send_header` x2, `end_headers`, `wfile.write`) on
 *   `ThreadingHTTPServer`, HTTP/1.1, no log line;
 * - `bare`: a plain `Deno.serve` returning the body with a Content-Type;
 * - `bare-headers`: the same, also sending the `Server` header ours sends
 *   (Deno adds `date` and `content-length` to both): Deno takes a slower
 *   path for a response with more than a Content-Type, so this is the
 *   like-for-like ceiling.
 * - `floor`: a loop on `Deno.listen` that parses nothing: for each request
 *   head that ends in what it reads, it writes one response prepared at
 *   start-up. No engine on Deno's sockets can cost less a request, so it
 *   shows how far from Deno's own floor the other rows are.
 *
 * All print Python's startup line, so the benchmark starts them alike.
 *
 *     deno run -A bench/_engine_hello.ts ours|bare|bare-headers|floor [port]
 *
 * @module
 */
import { ThreadingHTTPServer } from "../http_server/mod.ts";
import { helloHandler } from "./_hello_handler.ts";

/** The body every server sends. */
export const BODY: Uint8Array<ArrayBuffer> = new TextEncoder().encode(
  "x".repeat(1023) + "\n",
);

function announce(host: string, port: number): void {
  console.log(
    `Serving HTTP on ${host} port ${port} (http://${host}:${port}/) ...`,
  );
}

const HEAD_END = new TextEncoder().encode("\r\n\r\n");

/** How many request heads end in `bytes`, carrying a partial end over. */
function headEnds(bytes: Uint8Array, matched: { n: number }): number {
  let ends = 0;
  for (const byte of bytes) {
    if (byte === HEAD_END[matched.n]) matched.n++;
    else matched.n = byte === HEAD_END[0] ? 1 : 0;
    if (matched.n === HEAD_END.length) {
      ends++;
      matched.n = 0;
    }
  }
  return ends;
}

/**
 * Answers each request head read from `conn` with `response`. Callbacks
 * rather than an async loop: a promise chain of `then`s costs Deno a little
 * less a request, and the floor must be the cheapest way.
 */
function answerPrepared(conn: Deno.Conn, response: Uint8Array): void {
  const buffer = new Uint8Array(64 * 1024);
  const matched = { n: 0 };
  // The client went away (a failed read or write): nothing to answer.
  const close = () => {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  };
  const read = () => conn.read(buffer).then(answer, close);
  const write = (left: number): unknown =>
    left === 0
      ? read()
      : conn.write(response).then(() => write(left - 1), close);
  const answer = (n: number | null) =>
    n === null ? close() : write(headEnds(buffer.subarray(0, n), matched));
  read();
}

async function serveFloor(port: number): Promise<void> {
  const head = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n` +
    `Content-Length: ${BODY.length}\r\n\r\n`;
  const response = new Uint8Array([
    ...new TextEncoder().encode(head),
    ...BODY,
  ]);
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  announce("127.0.0.1", (listener.addr as Deno.NetAddr).port);
  for await (const conn of listener) {
    conn.setNoDelay(true);
    answerPrepared(conn, response);
  }
}

if (import.meta.main) {
  const [kind, portText = "0"] = Deno.args;
  const port = Number(portText);
  if (kind === "ours") {
    const server = new ThreadingHTTPServer(
      ["127.0.0.1", port],
      helloHandler(BODY),
    );
    announce(...server.server_address);
    await server.serve_forever();
  } else if (kind === "bare" || kind === "bare-headers") {
    const headers: Record<string, string> = { "Content-Type": "text/plain" };
    if (kind === "bare-headers") {
      headers["Server"] = `BaseHTTP/0.6 Deno/${Deno.version.deno}`;
    }
    const server = Deno.serve(
      { hostname: "127.0.0.1", port, onListen() {} },
      () => new Response(BODY, { headers }),
    );
    announce(server.addr.hostname, server.addr.port);
  } else if (kind === "floor") {
    await serveFloor(port);
  } else {
    console.error(
      "usage: _engine_hello.ts ours|bare|bare-headers|floor [port]",
    );
    Deno.exit(2);
  }
}

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
 *
 * Both print Python's startup line, so the benchmark starts them alike.
 *
 *     deno run -A bench/_engine_hello.ts ours|bare|bare-headers [port]
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
  } else {
    console.error("usage: _engine_hello.ts ours|bare|bare-headers [port]");
    Deno.exit(2);
  }
}

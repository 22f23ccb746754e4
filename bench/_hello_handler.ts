/**
 * The benchmark's "Hello World" `BaseHTTPRequestHandler`: Python's tutorial
 * handler, kept quiet (no per-request log line) so it measures the handler
 * machinery, not stderr. HTTP/1.1 so the load generator keeps connections.
 *
 *     deno run -A bench/_hello_handler.ts [port] [-b ADDRESS]
 *
 * @module
 */

import {
  BaseHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../http_server/mod.ts";

const BODY = new TextEncoder().encode("Hello World");

/**
 * Python's tutorial handler answering every GET with `body` as text/plain,
 * with HTTP/1.1 keep-alive and no log line.
 */
export function helloHandler(body: Uint8Array): typeof BaseHTTPRequestHandler {
  return class Hello extends BaseHTTPRequestHandler {
    override protocol_version = "HTTP/1.1";

    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-Type", "text/plain");
      this.send_header("Content-Length", String(body.length));
      this.end_headers();
      this.wfile.write(body);
    }

    override log_message(): void {}
  };
}

if (import.meta.main) {
  let port = 8000;
  let host = "127.0.0.1";
  for (let i = 0; i < Deno.args.length; i++) {
    const a = Deno.args[i]!;
    if (a === "-b") host = Deno.args[++i]!;
    else if (/^\d+$/.test(a)) port = Number(a);
  }
  // As Python's own benchmark server: a plain HTTPServer serves one
  // kept-alive connection at a time.
  const server = new ThreadingHTTPServer([host, port], helloHandler(BODY));
  const [name, bound] = server.server_address;
  console.log(
    `Serving HTTP on ${name} port ${bound} (http://${name}:${bound}/) ...`,
  );
  await server.serve_forever();
}

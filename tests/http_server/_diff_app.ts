/**
 * The TypeScript half of the differential app test: a
 * BaseHTTPRequestHandler app written as its Python twin in
 * `app_differential_test.ts` is written, line for line. Run it as a script
 * to serve it on 127.0.0.1 (port 0 picks one); it prints Python's startup
 * line.
 *
 *     deno run -A tests/http_server/_diff_app.ts [port]
 *
 * @module
 */
import {
  BaseHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";

const encoder = new TextEncoder();

/** The app: request details, a custom reason, raw bytes, an echoed body. */
export class App extends BaseHTTPRequestHandler {
  override protocol_version = "HTTP/1.1";
  override server_version = "App/1.0";

  #reply(code: number, reason: string | null, text: string): void {
    const body = encoder.encode(text);
    this.send_response(code, reason);
    this.send_header("Content-Type", "text/plain; charset=utf-8");
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }

  do_GET(): void {
    if (this.path.startsWith("/info")) {
      const multi = this.headers.get_all("X-Multi") ?? [];
      this.#reply(
        200,
        null,
        `${this.command}|${this.path}|${this.request_version}|${
          multi.join(";")
        }|${this.headers.get("Host", "-")}|${
          this.close_connection ? "closing" : "keeping"
        }\n`,
      );
    } else if (this.path === "/teapot") {
      this.#reply(418, "Short And Stout", "I'm a teapot\n");
    } else if (this.path === "/raw") {
      this.send_response_only(200, "Raw Deal");
      this.send_header("X-Raw", "yes");
      this.end_headers();
      this.wfile.write(new Uint8Array([0, 1, 98, 105, 110, 0xff, 10]));
      this.close_connection = true;
    } else {
      this.send_error(404, "Nothing here", `no route for ${this.path}`);
    }
  }

  async do_POST(): Promise<void> {
    const length = Number(this.headers.get("Content-Length", "0"));
    const body = await this.rfile.read(length);
    const text = new TextDecoder().decode(body);
    this.#reply(201, "Stored", `${length}:${text.toUpperCase()}\n`);
  }
}

if (import.meta.main) {
  const server = new ThreadingHTTPServer(
    ["127.0.0.1", Number(Deno.args[0] ?? "0")],
    App,
  );
  const [host, port] = server.server_address;
  console.log(
    `Serving HTTP on ${host} port ${port} (http://${host}:${port}/) ...`,
  );
  await server.serve_forever();
}

/**
 * The "Hello World" server of Python's http.server tutorials, in TypeScript:
 * GET answers "Hello World", POST echoes the submitted form back.
 *
 * Run it, then open http://127.0.0.1:8000/ or post a form to it:
 *
 *     deno run --allow-net examples/hello_server.ts [port]
 *     deno run --allow-net jsr:@pyport/web/examples/hello_server [port]
 *     curl -d "name=Ada&lang=py" http://127.0.0.1:8000/
 *
 * The Python original:
 *
 *     class SampleGet(BaseHTTPRequestHandler):
 *         def do_GET(self): ...
 *     HTTPServer(("", 8000), SampleGet).serve_forever()
 *
 * Unlike the original, it listens on 127.0.0.1 only (not every interface),
 * answers POST (the original has no `do_POST`, so it answers 501), prints
 * where it listens, as `python -m http.server` does, and ends quietly on
 * Ctrl-C instead of with a traceback.
 *
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";

const encoder = new TextEncoder();

/** Answers GET with "Hello World" and POST with the form it received. */
export class SampleGet extends BaseHTTPRequestHandler {
  /** Sends "Hello World" as UTF-8 HTML, as the tutorial does. */
  do_GET(): void {
    const body = encoder.encode("Hello World");
    this.send_response(200);
    this.send_header("Content-type", "text/html;charset=UTF-8");
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }

  /** Reads the posted form (`Content-Length` bytes) and sends it back. */
  async do_POST(): Promise<void> {
    const length = Number(this.headers.get("Content-Length") ?? "0");
    const form = await this.rfile.read(length);
    this.send_response(200);
    this.send_header(
      "Content-type",
      this.headers.get("Content-Type") ?? "application/octet-stream",
    );
    this.send_header("Content-Length", String(form.length));
    this.end_headers();
    this.wfile.write(form);
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? "8000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`usage: hello_server.ts [port]: no port: ${Deno.args[0]}`);
    Deno.exit(2);
  }
  const server = new HTTPServer(["127.0.0.1", port], SampleGet);
  const [host, bound] = server.server_address;
  console.log(
    `Serving HTTP on ${host} port ${bound} (http://${host}:${bound}/) ...`,
  );
  Deno.addSignalListener("SIGINT", () => {
    console.log("\nKeyboard interrupt received, exiting.");
    Deno.exit(0);
  });
  await server.serve_forever();
}

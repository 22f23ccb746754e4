/**
 * The tutorials' "Hello World" server on every CPU core: several processes
 * share one port, and Linux spreads the connections among them. Each answer
 * names the process that served it.
 *
 *     deno run --allow-net --allow-run examples/workers_server.ts [port] [workers]
 *     deno run --allow-net --allow-run jsr:@pyport/web/examples/workers_server [port] [workers]
 *
 * `workers` is a number or `auto` (one per CPU, the default). One line is
 * logged per request, by whichever worker served it; Ctrl-C stops them
 * all. Linux only (the workers need Deno's `--unstable-net`, which
 * `serve_workers` gives them).
 *
 * Python has no equivalent in `http.server`; the closest is running one
 * `HTTPServer` per process behind a load balancer.
 *
 * @module
 */
import { BaseHTTPRequestHandler, serve_workers } from "@pyport/web/http/server";

const encoder = new TextEncoder();

/** Answers GET with "Hello World" and the id of the worker process. */
export class Hello extends BaseHTTPRequestHandler {
  /** Sends the greeting as plain text. */
  do_GET(): void {
    const body = encoder.encode(`Hello World from process ${Deno.pid}\n`);
    this.send_response(200);
    this.send_header("Content-type", "text/plain");
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8000);
  const workers = Deno.args[1] === undefined || Deno.args[1] === "auto"
    ? "auto"
    : Number(Deno.args[1]);
  if (
    !Number.isInteger(port) || port < 0 || port > 65535 ||
    (workers !== "auto" && (!Number.isInteger(workers) || workers < 1))
  ) {
    console.error(
      `usage: workers_server.ts [port] [workers]: port 0-65535, workers a number or auto, not ${
        Deno.args.join(" ")
      }`,
    );
    Deno.exit(2);
  }
  // In each worker this call serves until the worker is stopped; here, in
  // the supervising process, it returns once all of them listen.
  const group = await serve_workers(["127.0.0.1", port], Hello, { workers });
  const [host, bound] = group.server_address;
  console.log(`Started ${group.pids.length} workers: ${group.pids.join(", ")}`);
  console.log(
    `Serving HTTP on ${host} port ${bound} (http://${host}:${bound}/) ...`,
  );
  Deno.exit(await group.serve_forever());
}

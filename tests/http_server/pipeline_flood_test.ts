// Our own tests (no CPython source): a pipelining flood must not starve
// the server's other clients.
import { ok } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";
import { deadline, within } from "../_server.ts";

class Hello extends BaseHTTPRequestHandler {
  override protocol_version = "HTTP/1.1";
  do_GET(): void {
    this.send_response(200);
    this.send_header("Content-Length", "5");
    this.end_headers();
    this.wfile.write(new TextEncoder().encode("hello"));
  }
  override log_message(): void {}
}

class QuietServer extends ThreadingHTTPServer {
  // The flooding clients leave without reading: their resets are expected.
  override handle_error(): void {}
}

async function firstBytes(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(64);
  const n = await conn.read(buf);
  return new TextDecoder().decode(buf.subarray(0, n ?? 0));
}

// Found by flooding `serve -p HTTP/1.1` with 100 connections, each sending
// 30,000 pipelined GETs in one write and reading nothing: the requests
// already read were answered one after another without the event loop
// turning, so a new client waited 10 to 17 s for its answer, until the
// flood's responses had filled every socket's send buffer (Python's
// threaded server answered it in 0.05 s).
Deno.test(
  "a pipelining flood that reads nothing does not hold off another client",
  deadline(async () => {
    await using server = new QuietServer(["127.0.0.1", 0], Hello);
    const done = server.serve_forever();
    const address = { hostname: "127.0.0.1", port: server.server_port };
    // The flood comes from another process, as it would: a client in this
    // one would wait for the same event loop.
    const flooder = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `
      const flood = new TextEncoder().encode(
        "GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n".repeat(30000));
      const conns = [];
      for (let i = 0; i < 100; i++) {
        const conn = await Deno.connect(${JSON.stringify(address)});
        conns.push(conn);
        conn.write(flood).catch(() => {});
      }
      console.log("flooding");
      await new Promise((r) => setTimeout(r, 30000));
    `,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = flooder.stdout.getReader();
      await within(reader.read(), 10_000, "the flooder's start");
      reader.releaseLock();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const conn = await Deno.connect(address);
      try {
        await conn.write(
          new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"),
        );
        const head = await within(
          firstBytes(conn),
          3_000,
          "another client's answer",
        );
        ok(head.startsWith("HTTP/1.1 200 OK"), head);
      } finally {
        conn.close();
      }
      const took = performance.now() - started;
      ok(took < 3_000, `another client waited ${Math.round(took)} ms`);
    } finally {
      flooder.kill();
      await flooder.stdout.cancel().catch(() => {});
      await flooder.status;
      await server.shutdown();
      await done;
    }
  }, 40_000),
);

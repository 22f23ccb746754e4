/**
 * Handlers written the way Python tutorials write them (an event stream, a
 * long poll), run on our server and, where CPython 3.13 is present, as their
 * Python twins, with a raw client that records when each byte arrives. What
 * they showed, in Python's order: the head of a response leaves when
 * `end_headers()` is called, whatever the handler waits for next, and a send
 * that fails under the handler's last write is reported to `handle_error`.
 */
import { equal, match, ok } from "node:assert/strict";
import { havePython313, PYTHON, PYTHON_ENV } from "../_python.ts";
import { deadline, withHTTPServer, within } from "../_server.ts";
import { spawnServer } from "./_diff_server.ts";
import {
  BaseHTTPRequestHandler,
  type CopySource,
  SimpleHTTPRequestHandler,
} from "../../http_server/mod.ts";

const havePython = havePython313();
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One read from the socket: when (ms after connecting) and what. */
interface Arrival {
  at: number;
  text: string;
}

/**
 * Sends `raw` and records every read until the server closes, `stopWhen`
 * says the client has seen enough (it then closes its side), or 3 s pass.
 */
async function arrivals(
  port: number,
  raw: string,
  stopWhen: (text: string) => boolean = () => false,
): Promise<Arrival[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const start = performance.now();
  const got: Arrival[] = [];
  try {
    await conn.write(encoder.encode(raw));
    const buffer = new Uint8Array(16 * 1024);
    let text = "";
    while (!stopWhen(text)) {
      const n = await within(conn.read(buffer), 3000, "reading the answer");
      if (n === null) break;
      const piece = new TextDecoder().decode(buffer.subarray(0, n));
      got.push({ at: performance.now() - start, text: piece });
      text += piece;
    }
  } finally {
    conn.close();
  }
  return got;
}

// An event stream whose head goes first and whose event comes after a wait
// (a long poll that answers with its head at once is the same shape).
const PY_HEAD_FIRST = `
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

class Events(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        time.sleep(0.6)
        self.wfile.write(b"data: 1\\n\\n")

    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Events)
host, port = server.server_address
print(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...", flush=True)
server.serve_forever()
`;

class HeadFirst extends BaseHTTPRequestHandler {
  async do_GET(): Promise<void> {
    this.send_response(200);
    this.send_header("Content-Type", "text/event-stream");
    this.end_headers();
    await sleep(600);
    this.wfile.write(encoder.encode("data: 1\n\n"));
  }
  override log_message(): void {}
}

/** The head arrives at once and alone; the event after the wait. */
function checkHeadFirst(got: Arrival[], who: string): void {
  ok(got.length >= 2, `${who}: ${JSON.stringify(got)}`);
  match(got[0]!.text, /^HTTP\/1\.0 200 OK\r\n[^]*\r\n\r\n$/, who);
  ok(got[0]!.at < 300, `${who}: the head came after ${got[0]!.at} ms`);
  equal(got.slice(1).map((a) => a.text).join(""), "data: 1\n\n", who);
  ok(got[1]!.at >= 500, `${who}: the event came after ${got[1]!.at} ms`);
}

Deno.test(
  "an event stream's head reaches the client before the handler's first wait ends",
  deadline(async () => {
    await withHTTPServer(HeadFirst, async (_base, server) => {
      const got = await arrivals(server.server_port, "GET / HTTP/1.0\r\n\r\n");
      checkHeadFirst(got, "ours");
    });
  }),
);

Deno.test(
  "a SimpleHTTPRequestHandler whose send_head waits after end_headers: its head is not held for the wait either (only the package's own file serving sends head and body together unbounded)",
  deadline(async () => {
    class SlowBody extends SimpleHTTPRequestHandler {
      override async send_head(): Promise<CopySource | null> {
        this.send_response(200);
        this.send_header("Content-Type", "text/event-stream");
        this.end_headers();
        await sleep(600);
        return encoder.encode("data: 1\n\n");
      }
      override log_message(): void {}
    }
    await withHTTPServer(SlowBody, async (_base, server) => {
      const got = await arrivals(server.server_port, "GET / HTTP/1.0\r\n\r\n");
      checkHeadFirst(got, "ours");
    });
  }),
);

Deno.test({
  name: "an event stream's head goes first: CPython 3.13 sends it so",
  ignore: !havePython,
  fn: deadline(async () => {
    await using py = await spawnServer(
      "python",
      PYTHON,
      ["-u", "-c", PY_HEAD_FIRST],
      { ...PYTHON_ENV },
    );
    const got = await arrivals(py.port, "GET / HTTP/1.0\r\n\r\n");
    checkHeadFirst(got, "CPython");
  }),
});

// An event stream whose reader leaves: the next event is taken by the
// system (the client answers it with a reset), the last one fails, and the
// handler returns without awaiting it.
const PY_READER_LEAVES = `
import sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

class Events(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(b"data: 0\\n\\n")
        self.wfile.flush()
        time.sleep(0.3)
        self.wfile.write(b"data: 1\\n\\n")
        self.wfile.flush()
        time.sleep(0.2)
        self.wfile.write(b"event: done\\ndata: bye\\n\\n")

    def log_message(self, *args):
        pass

class Server(HTTPServer):
    def handle_error(self, request, client_address):
        print("handle_error:", sys.exc_info()[0].__name__, file=sys.stderr, flush=True)

server = Server(("127.0.0.1", 0), Events)
host, port = server.server_address
print(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...", flush=True)
server.serve_forever()
`;

class ReaderLeaves extends BaseHTTPRequestHandler {
  async do_GET(): Promise<void> {
    this.send_response(200);
    this.send_header("Content-Type", "text/event-stream");
    this.end_headers();
    this.wfile.write(encoder.encode("data: 0\n\n"));
    await this.wfile.flush();
    await sleep(300);
    this.wfile.write(encoder.encode("data: 1\n\n"));
    await this.wfile.flush();
    await sleep(200);
    this.wfile.write(encoder.encode("event: done\ndata: bye\n\n"));
  }
  override log_message(): void {}
}

const firstEvent = (text: string) => text.includes("data: 0\n\n");

Deno.test(
  "a last write that fails after the event stream's reader left is reported to handle_error",
  deadline(async () => {
    await withHTTPServer(ReaderLeaves, async (_base, server) => {
      const reported: unknown[] = [];
      server.handle_error = (_request, _client, error) => {
        reported.push(error);
      };
      await arrivals(server.server_port, "GET / HTTP/1.0\r\n\r\n", firstEvent);
      for (let i = 0; i < 40 && reported.length === 0; i++) await sleep(50);
      equal(reported.length, 1, "handle_error was not called");
      const error = reported[0];
      ok(
        error instanceof Deno.errors.BrokenPipe ||
          error instanceof Deno.errors.ConnectionReset,
        `reported: ${error}`,
      );
    });
  }),
);

Deno.test({
  name:
    "a last write that fails after the reader left: CPython 3.13 reports it",
  ignore: !havePython,
  fn: deadline(async () => {
    await using py = await spawnServer(
      "python",
      PYTHON,
      ["-u", "-c", PY_READER_LEAVES],
      { ...PYTHON_ENV },
    );
    await arrivals(py.port, "GET / HTTP/1.0\r\n\r\n", firstEvent);
    for (let i = 0; i < 40 && !py.stderr().includes("\n"); i++) {
      await sleep(50);
    }
    match(
      py.stderr(),
      /^handle_error: (BrokenPipeError|ConnectionResetError)\n$/,
    );
  }),
});

/**
 * BaseServer's loop, ported from CPython 3.13
 * `Lib/test/test_socketserver.py`: test_shutdown (20 servers shut down as
 * soon as they serve) and `ErrorHandlerTest.test_sync_handled`; plus the
 * rest of the contract: shutdown semantics, handle_request with a timeout,
 * serve_forever re-entry, the process_request / verify_request /
 * shutdown_request hooks, service_actions, and Python's error report.
 *
 * Left out: test_sync_not_handled (JavaScript has no SystemExit or
 * KeyboardInterrupt that bypasses `except Exception`: every throw reaches
 * `handle_error`).
 */
import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import { BaseHTTPRequestHandler, HTTPServer } from "../../http_server/mod.ts";
import {
  type Address,
  BaseRequestHandler,
  type StreamConnection,
  StreamRequestHandler,
  TCPServer,
} from "../../socketserver/mod.ts";
import { printedAddress } from "../../socketserver/_address.ts";
import { within } from "../_server.ts";
import {
  connect,
  decoder,
  echoOnce,
  encoder,
  LineEcho,
  MOD_URL,
  readAll,
  readUntil,
  runScript,
  serverTest,
  sleep,
} from "./_helpers.ts";

serverTest(
  "server_close() returns a promise, as the README says, so .then() works (a TCPServer's returned undefined)",
  async () => {
    const server = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
    const closed = server.server_close();
    ok(closed instanceof Promise);
    let done = false;
    await closed!.then(() => done = true);
    ok(done);
  },
);

serverTest(
  "test_shutdown: shutdown() always makes serve_forever() return",
  async () => {
    const servers = Array.from(
      { length: 20 },
      () => new TCPServer(["127.0.0.1", 0], StreamRequestHandler),
    );
    const loops = servers.map((s) => s.serve_forever({ poll_interval: 0.01 }));
    await Promise.all(servers.map((s) => s.shutdown()));
    await Promise.all(loops);
    await Promise.all(servers.map((s) => s.server_close()));
  },
);

serverTest(
  "shutdown() resolves at once when not serving (the next serve_forever() returns at once, as Python's), and after the loop ended when serving",
  async () => {
    await using server = new TCPServer(["127.0.0.1", 0], LineEcho);
    await server.shutdown();
    await within(server.serve_forever(0.01), 1000, "serve_forever()");
    let ended = false;
    const loop = server.serve_forever().then(() => ended = true);
    equal(await echoOnce(server.server_address, "a\n"), "a\n");
    await server.shutdown();
    equal(ended, true);
    await loop;
  },
);

serverTest(
  "shutdown() lets the request in hand finish first (a plain server)",
  async () => {
    const events: string[] = [];
    let shutdownDone!: Promise<void>;
    class Slow extends StreamRequestHandler {
      override async handle(): Promise<void> {
        // Awaited from inside a handler (Python would deadlock): the loop
        // waits for this handler, so shutdown() does not wait for the loop.
        shutdownDone = this.server.shutdown();
        await shutdownDone;
        events.push("shutdown resolved");
        await sleep(20);
        events.push("handler done");
        this.wfile.write("bye\n");
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Slow);
    const loop = server.serve_forever(0.01).then(() => {
      events.push("loop ended");
    });
    using conn = await connect(server.server_address);
    equal(await readUntil(conn, "\n"), "bye\n");
    await loop;
    await shutdownDone;
    deepEqual(events, ["shutdown resolved", "handler done", "loop ended"]);
  },
);

serverTest(
  "an error a get_request override raises ends handle_request() and serve_forever(), as Python's; a synchronous one does not jam the next call",
  async () => {
    let fail: "async" | "sync" | null = "async";
    class Failing extends TCPServer {
      protected override get_request(): Promise<[StreamConnection, Address]> {
        if (fail === "sync") throw new RangeError("bad, at once");
        const request = super.get_request();
        if (fail === "async") {
          return request.then(() => {
            throw new RangeError("bad");
          });
        }
        return request;
      }
    }
    await using server = new Failing(["127.0.0.1", 0], LineEcho);
    const open = () => connect(server.server_address);
    using _first = await open();
    await rejects(server.handle_request(), /^RangeError: bad$/);
    using _second = await open();
    await rejects(server.serve_forever(0.01), /^RangeError: bad$/);
    fail = "sync";
    await rejects(server.handle_request(), /bad, at once/);
    fail = null;
    const handled = server.handle_request();
    equal(await echoOnce(server.server_address, "after\n"), "after\n");
    await handled;
  },
);

serverTest(
  "an accept that fails as the system fails (out of file descriptors: an unnamed os error) is skipped, as Python skips an OSError",
  async () => {
    let failures = 1;
    class Exhausted extends TCPServer {
      protected override async get_request(): Promise<
        [StreamConnection, Address]
      > {
        const request = await super.get_request();
        if (failures-- > 0) {
          request[0].close();
          throw new Error("Too many open files (os error 24)");
        }
        return request;
      }
    }
    await using server = new Exhausted(["127.0.0.1", 0], LineEcho);
    const serving = server.serve_forever(0.01);
    using _lost = await connect(server.server_address);
    equal(await echoOnce(server.server_address, "still\n"), "still\n");
    await server.shutdown();
    await serving;
  },
);

serverTest(
  "shutdown() from elsewhere waits for the request in hand, then the loop (a plain server)",
  async () => {
    const events: string[] = [];
    let started!: () => void;
    const handling = new Promise<void>((resolve) => started = resolve);
    class Slow extends StreamRequestHandler {
      override async handle(): Promise<void> {
        started();
        await sleep(100);
        this.wfile.write("bye\n");
        events.push("handler done");
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Slow);
    const loop = server.serve_forever(0.01).then(() => {
      events.push("loop ended");
    });
    using conn = await connect(server.server_address);
    await handling;
    await server.shutdown();
    events.push("shutdown resolved");
    deepEqual(events, ["handler done", "loop ended", "shutdown resolved"]);
    equal(await readUntil(conn, "\n"), "bye\n");
    await loop;
  },
);

serverTest(
  "serve_forever() twice at once is refused; after shutdown it can serve again",
  async () => {
    await using server = new TCPServer(["127.0.0.1", 0], LineEcho);
    const first = server.serve_forever(0.01);
    await rejects(
      server.serve_forever(),
      /serve_forever\(\) is already running/,
    );
    equal(await echoOnce(server.server_address, "one\n"), "one\n");
    await server.shutdown();
    await first;
    // A connection made while nobody serves waits in the queue for the next
    // loop, including an accept that lost its race with shutdown().
    const waiting = echoOnce(server.server_address, "queued\n");
    await sleep(20);
    const second = server.serve_forever(0.01);
    equal(await waiting, "queued\n");
    equal(await echoOnce(server.server_address, "two\n"), "two\n");
    await server.shutdown();
    await second;
  },
);

serverTest(
  "handle_request() with a timeout calls handle_timeout() and returns",
  async () => {
    const calls: string[] = [];
    class Timed extends TCPServer {
      static {
        Object.assign(this.prototype, { timeout: 0.05 });
      }
      override handle_timeout(): void {
        calls.push("timeout");
      }
    }
    await using server = new Timed(["127.0.0.1", 0], LineEcho);
    const started = Date.now();
    await server.handle_request();
    ok(Date.now() - started >= 40);
    deepEqual(calls, ["timeout"]);
    // A request that comes within the timeout is handled instead.
    const reply = echoOnce(server.server_address, "in time\n");
    await server.handle_request();
    equal(await reply, "in time\n");
    deepEqual(calls, ["timeout"]);
  },
);

serverTest(
  "handle_request() without a timeout waits for the request",
  async () => {
    await using server = new TCPServer(["127.0.0.1", 0], LineEcho);
    equal(server.timeout, null);
    const handled = server.handle_request();
    await sleep(30);
    equal(await echoOnce(server.server_address, "late\n"), "late\n");
    await handled;
  },
);

serverTest(
  "test_sync_handled: handle_error is called, the connection closed, and serving goes on",
  async () => {
    const log: string[] = [];
    class BadHandler extends StreamRequestHandler {
      override async handle(): Promise<void> {
        const line = decoder.decode(await this.rfile.readline());
        log.push("Handler called");
        if (line === "fail\n") throw new TypeError("Test error");
        this.wfile.write(line);
      }
    }
    class Server extends TCPServer {
      override handle_error(
        request: StreamConnection | null,
        client: Address | null,
        error?: unknown,
      ): void {
        ok(request !== null);
        equal((client as [string, number])[0], "127.0.0.1");
        equal((error as Error).message, "Test error");
        log.push("Error handled");
      }
    }
    await using server = new Server(["127.0.0.1", 0], BadHandler);
    const loop = server.serve_forever(0.01);
    {
      using conn = await connect(server.server_address);
      await conn.write(encoder.encode("fail\n"));
      equal(await readAll(conn), "");
    }
    equal(
      await echoOnce(server.server_address, "still here\n"),
      "still here\n",
    );
    await server.shutdown();
    await loop;
    deepEqual(log, ["Handler called", "Error handled", "Handler called"]);
  },
);

serverTest(
  "the hooks run in Python's order: verify_request, process_request, finish_request, shutdown_request, service_actions",
  async () => {
    const calls: string[] = [];
    class Hooked extends TCPServer {
      override verify_request(request: StreamConnection, client: Address) {
        calls.push("verify_request");
        return super.verify_request(request, client);
      }
      override async process_request(
        request: StreamConnection,
        client: Address,
      ) {
        calls.push("process_request");
        await super.process_request(request, client);
      }
      override async finish_request(
        request: StreamConnection,
        client: Address,
      ) {
        calls.push("finish_request");
        await super.finish_request(request, client);
      }
      override async shutdown_request(request: StreamConnection) {
        calls.push("shutdown_request");
        await super.shutdown_request(request);
      }
      override service_actions(): void {
        calls.push("service_actions");
      }
    }
    class Handler extends BaseRequestHandler<StreamConnection> {
      override setup(): void {
        calls.push("setup");
      }
      override handle(): void {
        calls.push("handle");
      }
      override finish(): void {
        calls.push("finish");
      }
    }
    await using server = new Hooked(["127.0.0.1", 0], Handler);
    const loop = server.serve_forever(0.01);
    {
      using conn = await connect(server.server_address);
      equal(await readAll(conn), "");
    }
    await server.shutdown();
    await loop;
    const start = calls.indexOf("verify_request");
    deepEqual(
      calls.slice(start, start + 8),
      [
        "verify_request",
        "process_request",
        "finish_request",
        "setup",
        "handle",
        "finish",
        "shutdown_request",
        "service_actions",
      ],
    );
  },
);

serverTest(
  "service_actions() runs every poll_interval while idle",
  async () => {
    let count = 0;
    class Ticking extends TCPServer {
      override service_actions(): void {
        count++;
      }
    }
    await using server = new Ticking(["127.0.0.1", 0], LineEcho);
    const loop = server.serve_forever(0.01);
    await sleep(100);
    await server.shutdown();
    await loop;
    ok(count >= 3, `service_actions ran ${count} times`);
  },
);

serverTest(
  "the default handle_error prints Python's dashed block on stderr",
  async () => {
    const script = `
    import { StreamRequestHandler, TCPServer } from "${MOD_URL}";
    class Bad extends StreamRequestHandler {
      handle() { throw new RangeError("boom"); }
    }
    const server = new TCPServer(["127.0.0.1", 0], Bad);
    const [, port] = server.server_address;
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    await server.handle_request();
    await server.server_close();
  `;
    const { code, stderr } = await runScript(script);
    equal(code, 0, stderr);
    const rule = "-".repeat(40);
    match(
      stderr,
      new RegExp(
        `^${rule}\nException occurred during processing of request from \\('127\\.0\\.0\\.1', \\d+\\)\nTraceback \\(most recent call last\\):\nRangeError: boom\n[^]*\n${rule}\n$`,
      ),
    );
  },
  { timeoutMs: 30_000 },
);

serverTest(
  "a long-running serve_forever() keeps nothing per connection served",
  async () => {
    // Each wait for a connection once raced the accept against a promise
    // that lived as long as the loop, leaving a reaction on it for every
    // connection: about 1.3 KiB each, for ever.
    const script = `
    import { StreamRequestHandler, ThreadingTCPServer } from "${MOD_URL}";
    class Hi extends StreamRequestHandler {
      handle() { this.wfile.write("hi\\n"); }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Hi);
    const [, port] = server.server_address;
    const loop = server.serve_forever();
    const buffer = new Uint8Array(16);
    async function connections(count) {
      for (let i = 0; i < count; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        while ((await conn.read(buffer)) !== null);
        conn.close();
      }
    }
    function heap() {
      globalThis.gc();
      return Deno.memoryUsage().heapUsed;
    }
    await connections(200);
    const before = heap();
    await connections(2000);
    console.log(Math.round((heap() - before) / 2000));
    await server.shutdown();
    await server.server_close();
    await loop;
  `;
    const { code, stdout, stderr } = await runScript(script, ["--expose-gc"]);
    equal(code, 0, stderr);
    const perConnection = Number(stdout.trim());
    ok(
      perConnection < 200,
      `the heap grew by ${perConnection} bytes per connection`,
    );
  },
  { timeoutMs: 30_000 },
);

serverTest(
  "a connection accepted after shutdown() is closed by server_close(), not left hanging",
  async () => {
    const server = new TCPServer(["127.0.0.1", 0], LineEcho);
    const loop = server.serve_forever();
    await server.shutdown();
    await loop;
    // The loop's last accept is still waiting: it takes this connection.
    const conn = await connect(server.server_address);
    await sleep(50);
    await server.server_close();
    const buffer = new Uint8Array(16);
    const read = await Promise.race([
      conn.read(buffer),
      sleep(2000).then(() => "still open"),
    ]);
    conn.close();
    equal(read, null);
  },
);

serverTest(
  "serving a closed server is an error, as in Python (ValueError: Invalid file descriptor)",
  async () => {
    const server = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
    await server.server_close();
    await rejects(
      server.handle_request(),
      new TypeError("handle_request() on a server that is closed or not bound"),
    );
    await rejects(
      server.serve_forever(),
      new TypeError("serve_forever() on a server that is closed or not bound"),
    );
  },
);

Deno.test("handle_error names the client as Python's print shows it: a tuple's repr, a Unix path as it is", () => {
  equal(printedAddress(["127.0.0.1", 5000]), "('127.0.0.1', 5000)");
  equal(printedAddress(""), "");
  equal(printedAddress("/tmp/s.sock"), "/tmp/s.sock");
  equal(printedAddress(null), "None");
});

serverTest(
  "handle_request() calls at once each get a request of their own, and one beside serve_forever() leaves shutdown() able to stop the loop",
  async () => {
    await using server = new TCPServer(["127.0.0.1", 0], LineEcho);
    // Two at once, as two Python threads calling it: each serves a client.
    const handled: string[] = [];
    const first = server.handle_request().then(() => handled.push("first"));
    const second = server.handle_request().then(() => handled.push("second"));
    equal(await echoOnce(server.server_address, "a\n"), "a\n");
    equal(await echoOnce(server.server_address, "b\n"), "b\n");
    await within(Promise.all([first, second]), 2000, "both handle_request()");
    deepEqual(handled, ["first", "second"]);
    // Beside a running loop: two clients, one for each; then shutdown().
    const loop = server.serve_forever(0.01);
    await sleep(20);
    const one = server.handle_request();
    equal(await echoOnce(server.server_address, "c\n"), "c\n");
    equal(await echoOnce(server.server_address, "d\n"), "d\n");
    await within(one, 2000, "handle_request()");
    await within(server.shutdown(), 2000, "shutdown()");
    await loop;
  },
);

serverTest(
  "serve_forever(poll_interval=0.5) refuses an unknown keyword or a second argument, before serving (HTTPServer's too)",
  async () => {
    const servers = [
      new TCPServer(["127.0.0.1", 0], StreamRequestHandler),
      new HTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler),
    ];
    try {
      for (const server of servers) {
        const serve = server.serve_forever as (
          ...a: unknown[]
        ) => Promise<void>;
        // A misspelt poll_interval would otherwise serve on at 0.5 s.
        await rejects(
          within(
            serve.call(server, { poll_intervall: 0.01 }),
            1000,
            "serve_forever",
          ),
          {
            name: "TypeError",
            message:
              /serve_forever\(\) got an unexpected keyword argument 'poll_intervall'/,
          },
        );
        await rejects(
          within(serve.call(server, 0.01, 1), 1000, "serve_forever"),
          {
            name: "TypeError",
            message: /serve_forever\(\) takes at most 1 optional argument/,
          },
        );
      }
    } finally {
      for (const server of servers) await server.server_close();
    }
  },
);

serverTest(
  "HTTPServer(server_address, RequestHandlerClass, bind_and_activate=True) refuses a fourth argument, as TCPServer does, instead of binding",
  () => {
    const loose = HTTPServer as unknown as new (...a: unknown[]) => HTTPServer;
    throws(
      () =>
        new loose(["127.0.0.1", 0], BaseHTTPRequestHandler, false, {
          bind_and_activate: true,
        }),
      {
        name: "TypeError",
        message: /got multiple values for argument 'bind_and_activate'/,
      },
    );
    throws(
      () => new loose(["127.0.0.1", 0], BaseHTTPRequestHandler, false, 1),
      {
        name: "TypeError",
        message: /HTTPServer\(\) takes at most 1 optional argument/,
      },
    );
    return Promise.resolve();
  },
);

const HTTP_URL = new URL("../../http_server/mod.ts", import.meta.url).href;

// The README's way to stop on Ctrl-C (Python: `except KeyboardInterrupt`),
// in a process that sends itself SIGINT: serve_forever() returns with a
// browser-like connection kept alive and idle, then a waiting
// handle_request() ends; the code after each runs, and the exit is clean.
const CTRL_C = `
import { BaseHTTPRequestHandler, HTTPServer } from "${HTTP_URL}";
import { StreamRequestHandler, TCPServer } from "${MOD_URL}";
class Hello extends BaseHTTPRequestHandler {
  protocol_version = "HTTP/1.1";
  do_GET() {
    this.send_response(204);
    this.end_headers();
  }
  log_message() {}
}
const httpd = new HTTPServer(["127.0.0.1", 0], Hello);
Deno.addSignalListener("SIGINT", () => httpd.shutdown());
const conn = await Deno.connect({ hostname: "127.0.0.1", port: httpd.server_port });
await conn.write(new TextEncoder().encode("GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"));
setTimeout(async () => {
  await conn.read(new Uint8Array(1024));
  Deno.kill(Deno.pid, "SIGINT");
}, 100);
await httpd.serve_forever();
console.log("serve_forever returned");
await httpd.server_close();
conn.close();
const server = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
Deno.addSignalListener("SIGINT", () => server.server_close());
setTimeout(() => Deno.kill(Deno.pid, "SIGINT"), 100);
await server.handle_request();
console.log("handle_request returned");
`;

serverTest(
  "Ctrl-C, as the README stops on it: a SIGINT listener's shutdown() ends serve_forever() and its server_close() a waiting handle_request()",
  async () => {
    const run = await within(runScript(CTRL_C), 15_000, "the program");
    equal(run.code, 0, run.stderr);
    equal(run.stdout, "serve_forever returned\nhandle_request returned\n");
  },
  { timeoutMs: 20_000 },
);

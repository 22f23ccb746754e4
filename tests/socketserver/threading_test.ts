/**
 * ThreadingMixIn and the threading servers, ported from CPython 3.13
 * `Lib/test/test_socketserver.py`: test_ThreadingTCPServer,
 * test_ThreadingUnixStreamServer, test_close_immediately,
 * `ErrorHandlerTest.test_threading_handled`; plus `block_on_close` and
 * `daemon_threads` as honoured here, and concurrency itself.
 * (test_ThreadingUDPServer and test_ThreadingUnixDatagramServer are in
 * udp_server_test.ts.)
 *
 * Left out: test_threading_not_handled (JavaScript has no SystemExit or
 * KeyboardInterrupt that bypasses `except Exception`: every throw reaches
 * `handle_error`); test_threads_reaped (it inspects Python's private
 * `_threads` list; ours forgets each task as it ends and is private);
 * the Forking variants (Deno cannot fork).
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type Address,
  BaseRequestHandler,
  type StreamConnection,
  StreamRequestHandler,
  TCPServer,
  ThreadingMixIn,
  ThreadingTCPServer,
  ThreadingUnixStreamServer,
} from "../../socketserver/mod.ts";
import {
  connect,
  encoder,
  makeStreamServer,
  MOD_URL,
  readUntil,
  runScript,
  runServer,
  serverTest,
  sleep,
  streamExamine,
  tempDir,
} from "./_helpers.ts";

serverTest(
  "test_ThreadingTCPServer: three clients in turn, each echoed",
  async () => {
    const server = makeStreamServer(ThreadingTCPServer, ["127.0.0.1", 0]);
    await runServer(server as never, streamExamine);
  },
);

serverTest("test_ThreadingUnixStreamServer", async () => {
  await using dir = await tempDir();
  const server = makeStreamServer(
    ThreadingUnixStreamServer,
    `${dir.path}/s.sock`,
  );
  await runServer(server as never, streamExamine);
});

serverTest("test_close_immediately", async () => {
  class MyServer extends ThreadingMixIn(TCPServer) {}
  const server = new MyServer(["127.0.0.1", 0], class {} as never);
  await server.server_close();
  equal(server.socket, null);
});

serverTest(
  "a threading server whose bind fails throws the bind error (and closes)",
  async () => {
    await using first = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
    // The failed constructor calls server_close() before the mixin's own
    // fields exist; that must not turn into a second, unhandled error.
    throws(
      () => new ThreadingTCPServer(first.server_address, StreamRequestHandler),
      Deno.errors.AddrInUse,
    );
    await sleep(10);
  },
);

serverTest(
  "test_threading_handled: handle_error is called and the server goes on",
  async () => {
    const log: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => done = resolve);
    class BadHandler extends BaseRequestHandler<StreamConnection> {
      override handle(): void {
        log.push("Handler called");
        throw new TypeError("Test error");
      }
    }
    class ThreadingErrorTestServer extends ThreadingMixIn(TCPServer) {
      override handle_error(_r: unknown, _a: unknown, error?: unknown): void {
        equal((error as Error).message, "Test error");
        log.push("Error handled");
      }
      override async shutdown_request(
        request: StreamConnection,
      ): Promise<void> {
        await super.shutdown_request(request);
        done();
      }
    }
    const server = new ThreadingErrorTestServer(["127.0.0.1", 0], BadHandler);
    try {
      (await connect(server.server_address)).close();
      await server.handle_request();
    } finally {
      await server.server_close();
    }
    await finished;
    deepEqual(log, ["Handler called", "Error handled"]);
  },
);

/** A handler that holds its connection until the test releases it. */
function holdingHandler() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const events: string[] = [];
  class Hold extends StreamRequestHandler {
    override async handle(): Promise<void> {
      events.push("started");
      await released;
      events.push("ended");
    }
  }
  return { Hold, release, events };
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function startHeldRequest(
  server: TCPServer,
  events: string[],
): Promise<Deno.Conn> {
  const conn = await connect(server.server_address);
  await server.handle_request();
  while (!events.includes("started")) await sleep(1);
  return conn;
}

serverTest(
  "block_on_close (default): server_close() waits for running requests",
  async () => {
    const { Hold, release, events } = holdingHandler();
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Hold);
    equal(server.block_on_close, true);
    equal(server.daemon_threads, false);
    using _conn = await startHeldRequest(server, events);
    const closing = Promise.resolve(server.server_close());
    equal(await settlesWithin(closing, 50), false);
    release();
    await closing;
    deepEqual(events, ["started", "ended"]);
  },
);

serverTest(
  "block_on_close: server_close() awaited by requests waits for the others, not for themselves",
  async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => release = resolve);
    let go!: () => void;
    const accepted = new Promise<void>((resolve) => go = resolve);
    const events: string[] = [];
    // The first connection is held, the next two close the server from
    // their handler; Python's join of the current thread would raise.
    let served = 0;
    class CloseOrHold extends StreamRequestHandler {
      override async handle(): Promise<void> {
        if (served++ === 0) {
          events.push("started");
          await released;
          events.push("ended");
        } else {
          await accepted;
          await this.server.server_close();
          events.push("closed");
        }
      }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], CloseOrHold);
    const conns = [];
    for (let i = 0; i < 3; i++) {
      conns.push(await connect(server.server_address));
    }
    for (let i = 0; i < 3; i++) await server.handle_request();
    go();
    await sleep(20);
    deepEqual(events, ["started"]);
    release();
    const outside = Promise.resolve(server.server_close());
    equal(await settlesWithin(outside, 2000), true);
    deepEqual(events, ["started", "ended", "closed", "closed"]);
    for (const conn of conns) conn.close();
  },
);

serverTest(
  "block_on_close: server_close() from a timer a finished request started waits for the running requests only (it waited for ever)",
  async () => {
    let closing: Promise<void> | null = null;
    class Deferred extends StreamRequestHandler {
      override handle(): void {
        setTimeout(
          () => closing = Promise.resolve(this.server.server_close()),
          50,
        );
      }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Deferred);
    using _conn = await connect(server.server_address);
    await server.handle_request();
    while (closing === null) await sleep(5);
    equal(await settlesWithin(closing, 1000), true);
  },
);

serverTest(
  "block_on_close: a request closing its server does not let server_close() from outside return before it has ended",
  async () => {
    const events: string[] = [];
    let go!: () => void;
    const accepted = new Promise<void>((resolve) => go = resolve);
    let served = 0;
    class Handler extends StreamRequestHandler {
      override async handle(): Promise<void> {
        if (served++ === 0) {
          await accepted;
          await this.server.server_close();
          await sleep(300);
          events.push("closer ended");
        } else {
          await sleep(100);
          events.push("other ended");
        }
      }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Handler);
    using _a = await connect(server.server_address);
    using _b = await connect(server.server_address);
    await server.handle_request();
    await server.handle_request();
    go();
    await sleep(10);
    await server.server_close();
    deepEqual(events, ["other ended", "closer ended"]);
  },
);

for (
  const [name, attrs] of [
    ["daemon_threads = true", { daemon_threads: true }],
    ["block_on_close = false", { block_on_close: false }],
  ] as const
) {
  serverTest(`${name}: server_close() does not wait`, async () => {
    const { Hold, release, events } = holdingHandler();
    class Server extends ThreadingTCPServer {
      static {
        Object.assign(this.prototype, attrs);
      }
    }
    const server = new Server(["127.0.0.1", 0], Hold);
    using _conn = await startHeldRequest(server, events);
    equal(
      await settlesWithin(Promise.resolve(server.server_close()), 1000),
      true,
    );
    deepEqual(events, ["started"]);
    release();
    await sleep(10);
  });
}

serverTest(
  "each connection is its own task: the second client is served while the first waits",
  async () => {
    class Echo extends StreamRequestHandler {
      override async handle(): Promise<void> {
        for await (const line of this.rfile) this.wfile.write(line);
      }
    }
    await using server = new ThreadingTCPServer(["127.0.0.1", 0], Echo);
    const serving = server.serve_forever(0.01);
    const address: Address = server.server_address;
    using first = await connect(address);
    using second = await connect(address);
    await first.write(encoder.encode("first\n"));
    await second.write(encoder.encode("second\n"));
    equal(await readUntil(second, "\n"), "second\n");
    equal(await readUntil(first, "\n"), "first\n");
    await second.closeWrite();
    await first.closeWrite();
    await server.shutdown();
    await serving;
  },
);

serverTest(
  "test_threading_not_handled, in spirit: an error escaping a request task is reported, not fatal",
  async () => {
    // Python's thread prints it (threading.excepthook) and the server goes
    // on; an unhandled rejection here would end the whole process.
    const script = `
    import { StreamRequestHandler, ThreadingTCPServer } from "${MOD_URL}";
    class Bad extends StreamRequestHandler {
      async handle() {
        const line = new TextDecoder().decode(await this.rfile.readline());
        if (line === "fail\\n") throw new RangeError("in handler");
        this.wfile.write(line);
      }
    }
    class Server extends ThreadingTCPServer {
      handle_error(_r, _a, error) { throw new TypeError("handle_error gave up"); }
    }
    const server = new Server(["127.0.0.1", 0], Bad);
    const [, port] = server.server_address;
    const loop = server.serve_forever(0.01);
    const talk = async (text) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode(text));
      const buf = new Uint8Array(64);
      const n = await conn.read(buf);
      conn.close();
      return new TextDecoder().decode(buf.subarray(0, n ?? 0));
    };
    await talk("fail\\n");
    console.log(JSON.stringify(await talk("next\\n")));
    await server.shutdown();
    await loop;
    await server.server_close();
  `;
    const { code, stdout, stderr } = await runScript(script);
    equal(code, 0, stderr);
    equal(stdout, '"next\\n"\n');
    ok(
      stderr.startsWith(
        "Exception in thread process_request_thread:\nTypeError: handle_error gave up\n",
      ),
      stderr,
    );
  },
  { timeoutMs: 30_000 },
);

serverTest(
  "a process_request_thread override that throws at once is its thread's error, as in Python: reported, its client let go, and server_close() does not wait for it",
  async () => {
    class Refusing extends ThreadingTCPServer {
      override process_request_thread(): Promise<void> {
        throw new Error("refused by override");
      }
    }
    const server = new Refusing(["127.0.0.1", 0], StreamRequestHandler);
    const loop = server.serve_forever(0.01);
    const conn = await connect(server.server_address);
    try {
      equal(await conn.read(new Uint8Array(4)), null);
    } finally {
      conn.close();
    }
    await server.shutdown();
    await loop;
    ok(
      await settlesWithin(Promise.resolve(server.server_close()), 2000),
      "server_close() waits for a task that ended",
    );
  },
);

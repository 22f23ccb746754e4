/**
 * `urlopen(url, { signal })`, `OpenerDirector.open` and `urlretrieve`
 * with an AbortSignal: cancelled while connecting, in the TLS handshake,
 * waiting for headers, and mid-body, each time with the socket closed and
 * a URLError carrying the signal's reason. Every abort is triggered by an
 * event the server reports (never by a race against a clock).
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { URLError } from "../../../urllib/error.ts";
import {
  build_opener,
  Request,
  urlcleanup,
  urlopen,
  urlretrieve,
} from "../../../urllib/request/mod.ts";
import { startHostile } from "./_hostile.ts";

const OK = "HTTP/1.1 200 OK\r\n";

/** Asserts that `call` rejects with a URLError whose reason is `reason`. */
async function rejectsAborted(
  call: Promise<unknown>,
  reason: unknown,
): Promise<void> {
  await rejects(call, (e: unknown) => {
    ok(e instanceof URLError, String(e));
    equal(e.reason, reason);
    return true;
  });
}

/** A promise and the function that resolves it. */
function signalled(): [Promise<void>, () => void] {
  let done = () => {};
  const promise = new Promise<void>((resolve) => (done = resolve));
  return [promise, done];
}

/** Makes the FIFO `path` (mkfifo). */
async function makeFifo(path: string): Promise<void> {
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  ok(made.success);
}

/** `promise`'s outcome: its value, what it threw, or "still waiting" after 2 s. */
async function outcomeWithin2s(promise: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise.then((value) => value, (error: unknown) => error),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve("still waiting"), 2000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("abort while connecting: a listener whose backlog is full never completes the handshake", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  // Fill the accept queue (nobody accepts): later connects stay pending.
  const held: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 4096; i++) {
      const probe = new AbortController();
      const timer = setTimeout(() => probe.abort(), 250);
      try {
        held.push(
          await Deno.connect({
            hostname: "127.0.0.1",
            port,
            signal: probe.signal,
          }),
        );
      } catch {
        break; // This connect hung: the queue is full.
      } finally {
        clearTimeout(timer);
      }
    }
    const controller = new AbortController();
    const reason = new Error("user gave up");
    const opening = urlopen(`http://127.0.0.1:${port}/`, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 50);
    await rejectsAborted(opening, reason);
  } finally {
    for (const conn of held) conn.close();
  }
});

Deno.test("abort during the TLS handshake: a server that never answers the ClientHello", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [helloArrived, hello] = signalled();
  const [testDone, done] = signalled();
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    hello();
    // Deno 2.9 does not release a TLS socket closed mid-handshake until the
    // peer closes it (see the README), so this end is closed by the test.
    await testDone;
    conn.close();
  })();
  const controller = new AbortController();
  const opening = urlopen(`https://127.0.0.1:${listener.addr.port}/`, {
    signal: controller.signal,
  });
  await helloArrived;
  controller.abort("stop");
  await rejectsAborted(opening, "stop");
  done();
  await serving;
});

Deno.test("abort while waiting for the headers", async () => {
  const [statusSent, sent] = signalled();
  let clientClosed = false;
  await using server = startHostile(async (wire) => {
    await wire.write(OK);
    sent();
    await wire.closedByClient();
    clientClosed = true;
  });
  const controller = new AbortController();
  const opening = urlopen(server.url, { signal: controller.signal });
  await statusSent;
  const reason = new DOMException("deadline", "TimeoutError");
  controller.abort(reason);
  await rejectsAborted(opening, reason);
  await server.close();
  ok(clientClosed);
});

Deno.test("abort mid-body: the pending read and every later read reject, the socket is closed", async () => {
  let clientClosed = false;
  await using server = startHostile(async (wire) => {
    await wire.write(`${OK}Content-Length: 100\r\n\r\nfirst`);
    await wire.closedByClient();
    clientClosed = true;
  });
  const controller = new AbortController();
  const resp = await urlopen(server.url, { signal: controller.signal });
  equal(new TextDecoder().decode(await resp.read(5)), "first");
  const pending = resp.read();
  controller.abort("enough");
  await rejectsAborted(pending, "enough");
  await rejectsAborted(resp.read(1), "enough");
  await rejectsAborted(resp.readinto(new Uint8Array(8)), "enough");
  await server.close();
  ok(clientClosed);
  // Once closed by its owner, the response reads as empty, as in Python.
  resp.close();
  equal((await resp.read()).length, 0);
});

Deno.test("a signal aborted before the call: nothing is connected", async () => {
  let connections = 0;
  await using server = startHostile(async (wire) => {
    connections += 1;
    await wire.write(`${OK}Content-Length: 0\r\n\r\n`);
  });
  const reason = new Error("already");
  const signal = AbortSignal.abort(reason);
  await rejectsAborted(urlopen(server.url, { signal }), reason);
  await rejectsAborted(build_opener().open(server.url, { signal }), reason);
  await rejectsAborted(urlopen("data:,x", { signal }), reason);
  await server.close();
  equal(connections, 0);
});

Deno.test("the signal follows redirects and a fully read response ignores a later abort", async () => {
  const [secondHop, reached] = signalled();
  await using server = startHostile(async (wire) => {
    if (wire.request.startsWith("GET /start")) {
      await wire.write("HTTP/1.1 302 Found\r\nLocation: /stall\r\n\r\n");
    } else if (wire.request.startsWith("GET /stall")) {
      reached();
      await wire.closedByClient();
    } else {
      await wire.write(`${OK}Content-Length: 4\r\n\r\ndone`);
    }
  });
  const controller = new AbortController();
  const opening = build_opener().open(`${server.url}start`, {
    signal: controller.signal,
  });
  await secondHop;
  controller.abort("redirected");
  await rejectsAborted(opening, "redirected");

  const late = new AbortController();
  const resp = await urlopen(`${server.url}done`, { signal: late.signal });
  equal(new TextDecoder().decode(await resp.read()), "done");
  late.abort("too late");
  equal((await resp.read()).length, 0);
});

Deno.test("urlretrieve(url, { signal }): the download stops, what was written stays", async () => {
  await using server = startHostile(async (wire) => {
    await wire.write(`${OK}Content-Length: 1000000\r\n\r\n`);
    await wire.write("x".repeat(100000));
    await wire.closedByClient();
  });
  const file = await Deno.makeTempFile();
  try {
    const controller = new AbortController();
    await rejectsAborted(
      urlretrieve(server.url, file, {
        signal: controller.signal,
        reporthook: (blocknum) => {
          if (blocknum >= 1) controller.abort("cancelled");
        },
      }),
      "cancelled",
    );
    const kept = (await Deno.stat(file)).size;
    ok(kept > 0 && kept <= 100000, `${kept} bytes kept`);
  } finally {
    await Deno.remove(file);
    await urlcleanup();
  }
});

Deno.test("abort the moment the connection completes: the socket is closed, not left open", async () => {
  let controller = new AbortController();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // What each accepted connection saw: the client's end of stream, or
  // nothing within a second (its socket left open).
  const seen: Promise<string>[] = [];
  const serving = (async () => {
    // The abort comes with the accept, as I/O finishing in the same turn
    // would bring it.
    for await (const conn of listener) {
      controller.abort(new Error("stop"));
      seen.push((async () => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve("left open"), 1000);
        });
        const ended = (async () => {
          const buffer = new Uint8Array(4096);
          try {
            while (await conn.read(buffer) !== null);
          } catch {
            // Reset: closed too.
          }
          return "closed";
        })();
        const verdict = await Promise.race([ended, late]);
        clearTimeout(timer);
        conn.close();
        return verdict;
      })());
    }
  })();
  const url = `http://127.0.0.1:${listener.addr.port}/`;
  for (let i = 0; i < 20; i++) {
    controller = new AbortController();
    await rejects(urlopen(url, { signal: controller.signal }), URLError);
  }
  const verdicts = await Promise.all(seen);
  listener.close();
  await serving;
  deepEqual(verdicts.filter((v) => v !== "closed"), []);
  equal(verdicts.length, 20);
});

Deno.test("after an abort, bytes already read are not handed out: the next read rejects, whatever is buffered", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let release = () => {};
  const held = new Promise<void>((resolve) => release = resolve);
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    await conn.write(new TextEncoder().encode(
      "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\na\nb\n",
    ));
    await held;
    conn.close();
  })();
  try {
    const controller = new AbortController();
    const resp = await urlopen(`http://127.0.0.1:${listener.addr.port}/`, {
      signal: controller.signal,
    });
    equal(new TextDecoder().decode(await resp.readline()), "a\n");
    controller.abort(new Error("stop"));
    await rejects(resp.readline(), URLError);
    await rejects(resp.read(1), URLError);
  } finally {
    release();
    await serving;
    listener.close();
  }
});

Deno.test("abort while a body's next chunk is awaited: the call rejects at once, not when the chunk comes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    const conn = await listener.accept();
    const buffer = new Uint8Array(4096);
    try {
      while (await conn.read(buffer) !== null);
    } catch {
      // Reset.
    }
    conn.close();
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function* slowBody(): AsyncGenerator<Uint8Array> {
    yield new TextEncoder().encode("x");
    await new Promise((resolve) => timer = setTimeout(resolve, 3000));
    yield new TextEncoder().encode("y");
  }
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const started = Date.now();
    await rejects(
      urlopen(
        new Request(`http://127.0.0.1:${listener.addr.port}/`, {
          data: slowBody(),
          headers: { "Content-Length": "2" },
        }),
        { signal: controller.signal },
      ),
      URLError,
    );
    ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  } finally {
    clearTimeout(timer);
    await serving;
    listener.close();
  }
});

Deno.test("after an abort, a body that arrived whole with its head is not handed out either; read to its end first, it is", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    // Until the listener closes: a failed assertion ends the test early.
    for await (const conn of listener) {
      await conn.read(new Uint8Array(4096));
      await conn.write(new TextEncoder().encode(
        "HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nbody",
      ));
      conn.close();
    }
  })();
  try {
    const url = `http://127.0.0.1:${listener.addr.port}/`;
    let controller = new AbortController();
    const unread = await urlopen(url, { signal: controller.signal });
    controller.abort(new Error("stop"));
    await rejects(unread.read(), URLError);
    controller = new AbortController();
    const read = await urlopen(url, { signal: controller.signal });
    equal(new TextDecoder().decode(await read.read()), "body");
    controller.abort(new Error("stop"));
    equal((await read.read()).length, 0);
  } finally {
    listener.close();
    await serving;
  }
});

Deno.test("abort while a file body's read waits (stdin, a pipe): the call rejects at once, not when the read returns", async () => {
  const [headSent, received] = signalled();
  await using server = startHostile(async (wire) => {
    received();
    await wire.closedByClient();
  });
  // A body with Deno.stdin's shape (`read(p)` and `readable`), read as a
  // file through `read`, whose second read waits until the test lets it go.
  let release = () => {};
  const waiting = new Promise<void>((resolve) => release = resolve);
  let reads = 0;
  const body = {
    readable: new ReadableStream<Uint8Array>(),
    async read(p: Uint8Array): Promise<number | null> {
      reads += 1;
      if (reads > 1) {
        await waiting;
        return null;
      }
      p[0] = 120;
      return 1;
    },
  };
  try {
    const controller = new AbortController();
    const opening = urlopen(
      new Request(server.url, {
        data: body,
        headers: { "Content-Length": "2" },
      }),
      { signal: controller.signal },
    );
    await headSent;
    const reason = new Error("stop");
    controller.abort(reason);
    // Not a race the code may win by luck: the read waits for ever.
    const outcome = await outcomeWithin2s(opening);
    ok(outcome instanceof URLError, String(outcome));
    equal(outcome.reason, reason);
  } finally {
    release();
  }
});

Deno.test({
  name:
    "urlretrieve to a FIFO whose reader has stopped reading: an abort rejects at once, though the write waits",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using server = startHostile(async (wire) => {
      await wire.write(`${OK}Content-Length: 4000000\r\n\r\n`);
      // More than the 1 MiB the writer gathers, far more than a pipe holds.
      await wire.write("x".repeat(1200000));
      await wire.closedByClient();
    });
    const dir = await Deno.makeTempDir();
    const fifo = `${dir}/out`;
    await makeFifo(fifo);
    // The reader: opened for reading and writing (so the open does not
    // wait), and never read until the end.
    const reader = await Deno.open(fifo, { read: true, write: true });
    try {
      const controller = new AbortController();
      const reason = new Error("stop");
      const retrieving = urlretrieve(server.url, fifo, {
        signal: controller.signal,
        // 1 MiB gathered: the next block's write sends it to the FIFO, and
        // waits. The abort comes after that, or, if the next block has to
        // be read first, during the read, whose error leaves the gathered
        // bytes to be written (then that write would wait).
        reporthook: (blocknum) => {
          if (blocknum === 128) setTimeout(() => controller.abort(reason), 0);
        },
      });
      const outcome = await outcomeWithin2s(retrieving);
      ok(outcome instanceof URLError, String(outcome));
      equal(outcome.reason, reason);
    } finally {
      // Drained, a write still waiting (the code's fault) would end.
      const drained = (async () => {
        const buffer = new Uint8Array(1 << 16);
        while (await reader.read(buffer) !== null);
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      reader.close();
      await drained.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "urlretrieve to a FIFO nobody reads: an abort rejects at once, and the open left waiting is let go",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const [clientDone, done] = signalled();
    await using server = startHostile(async (wire) => {
      // The body arrives with the head, and the client closes the socket
      // as it reads the head; after that it only opens the file.
      await wire.write(`${OK}Content-Length: 3\r\n\r\nabc`);
      await wire.closedByClient();
      done();
    });
    const dir = await Deno.makeTempDir();
    const fifo = `${dir}/out`;
    await makeFifo(fifo);
    try {
      const controller = new AbortController();
      const retrieving = urlretrieve(server.url, fifo, {
        signal: controller.signal,
      });
      await clientDone;
      const reason = new Error("stop");
      controller.abort(reason);
      const outcome = await outcomeWithin2s(retrieving);
      ok(outcome instanceof URLError, String(outcome));
      equal(outcome.reason, reason);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

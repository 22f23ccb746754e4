/**
 * The reader and writer behind `rfile` and `wfile`, on scripted
 * connections that hand out exactly the chunks a case needs (a real socket
 * cannot be made to split a line where a test wants it): a line longer
 * than the buffer, many one-byte reads, end of stream mid-line, a read
 * that times out and then succeeds, the writer's coalescing, buffering,
 * back-pressure and errors. Python's semantics were checked against
 * CPython 3.13's `socket.makefile("rb")` (BufferedReader).
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  SocketReader,
  SocketWriter,
  type StreamConnection,
  writeUncopied,
} from "../../socketserver/_socket_io.ts";
import {
  decoder,
  encoder,
  type ReadStep,
  ScriptedConnection,
  serverTest,
  sleep,
} from "./_helpers.ts";

function reader(steps: ReadStep[], bufferSize = -1) {
  const conn = new ScriptedConnection(steps);
  return { conn, rfile: new SocketReader(conn, bufferSize) };
}

const text = (bytes: Uint8Array) => decoder.decode(bytes);

serverTest(
  "sizes are integers (or None) as Python's file reads check them; a fraction would have moved the stream by half a byte",
  async () => {
    const { rfile } = reader(["abcdefgh\nij\n"]);
    const loose = rfile as unknown as Record<
      string,
      (arg: unknown) => Promise<unknown>
    >;
    // CPython 3.13, socket.makefile("rb"): each a TypeError, nothing read.
    const cases: [string, unknown, string][] = [
      ["read", 2.5, "argument should be integer or None, not 'float'"],
      ["readline", "2", "argument should be integer or None, not 'str'"],
      ["readlines", "x", "argument should be integer or None, not 'str'"],
      ["read1", 2.5, "'float' object cannot be interpreted as an integer"],
      ["peek", 2.5, "'float' object cannot be interpreted as an integer"],
      [
        "readinto",
        "abc",
        "readinto() argument must be read-write bytes-like object, not str",
      ],
    ];
    for (const [method, arg, message] of cases) {
      await rejects(loose[method]!.call(rfile, arg), new TypeError(message));
    }
    await rejects(
      rfile.read(-2),
      new RangeError("read length must be non-negative or -1"),
    );
    await rejects(
      loose.read!.call(rfile, 2n ** 70n),
      new RangeError("cannot fit 'int' into an index-sized integer"),
    );
    // A bool is its integer, as in Python; so is a bigint in range.
    equal(text(await rfile.read(true as unknown as number)), "a");
    equal(text(await loose.read!.call(rfile, 1n) as Uint8Array), "b");
    equal(text(await rfile.read(1)), "c");
    deepEqual((await rfile.readlines()).map(text), ["defgh\n", "ij\n"]);
  },
);

serverTest(
  "a size of null is Python's None: read(None) reads to the end, readline(None) a whole line; read1(None) is refused",
  async () => {
    const { rfile } = reader(["l1\nl2\n", "rest"]);
    equal(text(await rfile.readline(null)), "l1\n");
    await rejects(
      rfile.read1(null as unknown as number),
      new TypeError("'NoneType' object cannot be interpreted as an integer"),
    );
    equal(text(await rfile.read(null)), "l2\nrest");
  },
);

serverTest(
  "a line longer than the buffer is returned whole (the buffer grows)",
  async () => {
    const long = "x".repeat(100);
    const { rfile } = reader([`${long}\nnext\n`], 16);
    equal(text(await rfile.readline()), `${long}\n`);
    equal(text(await rfile.readline()), "next\n");
    equal(text(await rfile.readline()), "");
  },
);

serverTest(
  "readline(limit) stops at the limit; the rest of the line comes next",
  async () => {
    const { rfile } = reader(["abcdefgh\nij\n"]);
    equal(text(await rfile.readline(3)), "abc");
    equal(text(await rfile.readline(100)), "defgh\n");
    equal(text(await rfile.readline(0)), "");
    equal(text(await rfile.readline(-1)), "ij\n");
  },
);

serverTest(
  "many one-byte reads: readline and read(n) wait for what they need",
  async () => {
    const bytes = [..."hello\nworld!"];
    const { conn, rfile } = reader(bytes);
    equal(text(await rfile.readline()), "hello\n");
    equal(conn.readCalls, 6);
    equal(text(await rfile.read(5)), "world");
    equal(text(await rfile.read(5)), "!");
    equal(text(await rfile.read(5)), "");
    equal(rfile.position, 12);
  },
);

serverTest(
  "readlines(hint) reads on until the lines pass hint bytes, as a socket file does (BytesIO stops on reaching it)",
  async () => {
    const lines = async (hint: number) =>
      (await reader(["ab\ncd\nef\n"]).rfile.readlines(hint)).map(text);
    deepEqual(await lines(3), ["ab\n", "cd\n"]);
    deepEqual(await lines(2), ["ab\n"]);
    deepEqual(await lines(4), ["ab\n", "cd\n"]);
    deepEqual(await lines(0), ["ab\n", "cd\n", "ef\n"]);
  },
);

serverTest("end of stream mid-line: the partial line, then empty", async () => {
  const { rfile } = reader(["one\ntw", "o-and-no-newline"]);
  equal(text(await rfile.readline()), "one\n");
  equal(text(await rfile.readline()), "two-and-no-newline");
  equal(rfile.atEof, true);
  equal(text(await rfile.readline()), "");
  deepEqual(await rfile.readlines(), []);
});

serverTest(
  "a timed-out read throws TimedOut; the next read gets the data (same socket read)",
  async () => {
    const { conn, rfile } = reader([{ after: 80, data: "late\n" }]);
    rfile.timeout = 0.02;
    await rejects(rfile.readline(), Deno.errors.TimedOut);
    rfile.timeout = null;
    equal(text(await rfile.readline()), "late\n");
    // The read abandoned by the timeout was reused, not doubled.
    equal(conn.readCalls, 1);
    equal(text(await rfile.read()), "");
  },
);

serverTest(
  "read1(0) returns at once, as Python's, even with nothing buffered",
  async () => {
    const { conn, rfile } = reader([{ after: 60_000, data: "late" }]);
    equal((await rfile.read1(0)).length, 0);
    equal(conn.readCalls, 0);
    rfile.close();
  },
);

serverTest(
  "read() to the end, read1, readinto, readlines(hint), iteration",
  async () => {
    let { rfile } = reader(["ab", "cd", "ef"]);
    equal(text(await rfile.read()), "abcdef");

    ({ rfile } = reader(["ab", "cd"]));
    equal(text(await rfile.read1(10)), "ab"); // one socket read at most
    equal(text(await rfile.read1()), "cd");
    equal(text(await rfile.read1()), "");

    ({ rfile } = reader(["ab", "cd", "e"]));
    const into = new Uint8Array(4);
    equal(await rfile.readinto(into), 4); // waits to fill, as Python's
    equal(text(into), "abcd");
    equal(await rfile.readinto(into), 1);
    equal(await rfile.readinto(into), 0);

    ({ rfile } = reader(["a\nbb\nccc\ndddd\n"]));
    deepEqual((await rfile.readlines(4)).map(text), ["a\n", "bb\n"]);
    deepEqual((await rfile.readlines(0)).map(text), ["ccc\n", "dddd\n"]);

    ({ rfile } = reader(["x\ny", "\nz"]));
    const lines: string[] = [];
    for await (const line of rfile) lines.push(text(line));
    deepEqual(lines, ["x\n", "y\n", "z"]);
  },
);

serverTest(
  "skip, waitForData, buffered, position and the latin-1 line fast path",
  async () => {
    const { rfile } = reader(["GET / HTTP/1.0\r\nHost: \xe9\r\n", "body"]);
    ok(await rfile.waitForData());
    const first = rfile.readLineLatin1(100);
    equal(typeof first, "string"); // already buffered: no promise
    equal(first, "GET / HTTP/1.0\r\n");
    equal(await rfile.readLineLatin1(100), "Host: \xc3\xa9\r\n");
    equal(rfile.buffered, 0);
    equal(await rfile.skip(2), 2);
    equal(text(await rfile.read()), "dy");
    equal(await rfile.skip(10), 0);
    equal(rfile.position, 30);
    equal(await rfile.waitForData(), false);
  },
);

/** A step of reading a stream as the HTTP handler does. */
type HeadStep = { line: number } | { read: number };

/** What `steps` give from `bytes`, worked out byte by byte. */
function expectedReads(bytes: Uint8Array, steps: HeadStep[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const step of steps) {
    let end: number;
    if ("read" in step) end = Math.min(bytes.length, at + step.read);
    else {
      const newline = bytes.indexOf(10, at);
      end = newline === -1 ? bytes.length : newline + 1;
      end = Math.min(end, at + step.line);
    }
    let piece = "";
    for (let i = at; i < end; i++) piece += String.fromCharCode(bytes[i]!);
    out.push(piece);
    at = end;
  }
  return out;
}

/** What a reader gives for `steps` when the stream arrives in `chunks`. */
async function actualReads(
  chunks: Uint8Array[],
  steps: HeadStep[],
  bufferSize = -1,
): Promise<string[]> {
  const { rfile } = reader(chunks, bufferSize);
  const out: string[] = [];
  for (const step of steps) {
    if ("read" in step) {
      let piece = "";
      for (const byte of await rfile.read(step.read)) {
        piece += String.fromCharCode(byte);
      }
      out.push(piece);
    } else out.push(await rfile.readLineLatin1(step.line));
  }
  return out;
}

serverTest(
  "readLineLatin1 gives each line of the bytes, however the stream is cut",
  async () => {
    const latin1 = (text: string) =>
      Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const lines = (count: number) => ({ line: 65537, count });
    const cases: [string, Uint8Array, HeadStep[]][] = [];
    const add = (
      name: string,
      text: string,
      plan: (HeadStep | ReturnType<typeof lines>)[],
    ) => {
      const steps: HeadStep[] = [];
      for (const item of plan) {
        if ("count" in item) {
          for (let i = 0; i < item.count; i++) steps.push({ line: item.line });
        } else steps.push(item);
      }
      cases.push([name, latin1(text), steps]);
    };
    const browser = "GET /a HTTP/1.1\r\nHost: localhost:8000\r\n" +
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\r\n" +
      "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\n\r\n";
    add("a browser's head, twice (pipelined)", browser + browser, [lines(10)]);
    add(
      "a head, its body, the next head",
      "POST / HTTP/1.1\r\nContent-Length: 40\r\n\r\n" +
        "x".repeat(20) + "\nline-like\r\n\r\nbod" + browser,
      [lines(3), { read: 40 }, lines(5)],
    );
    add(
      "Latin-1 bytes, a lone CR, LF endings, a line at the limit",
      "GET / HTTP/1.0\nX-Name: caf\xe9 \xff\r\nX-CR: a\rb\n" +
        "X-Long: " + "y".repeat(60) + "\r\n\n" + browser,
      [lines(3), { line: 20 }, { line: 100 }, lines(6)],
    );
    add(
      "a head longer than what is decoded ahead at once",
      "GET / HTTP/1.1\r\n" +
        Array.from({ length: 400 }, (_, i) => `X-H${i}: ${"v".repeat(30)}\r\n`)
          .join("") +
        "\r\n",
      [lines(402)],
    );
    add("other reads between the lines", browser + browser + browser, [
      { line: 65537 },
      { read: 30 },
      lines(2),
      { read: 120 },
      lines(3),
      { read: 7 },
      lines(4),
    ]);
    // With a 64-byte buffer the first read ends on a line end, all of it
    // decoded ahead; the read after the first line needs more, which moves
    // the buffer's bytes; the next line starts where decoded text was.
    add(
      "a read that moves the buffer's bytes between lines",
      "GET / HTTP/1.1\r\nA: " + "a".repeat(21) + "\r\nB: " + "b".repeat(17) +
        "\r\nC: 0123456789\r\nD: 1\r\n\r\n",
      [{ line: 65537 }, { read: 59 }, lines(3)],
    );
    add("HTTP/0.9, then the end of the stream", "GET /\r\nrest", [
      lines(3),
    ]);
    for (const [name, bytes, steps] of cases) {
      const expected = expectedReads(bytes, steps);
      deepEqual(await actualReads([bytes], steps), expected, name);
      deepEqual(await actualReads([bytes], steps, 64), expected, name);
      const cuts = bytes.length > 2000
        ? [1, 17, 8191, 8192, 8193, bytes.length - 3]
        : Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      for (const cut of cuts) {
        deepEqual(
          await actualReads(
            [bytes.subarray(0, cut), bytes.subarray(cut)],
            steps,
          ),
          expected,
          `${name}, cut at ${cut}`,
        );
      }
    }
  },
);

serverTest(
  "readLineLatin1 tries a window that is not all ASCII once, not once a line",
  async () => {
    // A head, then a binary body in the same read: decoding ahead fails on
    // the body's bytes; the head's lines then come one by one.
    const head = "POST /up HTTP/1.1\r\n" +
      Array.from({ length: 10 }, (_, i) => `X-Header-${i}: value\r\n`).join(
        "",
      ) + "\r\n";
    const bytes = new Uint8Array([
      ...encoder.encode(head),
      ...Array.from({ length: 4000 }, (_, i) => (i * 131) % 256),
    ]);
    const { rfile } = reader([bytes]);
    ok(await rfile.waitForData());
    const decode = TextDecoder.prototype.decode;
    let calls = 0;
    TextDecoder.prototype.decode = function (...args) {
      calls++;
      return decode.apply(this, args);
    };
    const lines: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        lines.push(await rfile.readLineLatin1(65537));
      }
    } finally {
      TextDecoder.prototype.decode = decode;
    }
    equal(lines.join(""), head);
    equal(calls, 1, "the window was decoded again for later lines");
  },
);

serverTest(
  "a closed reader refuses reads with Python's message for each",
  async () => {
    const { rfile } = reader(["data\n"]);
    rfile.close();
    equal(rfile.closed, true);
    // CPython 3.13's BufferedReader over a socket, each a ValueError.
    const refused = (message: string) => new TypeError(message);
    await rejects(rfile.read(1), refused("read of closed file"));
    await rejects(rfile.read(), refused("read of closed file"));
    await rejects(rfile.read1(1), refused("read of closed file"));
    await rejects(rfile.readline(), refused("readline of closed file"));
    await rejects(rfile.peek(1), refused("peek of closed file"));
    await rejects(
      rfile.readinto(new Uint8Array(2)),
      refused("readinto of closed file"),
    );
    await rejects(rfile.readlines(), refused("I/O operation on closed file."));
    await rejects(
      rfile[Symbol.asyncIterator]().next(),
      refused("I/O operation on closed file."),
    );
  },
);

serverTest(
  "readinto fills any writable buffer, as Python's does, and counts bytes",
  async () => {
    const { rfile } = reader(["abcdefghij"]);
    const shorts = new Int16Array(2);
    equal(await rfile.readinto(shorts), 4);
    equal(text(new Uint8Array(shorts.buffer)), "abcd");
    const raw = new ArrayBuffer(3);
    equal(await rfile.readinto(raw), 3);
    equal(text(new Uint8Array(raw)), "efg");
    const bytes = new Uint8Array(6);
    equal(await rfile.readinto(new DataView(bytes.buffer, 1, 2)), 2);
    equal(text(bytes.subarray(1, 3)), "hi");
  },
);

serverTest(
  "a buffered writer sends what it holds when closed, as Python's flushes; a write after that is refused with its message",
  async () => {
    const conn = new ScriptedConnection();
    const wfile = new SocketWriter(conn, 100);
    wfile.write("ab");
    wfile.close();
    // Sent without a flush(): wait for it, up to a second.
    for (let waited = 0; conn.written === "" && waited < 1000; waited += 5) {
      await sleep(5);
    }
    equal(conn.written, "ab");
    throws(() => wfile.write("cd"), new TypeError("write to closed file"));
    const unbuffered = new SocketWriter(new ScriptedConnection());
    unbuffered.close();
    throws(
      () => unbuffered.write("cd"),
      new TypeError("I/O operation on closed file."),
    );
  },
);

serverTest(
  "wbufsize 0: what one turn writes leaves in one socket write, without flush()",
  async () => {
    const conn = new ScriptedConnection();
    const wfile = new SocketWriter(conn);
    equal(wfile.write("HTTP/1.0 200 OK\r\n"), 17);
    equal(wfile.write(new TextEncoder().encode("\r\nbody")), 6);
    equal(wfile.write(""), 0);
    await sleep(0);
    await sleep(0);
    equal(conn.writes.length, 1);
    equal(conn.written, "HTTP/1.0 200 OK\r\n\r\nbody");
    equal(wfile.pending, 0);
  },
);

serverTest(
  "a positive buffer size holds writes until flush() or until it is full",
  async () => {
    const conn = new ScriptedConnection();
    const wfile = new SocketWriter(conn, 8);
    wfile.write("abc");
    await sleep(5);
    equal(conn.writes.length, 0);
    equal(wfile.pending, 3);
    await wfile.flush();
    equal(conn.written, "abc");
    wfile.write("0123456789"); // more than the buffer: sent at once
    await sleep(5);
    equal(conn.written, "abc0123456789");
  },
);

serverTest(
  "after a failed write, flush() rejects and write() throws the connection's error",
  async () => {
    const conn = new ScriptedConnection();
    conn.failWrites = new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
    const wfile = new SocketWriter(conn);
    wfile.write("lost");
    await rejects(wfile.flush(), Deno.errors.BrokenPipe);
    equal(wfile.closed, true);
    throws(() => wfile.write("more"), Deno.errors.BrokenPipe);
    await wfile.drain(); // no waiting on a dead connection
  },
);

serverTest(
  "a write that takes longer than timeout fails with TimedOut",
  async () => {
    const conn = new ScriptedConnection();
    conn.writeDelayMs = 200;
    const wfile = new SocketWriter(conn);
    wfile.timeout = 0.02;
    wfile.write("slow");
    await rejects(wfile.flush(), Deno.errors.TimedOut);
    throws(() => wfile.write("x"), Deno.errors.TimedOut);
    await sleep(250); // let the slow write settle
  },
);

serverTest("drain() waits while more than 256 KiB are queued", async () => {
  const conn = new ScriptedConnection();
  conn.writeDelayMs = 5;
  const wfile = new SocketWriter(conn);
  const chunk = new Uint8Array(64 * 1024);
  for (let i = 0; i < 8; i++) wfile.write(chunk);
  ok(wfile.pending > 256 * 1024);
  await wfile.drain();
  ok(wfile.pending <= 256 * 1024);
  await wfile.flush();
  equal(conn.writes.reduce((n, w) => n + w.length, 0), 8 * 64 * 1024);
});

serverTest(
  "await write() in a loop holds the queue to 256 KiB, as Python's blocking write holds memory, however slow the client",
  async () => {
    const conn = new ScriptedConnection();
    conn.writeDelayMs = 2;
    const wfile = new SocketWriter(conn);
    const chunk = new Uint8Array(64 * 1024);
    let most = 0;
    for (let i = 0; i < 32; i++) {
      equal(await wfile.write(chunk), chunk.length);
      most = Math.max(most, wfile.pending);
    }
    ok(most <= 256 * 1024, `${most} bytes queued`);
    // Small writes while little is queued still return the count at once.
    await wfile.flush();
    equal(wfile.write("abc"), 3);
    await wfile.flush();
    equal(conn.writes.reduce((n, w) => n + w.length, 0), 32 * 64 * 1024 + 3);
  },
);

serverTest(
  "a write() promise rejects with the connection's error when sending fails, as Python's blocking write raises; one left unawaited is no unhandled rejection",
  async () => {
    const failing = () => {
      const conn = new ScriptedConnection();
      conn.writeDelayMs = 5;
      conn.failWrites = new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      return new SocketWriter(conn);
    };
    const awaited = failing();
    const written = awaited.write(new Uint8Array(512 * 1024));
    ok(written instanceof Promise);
    await rejects(written, Deno.errors.BrokenPipe);
    // Left unawaited (an unhandled rejection would fail this test), the
    // failure shows at the next call.
    const ignored = failing();
    ignored.write(new Uint8Array(512 * 1024));
    await sleep(30);
    await rejects(ignored.flush(), Deno.errors.BrokenPipe);
  },
);

serverTest(
  "close() stops writing: write() throws Python's TypeError",
  async () => {
    const wfile = new SocketWriter(new ScriptedConnection());
    wfile.close();
    throws(() => wfile.write("x"), /I\/O operation on closed file/);
    await wfile.flush();
  },
);

Deno.test("SocketWriter.hold: held bytes leave with the next write, in one system call, or on release()", async () => {
  const conn = new ScriptedConnection();
  const wfile = new SocketWriter(conn);
  equal(wfile.hold("HEAD\r\n\r\n"), 8);
  // Nothing is sent while only held bytes are queued, even across a turn.
  await sleep(5);
  equal(conn.writes.length, 0);
  wfile.write("body");
  await wfile.flush();
  deepEqual(conn.writes.map((w) => decoder.decode(w)), ["HEAD\r\n\r\nbody"]);
  wfile.hold("next head\r\n\r\n");
  wfile.release();
  await sleep(5);
  deepEqual(
    conn.writes.map((w) => decoder.decode(w)),
    ["HEAD\r\n\r\nbody", "next head\r\n\r\n"],
  );
});

Deno.test("SocketWriter: a head and a 64 KiB body leave in one system call; the chunks after them each in one", async () => {
  const conn = new ScriptedConnection();
  const wfile = new SocketWriter(conn);
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  wfile.hold("HTTP/1.0 200 OK\r\n\r\n");
  wfile.write(chunk);
  await wfile.flush();
  deepEqual(conn.writes.map((w) => w.length), [19 + chunk.length]);
  // A stream of such chunks, with nothing staged before them: one each.
  for (let i = 0; i < 3; i++) wfile.write(chunk);
  await wfile.flush();
  deepEqual(conn.writes.map((w) => w.length), [
    19 + chunk.length,
    chunk.length,
    chunk.length,
    chunk.length,
  ]);
  equal(conn.written.length, 19 + 4 * chunk.length);
});

/** A connection whose reads and writes wait until the test lets them finish. */
class HeldConnection implements StreamConnection {
  heldRead: { p: Uint8Array; finish(data: string): void } | null = null;
  heldWrite: Uint8Array | null = null;
  read(p: Uint8Array): Promise<number | null> {
    return new Promise((resolve) => {
      this.heldRead = {
        p,
        finish(data: string) {
          const bytes = encoder.encode(data);
          p.set(bytes);
          resolve(bytes.length);
        },
      };
    });
  }
  write(p: Uint8Array): Promise<number> {
    this.heldWrite = p;
    return new Promise(() => {});
  }
  close(): void {}
}

serverTest(
  "a read abandoned by a timeout never lands in another connection's buffer",
  async () => {
    const late = new HeldConnection();
    const abandoned = new SocketReader(late);
    abandoned.timeout = 0.01;
    await rejects(abandoned.readline(), Deno.errors.TimedOut);
    abandoned.close();
    // The next connection's reader takes a buffer while the read is in flight.
    const next = new SocketReader(
      new ScriptedConnection(["hello ", { after: 30, data: "world\n" }]),
    );
    const line = next.readline();
    await sleep(10);
    late.heldRead!.finish("EVIL!!");
    equal(decoder.decode(await line), "hello world\n");
  },
);

serverTest(
  "a write abandoned by a timeout never sends another connection's bytes",
  async () => {
    const stuck = new HeldConnection();
    const abandoned = new SocketWriter(stuck);
    abandoned.timeout = 0.01;
    abandoned.write("mine");
    await rejects(abandoned.flush(), Deno.errors.TimedOut);
    abandoned.close();
    // The stuck write still sends from its buffer: another writer must not
    // be given it.
    const next = new SocketWriter(new ScriptedConnection());
    next.write("THEIRS");
    equal(decoder.decode(stuck.heldWrite!), "mine");
    await next.flush();
  },
);

Deno.test("SocketWriter: text too long to stage is encoded whole, in order after what is staged, in UTF-8 or Latin-1", async () => {
  const conn = new ScriptedConnection();
  const wfile = new SocketWriter(conn);
  // Past a third of 64 KiB, text is encoded apart rather than staged.
  const long = "\u00e9".repeat(30_000);
  wfile.write("a");
  equal(wfile.write(long), 60_000);
  equal(wfile.write(long, "latin-1"), 30_000);
  wfile.write("z");
  await wfile.flush();
  const sent = new Uint8Array(conn.writes.flatMap((w) => [...w]));
  equal(sent.length, 1 + 60_000 + 30_000 + 1);
  equal(decoder.decode(sent.subarray(0, 60_001)), "a" + long);
  ok(sent.subarray(60_001, 90_001).every((byte) => byte === 0xe9));
  equal(sent[90_001], 0x7a);
});

Deno.test("SocketWriter.writelines writes each line as write() does, adding nothing", async () => {
  const sent: string[] = [];
  const conn: StreamConnection = {
    read: () => Promise.resolve(null),
    write(p: Uint8Array) {
      sent.push(text(p));
      return Promise.resolve(p.length);
    },
    close() {},
  };
  const wfile = new SocketWriter(conn);
  wfile.writelines(["one\n", encoder.encode("two"), ""]);
  await wfile.flush();
  equal(sent.join(""), "one\ntwo");
});

Deno.test("SocketWriter.write takes any bytes-like object whole, and refuses what is not bytes as Python does", async () => {
  const sent: Uint8Array[] = [];
  const conn: StreamConnection = {
    read: () => Promise.resolve(null),
    write(p: Uint8Array) {
      sent.push(p.slice());
      return Promise.resolve(p.length);
    },
    close() {},
  };
  const wfile = new SocketWriter(conn);
  // Python: write(memoryview(buf)) and write(array('H', ...)) send every
  // byte and return the byte count.
  equal(wfile.write(encoder.encode("ab").buffer), 2);
  equal(wfile.write(new Uint16Array([0x4443])), 2);
  equal(wfile.write(new DataView(encoder.encode("xefx").buffer, 1, 2)), 2);
  equal(wfile.write(encoder.encode("__g").subarray(2)), 1);
  equal(wfile.write(new Uint8Array(0)), 0);
  for (const [value, type] of [[123, "int"], [{ a: 1 }, "dict"]] as const) {
    throws(
      () => wfile.write(value as unknown as Uint8Array),
      new TypeError(`a bytes-like object is required, not '${type}'`),
    );
  }
  await wfile.flush();
  equal(text(new Uint8Array(sent.flatMap((p) => [...p]))), "abCDefg");
});

Deno.test("writeUncopied queues the caller's bytes as they are, and never reuses them as the writer's own", async () => {
  const sent: Uint8Array[] = [];
  const conn: StreamConnection = {
    read: () => Promise.resolve(null),
    write(p: Uint8Array) {
      sent.push(p);
      return Promise.resolve(p.length);
    },
    close() {},
  };
  const wfile = new SocketWriter(conn);
  const mine = new Uint8Array(100_000).fill(1);
  writeUncopied(wfile, mine);
  await wfile.flush();
  equal(sent[0]?.buffer, mine.buffer, "sent without a copy");
  // A large write after it gets a copy of its own, not `mine` to fill.
  wfile.write(new Uint8Array(100_000).fill(2));
  await wfile.flush();
  ok(mine.every((byte) => byte === 1), "the caller's bytes are untouched");
  equal(sent.length, 2);
  ok(sent[1]?.every((byte) => byte === 2));
  // Two queued before one flush: neither becomes the writer's buffer.
  const first = new Uint8Array(65_536).fill(3);
  const second = new Uint8Array(65_536).fill(4);
  writeUncopied(wfile, first);
  writeUncopied(wfile, second);
  await wfile.flush();
  wfile.write(new Uint8Array(65_536).fill(5));
  wfile.write(new Uint8Array(65_536).fill(6));
  await wfile.flush();
  ok(first.every((byte) => byte === 3), "the first caller's bytes");
  ok(second.every((byte) => byte === 4), "the second caller's bytes");
});

serverTest(
  "a read its caller gave up on lands once: a read beside it gets the next bytes, never what the pooled buffer held from an earlier connection",
  async () => {
    // The buffer of a reader that saw a secret goes back to the pool.
    const earlier = reader(["Authorization: Bearer SECRET\r\n"]);
    equal(
      text(await earlier.rfile.readline()),
      "Authorization: Bearer SECRET\r\n",
    );
    earlier.rfile.close();
    const { rfile } = reader([
      { after: 30, data: "abcd" },
      { after: 30, data: "efgh" },
    ]);
    // Given up, as a handler's Promise.race against a timer gives it up.
    const abandoned = rfile.read(4);
    await Promise.race([abandoned, sleep(5)]);
    const next = rfile.read1(30);
    equal(text(await abandoned), "abcd");
    equal(text(await next), "efgh");
    equal(rfile.position, 8);
    // Two reads at once share the socket read and take turns at its bytes.
    const both = reader(["0123456789"]).rfile;
    const [a, b] = await Promise.all([both.read(4), both.read(6)]);
    equal(text(a) + text(b), "0123456789");
  },
);

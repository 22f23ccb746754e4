/**
 * createFetchHandler: handlers behind `Deno.serve`, `deno serve` and
 * directly, through the same code as on a socket. Bodies stream both ways
 * with back-pressure; the remaining differences are as documented.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  type BaseHTTPRequestHandler,
  createFetchHandler,
  HTTPServer,
} from "../../http_server/mod.ts";
import { fetchFrom, Logged } from "./_harness.ts";
import { deadline, withHTTPServer, within } from "../_server.ts";

const decoder = new TextDecoder();

class Echo extends Logged {
  override protocol_version = "HTTP/1.1";
  do_GET(): void {
    const body = new TextEncoder().encode(
      JSON.stringify({
        path: this.path,
        version: this.request_version,
        host: this.headers.get("Host"),
        client: this.client_address,
      }),
    );
    this.send_response(200, "Fine Thanks");
    this.send_header("Content-Type", "application/json");
    this.send_header("Content-Length", String(body.length));
    this.send_header("Set-Cookie", "a=1");
    this.send_header("Set-Cookie", "b=2");
    this.send_header("Connection", "keep-alive");
    this.end_headers();
    if (this.command !== "HEAD") this.wfile.write(body);
  }
  do_HEAD(): void {
    this.do_GET();
  }
  do_DELETE(): void {
    const text = `length:${this.headers.get("Content-Length")}`;
    this.send_response(200);
    this.send_header("Content-Length", String(text.length));
    this.end_headers();
    this.wfile.write(text);
  }
  async do_POST(): Promise<void> {
    let body: Uint8Array;
    const length = this.headers.get("Content-Length");
    if (length !== null) body = await this.rfile.read(Number(length));
    else body = await readChunked(this);
    const text = `${
      this.headers.get("Transfer-Encoding") ?? "length"
    }:${body.length}:${decoder.decode(body.subarray(0, 5))}`;
    this.send_response(200);
    this.send_header("Content-Length", String(text.length));
    this.end_headers();
    this.wfile.write(text);
  }
}

async function readChunked(
  handler: BaseHTTPRequestHandler,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  while (true) {
    const size = parseInt(decoder.decode(await handler.rfile.readline()), 16);
    if (size === 0) break;
    parts.push(await handler.rfile.read(size));
    await handler.rfile.readline();
  }
  await handler.rfile.readline();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("fetch adapter under Deno.serve: head, reason, cookies, hop-by-hop headers, client address", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createFetchHandler(Echo, { server_address: ["127.0.0.1", 8000] }),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  const res = await fetch(`${url}/a/b?c=1`);
  equal(res.status, 200);
  deepEqual(res.headers.getSetCookie(), ["a=1", "b=2"]);
  equal(res.headers.get("content-type"), "application/json");
  const seen = await res.json();
  equal(seen.path, "/a/b?c=1");
  equal(seen.version, "HTTP/1.1");
  equal(seen.host, `127.0.0.1:${server.addr.port}`);
  equal(seen.client[0], "127.0.0.1");
  ok(seen.client[1] > 0);
  const head = await fetch(url, { method: "HEAD" });
  // HEAD keeps the length the handler declared, without a body.
  ok(Number(head.headers.get("content-length")) > 50);
  equal(await head.text(), "");
});

Deno.test("fetch adapter directly: reason phrase kept, hop-by-hop dropped", async () => {
  const res = await fetchFrom(Echo, "/x");
  equal(res.statusText, "Fine Thanks");
  equal(res.headers.has("connection"), false);
  equal(JSON.parse(await res.text()).host, "localhost");
});

Deno.test("fetch adapter: a Content-Length sent twice still frames the body (the first one)", async () => {
  class Twice extends Logged {
    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-Length", "5");
      this.send_header("Content-Length", "5");
      this.end_headers();
      this.wfile.write("hello");
    }
  }
  const res = await fetchFrom(Twice, "/");
  equal(res.headers.get("content-length"), "5");
  equal(await res.text(), "hello");
});

Deno.test("fetch adapter: header bytes as Python sends them; a value Deno cannot send is a 500, not the end of the server", async () => {
  class Odd extends Logged {
    do_GET(): void {
      const query = this.path.slice(this.path.indexOf("?") + 1);
      this.send_response(200);
      // Latin-1 bytes above 0x7f, blanks that are not HTTP's around a value.
      this.send_header("X-High", "a\x80\x9fb\xe9");
      this.send_header("X-Nbsp", "\xa0v\xa0");
      // A decoded query value put in a header, as handlers do.
      this.send_header("X-Echo", decodeURIComponent(query));
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createFetchHandler(Odd),
  );
  const url = `http://127.0.0.1:${server.addr.port}/`;
  const res = await fetch(`${url}?plain`);
  equal(res.status, 200);
  equal(res.headers.get("x-high"), "a\x80\x9fb\xe9");
  equal(res.headers.get("x-nbsp"), "\xa0v\xa0");
  equal(await res.text(), "ok");
  // A control character: Deno's writer would stop the process on it.
  const bad = await fetch(`${url}?a%01b`);
  equal(bad.status, 500);
  await bad.body?.cancel();
  const after = await fetch(`${url}?again`);
  equal(after.headers.get("x-echo"), "again");
  await after.body?.cancel();
});

Deno.test("fetch adapter: request bodies with a length, without one, and streamed chunked", async () => {
  let res = await fetchFrom(Echo, "/", { method: "POST", body: "hello there" });
  equal(await res.text(), "length:11:hello");
  // A stream of unknown length beyond 64 KiB arrives chunked, as on the wire.
  const big = new Uint8Array(200_000).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < big.length; i += 50_000) {
        controller.enqueue(big.subarray(i, i + 50_000));
      }
      controller.close();
    },
  });
  res = await fetchFrom(Echo, "/", { method: "POST", body: stream });
  equal(await res.text(), "chunked:200000:aaaaa");
  // Through Deno.serve, a chunked upload stays chunked.
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createFetchHandler(Echo),
  );
  const upload = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("strea"));
      controller.enqueue(new TextEncoder().encode("med"));
      controller.close();
    },
  });
  res = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
    method: "POST",
    body: upload,
  });
  equal(await res.text(), "chunked:8:strea");
  // A DELETE sent without a body has no length, as on the wire (Deno.serve
  // hands the adapter an empty body for it).
  res = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
    method: "DELETE",
  });
  equal(await res.text(), "length:null");
});

Deno.test("fetch adapter: a large response streams with back-pressure", async () => {
  const total = 32 * 1024 * 1024;
  let written = 0;
  let maxAhead = 0;
  let consumed = 0;
  class Big extends Logged {
    async do_GET(): Promise<void> {
      this.send_response(200);
      this.send_header("Content-Length", String(total));
      this.end_headers();
      const chunk = new Uint8Array(64 * 1024);
      while (written < total) {
        this.wfile.write(chunk);
        written += chunk.length;
        maxAhead = Math.max(maxAhead, written - consumed);
        await this.wfile.drain();
      }
    }
  }
  const res = await fetchFrom(Big, "/");
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    consumed += r.value.length;
    if (consumed % (4 * 1024 * 1024) < r.value.length) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  equal(consumed, total);
  ok(maxAhead < 2 * 1024 * 1024, `the handler ran ${maxAhead} bytes ahead`);
});

Deno.test("fetch adapter: a body nobody reads holds about one 256 KiB write, not several (HTTP/2 multiplies it by every open stream)", async () => {
  // A file goes out in 256 KiB writes; a client that stops reading (an
  // HTTP/2 one may do so on 200 streams of one connection) must hold the
  // handler after about one of them, as a socket's 256 KiB queue does.
  const chunk = 256 * 1024;
  let written = 0;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => stopped = resolve);
  class Big extends Logged {
    async do_GET(): Promise<void> {
      this.send_response(200);
      this.send_header("Content-Length", String(64 * chunk));
      this.end_headers();
      try {
        for (let i = 0; i < 64; i++) {
          await this.wfile.write(new Uint8Array(chunk));
          written += chunk;
        }
      } finally {
        stopped();
      }
    }
  }
  const res = await fetchFrom(Big, "/");
  // No I/O is involved: a few turns of the event loop let the handler run
  // as far ahead as the adapter lets it.
  for (let turn = 0; turn < 20; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const ahead = written;
  await res.body!.cancel();
  await within(done, 5000, "the handler to stop");
  ok(ahead <= 2 * chunk, `the handler ran ${ahead} bytes ahead of the client`);
});

Deno.test("fetch adapter: a body read slowly arrives as written, though the writer reuses its buffers", async () => {
  // Large writes are copied into buffers the socket writer reuses once a
  // write resolves; what the response still queues must be the adapter's.
  class Counting extends Logged {
    async do_GET(): Promise<void> {
      const blocks = 64;
      this.send_response(200);
      this.send_header("Content-Length", String(blocks * 65_536));
      this.end_headers();
      const block = new Uint8Array(65_536);
      for (let i = 0; i < blocks; i++) {
        this.wfile.write(block.fill(i));
        await this.wfile.drain();
      }
    }
  }
  const res = await fetchFrom(Counting, "/");
  const reader = res.body!.getReader();
  const body: number[] = [];
  // One byte every 4 KiB of the body, wherever the pieces it came in end.
  let at = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    for (let i = -at & 4095; i < r.value.length; i += 4096) {
      body.push(r.value[i]!);
    }
    at += r.value.length;
  }
  deepEqual(body, Array.from({ length: 64 * 16 }, (_, i) => i >> 4));
});

Deno.test("fetch adapter: chunked and close-delimited responses, interim 100 skipped", async () => {
  class Raw extends Logged {
    override protocol_version = "HTTP/1.1";
    do_GET(): void {
      if (this.path === "/chunked") {
        this.send_response(200);
        this.send_header("Transfer-Encoding", "chunked");
        this.end_headers();
        this.wfile.write("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        return;
      }
      this.wfile.write("HTTP/1.1 100 Continue\r\n\r\n");
      this.send_response_only(200);
      this.end_headers();
      this.wfile.write("until the end");
      this.close_connection = true;
    }
  }
  let res = await fetchFrom(Raw, "/chunked");
  equal(res.headers.has("transfer-encoding"), false);
  equal(await res.text(), "hello world");
  res = await fetchFrom(Raw, "/close");
  equal(res.status, 200);
  equal(await res.text(), "until the end");
});

Deno.test("fetch adapter: a handler that fails or sends nothing rejects; handle_error reports it", async () => {
  const reported: unknown[] = [];
  class Boom extends Logged {
    do_GET(): void {
      throw new Error("kaboom");
    }
    do_PUT(): void {}
    do_DELETE(): void {
      this.send_response(200);
      this.send_header("Content-Length", "100");
      this.end_headers();
      this.wfile.write("short");
    }
  }
  const originalHandleError = HTTPServer.prototype.handle_error;
  HTTPServer.prototype.handle_error = (_r, _c, error) => reported.push(error);
  try {
    await rejects(fetchFrom(Boom, "/"), /without a complete response/);
    await rejects(
      fetchFrom(Boom, "/", { method: "PUT" }),
      /without a complete response/,
    );
    const truncated = await fetchFrom(Boom, "/", { method: "DELETE" });
    await rejects(truncated.text(), /middle of the body/);
  } finally {
    HTTPServer.prototype.handle_error = originalHandleError;
  }
  equal(reported.length, 1);
  match(String(reported[0]), /kaboom/);
});

/**
 * A handler that writes for ever, 16 KiB at a time with back-pressure, and
 * puts what ended its writes (`null` if nothing did) in `failures`.
 */
function endlessWriter(failures: unknown[]) {
  return class Endless extends Logged {
    async do_GET(): Promise<void> {
      this.send_response(200);
      this.end_headers();
      try {
        for (let i = 0; i < 100_000; i++) {
          this.wfile.write(new Uint8Array(16 * 1024));
          await this.wfile.drain();
        }
        failures.push(null);
      } catch (error) {
        failures.push(error);
      }
    }
  };
}

/**
 * Waits up to `ms` for `failures` (an {@linkcode endlessWriter}'s) to get
 * what ended the handler's writes.
 */
async function writesEnded(failures: unknown[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (failures.length === 0 && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads the first chunk of `res`'s body, then goes away (cancels it). */
async function readOnceAndLeave(res: Response): Promise<void> {
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
}

Deno.test("fetch adapter: a client that goes away stops the handler's writes", async () => {
  const failures: unknown[] = [];
  await readOnceAndLeave(await fetchFrom(endlessWriter(failures), "/"));
  await writesEnded(failures, 1000);
  ok(failures[0] instanceof Deno.errors.BrokenPipe, String(failures[0]));
});

Deno.test("fetch adapter: a handler stopped by its client going away is not reported (browsers cancel HTTP/2 streams as a matter of course)", async () => {
  const reported: unknown[] = [];
  const failures: unknown[] = [];
  class Uncaught extends endlessWriter(failures) {
    override async do_GET(): Promise<void> {
      await super.do_GET();
      // On to the server, as from a handler that does not catch.
      if (failures[0]) throw failures[0];
    }
  }
  const originalHandleError = HTTPServer.prototype.handle_error;
  HTTPServer.prototype.handle_error = (_r, _c, error) => reported.push(error);
  try {
    await readOnceAndLeave(await fetchFrom(Uncaught, "/"));
    await writesEnded(failures, 2000);
    ok(failures[0] instanceof Deno.errors.BrokenPipe, String(failures[0]));
    // The server's report would follow within a few turns.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    HTTPServer.prototype.handle_error = originalHandleError;
  }
  deepEqual(reported, []);
});

/**
 * The code of the one `@example` of `createFetchHandler` whose title names
 * `deno serve`, as a reader would copy it.
 */
async function denoServeExample(): Promise<string> {
  const source = await Deno.readTextFile(
    new URL("../../http_server/fetch_handler.ts", import.meta.url),
  );
  const examples = [
    ...source.matchAll(/@example ([^\n]*)\n \* ```ts\n([\s\S]*?)\n \* ```/g),
  ].filter((match) => match[1]!.includes("deno serve"));
  equal(examples.length, 1, "one example for deno serve");
  return examples[0]![2]!.replace(/^ \*(?: |$)/gm, "");
}

Deno.test("fetch adapter: the documented `deno serve` module runs as written", async () => {
  // The example's title once said `export default { fetch }`, which
  // exports the global fetch: every request came back 500.
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/app.ts`, await denoServeExample());
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      "--config",
      new URL("../../deno.json", import.meta.url).pathname,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      `${dir}/app.ts`,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).spawn();
  try {
    let out = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream())
      .getReader();
    const stdout = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let port = 0;
    const until = Date.now() + 15_000;
    while (port === 0 && Date.now() < until) {
      const next = await Promise.race([reader.read(), stdout.read()]);
      if (next.done) break;
      out += next.value;
      port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0);
    }
    ok(port > 0, out);
    const res = await fetch(`http://127.0.0.1:${port}/there?x=1`);
    equal(res.status, 200);
    equal(await res.text(), "Hello from /there?x=1");
    reader.cancel();
    stdout.cancel();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch adapter: a client that goes away mid-upload leaves the handler a short read, as a socket does", async () => {
  const reads: (number | string)[] = [];
  class Upload extends Logged {
    async do_POST(): Promise<void> {
      try {
        const length = this.headers.get("Content-Length");
        const body = await this.rfile.read(
          length === null ? -1 : Number(length),
        );
        reads.push(body.length);
      } catch (error) {
        reads.push(String(error));
      }
      this.send_response(200);
      this.end_headers();
    }
  }
  await using server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
      onError: () => new Response(null, { status: 500 }),
    },
    createFetchHandler(Upload),
  );
  const heads = [
    "Content-Length: 1000000\r\n",
    "Transfer-Encoding: chunked\r\n",
  ];
  const bodies = ["x".repeat(1000), `3e8\r\n${"x".repeat(1000)}\r\n`];
  for (const [i, head] of heads.entries()) {
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.addr.port,
    });
    await conn.write(new TextEncoder().encode(
      `POST / HTTP/1.1\r\nHost: a\r\n${head}\r\n${bodies[i]}`,
    ));
    await new Promise((resolve) => setTimeout(resolve, 50));
    conn.close();
    for (let t = 0; t < 200 && reads.length <= i; t++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  // The socket engine's rfile gives what arrived: the 1,000 bytes, or
  // the chunk as sent (1,007 bytes, without a last chunk).
  deepEqual(reads, [1000, 1007]);
});

Deno.test("fetch adapter: once a response is delivered, writes past its end fail (a HEAD's endless body, bytes past Content-Length), so the handler stops", async () => {
  const failures: unknown[] = [];
  class Streams extends Logged {
    async do_GET(): Promise<void> {
      this.send_response(200);
      const fixed = this.path === "/fixed";
      if (fixed) this.send_header("Content-Length", "4");
      this.end_headers();
      try {
        for (let i = 0; i < 500; i++) {
          this.wfile.write(new TextEncoder().encode("line\n"));
          await this.wfile.flush();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        failures.push(null);
      } catch (error) {
        failures.push(error);
      }
    }
    async do_HEAD(): Promise<void> {
      await this.do_GET();
    }
  }
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createFetchHandler(Streams),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const head = await fetch(`${base}/`, { method: "HEAD" });
  equal(head.status, 200);
  await head.body?.cancel();
  const fixed = await fetch(`${base}/fixed`);
  equal(await fixed.text(), "line");
  for (let i = 0; i < 200 && failures.length < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  equal(failures.length, 2, "a handler still writing after 2 s");
  for (const failure of failures) {
    ok(failure instanceof Deno.errors.BrokenPipe, String(failure));
  }
});

Deno.test("fetch adapter: a handler gets the path as the client sent it, dot segments and all, as over a socket", async () => {
  const seen: string[] = [];
  class Paths extends Logged {
    do_GET(): void {
      seen.push(this.path);
      this.send_response(204);
      this.end_headers();
    }
  }
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createFetchHandler(Paths),
  );
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: server.addr.port,
  });
  try {
    await conn.write(new TextEncoder().encode(
      "GET /a/../b%2F/./c?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ));
    const buffer = new Uint8Array(4096);
    while (await conn.read(buffer) !== null);
  } finally {
    conn.close();
  }
  deepEqual(seen, ["/a/../b%2F/./c?q=1"]);
});

/** The status line a raw `request` gets from 127.0.0.1:`port`. */
async function statusLine(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(request));
    let answer = "";
    const buffer = new Uint8Array(4096);
    for (let n; (n = await conn.read(buffer)) !== null;) {
      answer += decoder.decode(buffer.subarray(0, n));
    }
    return answer.slice(0, answer.indexOf("\r\n"));
  } finally {
    conn.close();
  }
}

Deno.test(
  "fetch adapter: a Content-Length repeated with the same value frames the body as on a socket",
  deadline(async () => {
    // Deno.serve accepts `Content-Length: 5` twice (RFC 9110 §8.6 allows a
    // list of identical values) and hands it on joined, `5, 5`: the
    // adapter passed on `Content-Length: NaN`, and the handler answered 400.
    const bodies: string[] = [];
    class Post extends Logged {
      override protocol_version = "HTTP/1.1";
      async do_POST(): Promise<void> {
        const length = Number(this.headers.get("Content-Length"));
        bodies.push(decoder.decode(await this.rfile.read(length)));
        this.send_response(204);
        this.end_headers();
      }
    }
    const request = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" +
      "Content-Length: 5\r\nConnection: close\r\n\r\nhello";
    const answers: string[] = [];
    await withHTTPServer(Post, async (_base, socket) => {
      answers.push(await statusLine(socket.server_port, request));
    });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      createFetchHandler(Post),
    );
    answers.push(await statusLine(server.addr.port, request));
    deepEqual(answers, ["HTTP/1.1 204 No Content", "HTTP/1.1 204 No Content"]);
    deepEqual(bodies, ["hello", "hello"]);
  }),
);

Deno.test(
  "fetch adapter without Deno.serve: a request whose signal aborts stops the handler's writes, read or not",
  deadline(async () => {
    const failures: unknown[] = [];
    const handler = createFetchHandler(endlessWriter(failures));
    // Aborted while nobody reads the body: the writes wait on back-pressure.
    const unread = new AbortController();
    const res = await handler(
      new Request("http://localhost/", { signal: unread.signal }),
    );
    equal(res.status, 200);
    unread.abort();
    await writesEnded(failures, 2000);
    equal(failures.length, 1, "a handler still writing after 2 s");
    ok(failures[0] instanceof Deno.errors.BrokenPipe, String(failures[0]));
    // Aborted before the handler ran: there is nobody to answer.
    const early = new AbortController();
    early.abort();
    await rejects(
      handler(new Request("http://localhost/", { signal: early.signal })),
      /without a complete response/,
    );
  }),
);

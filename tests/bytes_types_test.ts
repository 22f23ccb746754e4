/**
 * The bytes the package hands out are `Uint8Array<ArrayBuffer>`, so they go
 * straight to the web APIs that take a `BufferSource` (`crypto.subtle`,
 * `Blob`, `Response`), as `bytes` go anywhere in Python. Since TypeScript 5.7
 * a bare `Uint8Array` is `Uint8Array<ArrayBufferLike>`, which those APIs
 * refuse. `deno task check` (and `deno test`) type-check this file, so a
 * result typed too loosely fails the suite; the tests also run the code and
 * check that each buffer really is an `ArrayBuffer`.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import dgram from "node:dgram";
import {
  BaseRequestHandler,
  type DatagramRequest,
  DatagramRequestHandler,
  PacketWriter,
  StreamRequestHandler,
  TCPServer,
  UDPServer,
} from "../socketserver/mod.ts";
import { urlopen } from "../urllib/request/mod.ts";
import { HTTPError } from "../urllib/error.ts";
import {
  parse_qs,
  parse_qsl,
  unquote_to_bytes,
  urldefrag,
  urljoin,
  urlparse,
  urlsplit,
  urlunparse,
  urlunsplit,
} from "../urllib/parse/mod.ts";
import { BaseHTTPRequestHandler } from "../http_server/mod.ts";
import { withHTTPServer, within } from "./_server.ts";

const encoder = new TextEncoder();

/** Hands `bytes` to each web API that takes a `BufferSource`; its text. */
async function useAsBufferSource(bytes: Uint8Array<ArrayBuffer>) {
  ok(bytes.buffer instanceof ArrayBuffer, "backed by an ArrayBuffer");
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  equal(digest.byteLength, 32);
  const blob = new Blob([bytes]);
  equal(blob.size, bytes.length);
  return await new Response(bytes).text();
}

async function texts(
  lines: Iterable<Uint8Array<ArrayBuffer>>,
): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) out.push(await useAsBufferSource(line));
  return out;
}

class Lines extends BaseHTTPRequestHandler {
  static seen: string[] = [];
  do_GET(): void {
    const body = encoder.encode("one\ntwo\nthree\n");
    this.send_response(this.path === "/missing" ? 404 : 200);
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }
  async do_POST(): Promise<void> {
    const line: Uint8Array<ArrayBuffer> = this.raw_requestline;
    Lines.seen.push(await useAsBufferSource(line));
    const length = Number(this.headers.get("Content-Length"));
    Lines.seen.push(await useAsBufferSource(await this.rfile.read(length)));
    this.send_response(204);
    this.end_headers();
  }
  override log_message(): void {}
}

Deno.test("an HTTP response's read, read1, peek, readline, readlines and lines are BufferSources", async () => {
  await withHTTPServer(Lines, async (base) => {
    {
      await using resp = await urlopen(`${base}/`);
      const peeked = await resp.peek();
      ok((await useAsBufferSource(peeked)).startsWith("o"));
      equal(await useAsBufferSource(await resp.readline()), "one\n");
      equal(await useAsBufferSource(await resp.read1(2)), "tw");
      equal(await useAsBufferSource(await resp.read(2)), "o\n");
      deepEqual(await texts(await resp.readlines()), ["three\n"]);
    }
    {
      await using resp = await urlopen(`${base}/`);
      const lines: string[] = [];
      for await (const line of resp) lines.push(await useAsBufferSource(line));
      deepEqual(lines, ["one\n", "two\n", "three\n"]);
    }
    {
      await using resp = await urlopen(`${base}/`);
      const body = await resp.read();
      equal(await useAsBufferSource(body), "one\ntwo\nthree\n");
      // Python's `data = b""; data = resp.read()`.
      let data = new Uint8Array(0);
      data = await resp.read();
      equal(data.length, 0);
    }
  });
});

Deno.test("a data: or file: response's reads are BufferSources", async () => {
  await using resp = await urlopen("data:,one%0Atwo%0A");
  equal(await useAsBufferSource(await resp.peek()), "one\ntwo\n");
  equal(await useAsBufferSource(await resp.readline()), "one\n");
  equal(await useAsBufferSource(await resp.read1()), "two\n");
  equal(await useAsBufferSource(await resp.read()), "");
  deepEqual(await texts(await resp.readlines()), []);
  await using again = await urlopen("data:;base64,aGk=");
  for await (const line of again) equal(await useAsBufferSource(line), "hi");
});

Deno.test("an HTTPError's read, readline, readlines and lines are BufferSources", async () => {
  await withHTTPServer(Lines, async (base) => {
    for (const how of ["read", "lines"] as const) {
      try {
        await urlopen(`${base}/missing`);
        ok(false, "urlopen did not throw");
      } catch (e) {
        if (!(e instanceof HTTPError)) throw e;
        await using err = e;
        if (how === "read") {
          equal(await useAsBufferSource(await err.readline()), "one\n");
          equal(await useAsBufferSource(await err.read(4)), "two\n");
          deepEqual(await texts(await err.readlines()), ["three\n"]);
          equal(await useAsBufferSource(await err.read()), "");
        } else {
          const lines: string[] = [];
          for await (const line of err) {
            lines.push(await useAsBufferSource(line));
          }
          deepEqual(lines, ["one\n", "two\n", "three\n"]);
        }
      }
    }
  });
});

Deno.test("a request handler's raw_requestline and rfile reads are BufferSources", async () => {
  Lines.seen = [];
  await withHTTPServer(Lines, async (base) => {
    await using resp = await urlopen(`${base}/post`, encoder.encode("a=1"));
    equal(resp.status, 204);
  });
  deepEqual(Lines.seen, ["POST /post HTTP/1.1\r\n", "a=1"]);
});

Deno.test("unquote_to_bytes and urllib.parse's bytes results are BufferSources", async () => {
  equal(await useAsBufferSource(unquote_to_bytes("%41b")), "Ab");
  equal(await useAsBufferSource(unquote_to_bytes(encoder.encode("%41"))), "A");
  const query = encoder.encode("a=1&a=%32");
  for (const [name, value] of parse_qsl(query)) {
    equal(await useAsBufferSource(name), "a");
    ok(["1", "2"].includes(await useAsBufferSource(value)));
  }
  for (const values of parse_qs(query).values()) {
    deepEqual(await texts(values), ["1", "2"]);
  }
  const parts = ["http", "h", "/p", "", "q", "f"].map((p) => encoder.encode(p));
  equal(await useAsBufferSource(urlunparse(parts)), "http://h/p?q#f");
  parts.splice(3, 1);
  equal(await useAsBufferSource(urlunsplit(parts)), "http://h/p?q#f");
});

Deno.test("the fields of urlsplit, urlparse and urldefrag on bytes, their hostname, username, password and geturl(), urljoin on bytes, encode() of a str result and parse_qs's bytes keys are BufferSources", async () => {
  const url = encoder.encode("HTTP://u:pw@Host:8/p;x?q=1#f");
  const split = urlsplit(url);
  const [scheme] = split;
  equal(await useAsBufferSource(scheme), "http");
  equal(await useAsBufferSource(split.netloc), "u:pw@Host:8");
  equal(await useAsBufferSource(split.path), "/p;x");
  equal(await useAsBufferSource(split.query), "q=1");
  equal(await useAsBufferSource(split.fragment), "f");
  equal(
    await useAsBufferSource(split.geturl()),
    "http://u:pw@Host:8/p;x?q=1#f",
  );
  const { hostname, username, password } = split;
  ok(hostname && username && password);
  equal(await useAsBufferSource(hostname), "host");
  equal(await useAsBufferSource(username), "u");
  equal(await useAsBufferSource(password), "pw");
  const parsed = urlparse(url, encoder.encode("ftp"), false);
  equal(await useAsBufferSource(parsed.params), "x");
  equal(await useAsBufferSource(parsed[2]), "/p");
  equal(await useAsBufferSource(parsed.fragment), "");
  for (const field of parsed) await useAsBufferSource(field);
  const defrag = urldefrag(url);
  equal(await useAsBufferSource(defrag.url), "http://u:pw@Host:8/p;x?q=1");
  equal(await useAsBufferSource(defrag[1]), "f");
  equal(
    await useAsBufferSource(defrag.geturl()),
    "http://u:pw@Host:8/p;x?q=1#f",
  );
  const encoded = urlsplit("http://h/p").encode();
  equal(await useAsBufferSource(encoded.path), "/p");
  equal(
    await useAsBufferSource(urljoin(url, encoder.encode("../r"))),
    "http://u:pw@Host:8/r",
  );
  for (const [name, values] of parse_qs(encoder.encode("a=1&b=2"))) {
    ok(["a", "b"].includes(await useAsBufferSource(name)));
    equal(values.length, 1);
  }
  const keys: string[] = [];
  for (const name of parse_qs(encoder.encode("k=v")).keys()) {
    keys.push(await useAsBufferSource(name));
  }
  deepEqual(keys, ["k"]);
});

Deno.test("a stream handler's rfile reads, lines and request.recv are BufferSources", async () => {
  const seen: string[] = [];
  class Reader extends StreamRequestHandler {
    override async handle(): Promise<void> {
      // Python's peek returns what is buffered: at least one byte.
      seen.push((await useAsBufferSource(await this.rfile.peek(1)))[0] ?? "");
      seen.push(await useAsBufferSource(await this.rfile.readline()));
      seen.push(await useAsBufferSource(await this.rfile.read1(2)));
      seen.push(await useAsBufferSource(await this.rfile.read(2)));
      seen.push(...await texts(await this.rfile.readlines(1)));
      for await (const line of this.rfile) {
        seen.push(await useAsBufferSource(line));
      }
      let data = new Uint8Array(0);
      data = await this.request.recv(1024);
      seen.push(await useAsBufferSource(data));
    }
  }
  await using server = new TCPServer(["127.0.0.1", 0], Reader);
  const served = server.handle_request();
  const [hostname, port] = server.server_address;
  const conn = await Deno.connect({ hostname, port });
  try {
    await conn.write(encoder.encode("one\ntwo\nthree\nfour\n"));
    await conn.closeWrite();
    await within(served, 5000, "the request");
  } finally {
    conn.close();
  }
  deepEqual(seen, ["o", "one\n", "tw", "o\n", "three\n", "four\n", ""]);
});

Deno.test("a datagram's data, packet, rfile reads and wfile.getvalue() are BufferSources", async () => {
  const seen: string[] = [];
  class Raw extends BaseRequestHandler<DatagramRequest> {
    override async handle(): Promise<void> {
      const [data] = this.request;
      seen.push(await useAsBufferSource(data));
    }
  }
  class Echo extends DatagramRequestHandler {
    override async handle(): Promise<void> {
      seen.push(await useAsBufferSource(this.packet));
      seen.push(await useAsBufferSource(await this.rfile.readline()));
      seen.push(await useAsBufferSource(await this.rfile.read()));
      this.wfile.write("ok");
      seen.push(await useAsBufferSource(this.wfile.getvalue()));
    }
  }
  const writer = new PacketWriter();
  equal(await useAsBufferSource(writer.getvalue()), "");
  await using raw = new UDPServer(["127.0.0.1", 0], Raw);
  await using echo = new UDPServer(["127.0.0.1", 0], Echo);
  const client = dgram.createSocket("udp4");
  try {
    const reply = new Promise<string>((resolve) =>
      client.once("message", (msg) => resolve(String(msg)))
    );
    client.send("raw", raw.server_address[1], "127.0.0.1");
    await within(raw.handle_request(), 5000, "the raw datagram");
    client.send("a\nb", echo.server_address[1], "127.0.0.1");
    await within(echo.handle_request(), 5000, "the echoed datagram");
    equal(await within(reply, 5000, "the reply"), "ok");
  } finally {
    client.close();
  }
  deepEqual(seen, ["raw", "a\nb", "a\n", "b", "ok"]);
});

Deno.test("an HTTPError made on a caller's file whose bytes sit in a SharedArrayBuffer reads them as ArrayBuffer-backed copies", async () => {
  const shared = new Uint8Array(new SharedArrayBuffer(4));
  shared.set(encoder.encode("ab\nc"));
  const fp = {
    read: () => Promise.resolve(shared.subarray(3)),
    readline: () => Promise.resolve(shared.subarray(0, 3)),
    readlines: () => Promise.resolve([shared.subarray(0, 3)]),
    async *[Symbol.asyncIterator]() {
      yield shared.subarray(0, 3);
      yield shared.subarray(3);
    },
    close() {},
  };
  const err = new HTTPError("http://h/", 500, "Oops", null, fp);
  equal(await useAsBufferSource(await err.readline()), "ab\n");
  equal(await useAsBufferSource(await err.read()), "c");
  deepEqual(await texts(await err.readlines()), ["ab\n"]);
  const lines: string[] = [];
  for await (const line of err) lines.push(await useAsBufferSource(line));
  deepEqual(lines, ["ab\n", "c"]);
  // Bytes already in an ArrayBuffer come back as they are, not copied.
  const plain = encoder.encode("x");
  const own = new HTTPError("http://h/", 500, "Oops", null, {
    read: () => Promise.resolve(plain),
    readline: () => Promise.resolve(plain),
    close() {},
  });
  equal(await own.read(), plain);
});

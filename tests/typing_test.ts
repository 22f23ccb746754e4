/**
 * How the types feel to code ported line by line from Python: natural code
 * must type-check without a cast, a non-null assertion or `@ts-ignore`, and
 * code Python refuses must not. `deno task check` (and `deno test`) type-check
 * this file, so an `@ts-expect-error` line that stops erring, or a plain line
 * that starts to, fails the suite; the tests also run the code.
 */
import { equal, ok } from "node:assert/strict";
import {
  BaseRequestHandler,
  type DatagramRequest,
  DatagramRequestHandler,
  StreamRequestHandler,
  TCPServer,
  ThreadingMixIn,
  ThreadingTCPServer,
  ThreadingUDPServer,
  UDPServer,
  UnixStreamServer,
} from "../socketserver/mod.ts";
import {
  type addinfourl,
  build_opener,
  Cookie,
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
  type HTTPMessage,
  HTTPRedirectHandler,
  HTTPResponse,
  MozillaCookieJar,
  pathname2url,
  Request as UrllibRequest,
  urlopen,
  urlretrieve,
} from "../urllib/request/mod.ts";
import { HTTPError } from "../urllib/error.ts";
import {
  BaseHTTPRequestHandler,
  createFetchHandler,
  SimpleHTTPRequestHandler,
} from "../http_server/mod.ts";
import { withHTTPServer, within } from "./_server.ts";

/** Answers every GET with a 404 whose body is "gone". */
class Gone extends BaseHTTPRequestHandler {
  do_GET(): void {
    this.send_response(404);
    this.send_header("Content-Length", "4");
    this.end_headers();
    this.wfile.write(new TextEncoder().encode("gone"));
  }
  override log_message(): void {}
}

Deno.test("a TCP or UDP server's server_address is [host, port]: its port is a number", async () => {
  class Quiet extends StreamRequestHandler {
    override handle(): void {}
  }
  class Echo extends DatagramRequestHandler {
    override handle(): void {}
  }
  class Mixed extends ThreadingMixIn(TCPServer) {}
  await using tcp = new TCPServer(["127.0.0.1", 0], Quiet);
  await using threading = new ThreadingTCPServer(["127.0.0.1", 0], Quiet);
  await using mixed = new Mixed(["127.0.0.1", 0], Quiet);
  await using udp = new UDPServer(["127.0.0.1", 0], Echo);
  await using threadingUdp = new ThreadingUDPServer(["127.0.0.1", 0], Echo);
  for (const server of [tcp, threading, mixed, udp, threadingUdp]) {
    const [host, port] = server.server_address;
    equal(host, "127.0.0.1");
    ok(port + 0 > 0);
  }
  const conn = await Deno.connect({
    hostname: tcp.server_address[0],
    port: tcp.server_address[1],
  });
  conn.close();
  // A Unix socket server's address is its path.
  const unix = new UnixStreamServer("/tmp/never-bound.sock", Quiet, false);
  const path: string = unix.server_address;
  equal(path.endsWith(".sock"), true);
});

Deno.test("urlretrieve's headers are never null: they read without a non-null assertion", async () => {
  const path = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(path, "hello");
    const [filename, headers] = await urlretrieve(
      `file://${pathname2url(path)}`,
    );
    equal(filename, path);
    equal(headers.get_content_type(), "text/plain");
    equal(headers.get("Content-length"), "5");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("HTTPError's headers and info() read without a non-null assertion", async () => {
  class Missing extends BaseHTTPRequestHandler {
    do_GET(): void {
      this.send_response(404);
      this.send_header("Retry-After", "120");
      this.send_header("Content-Length", "0");
      this.end_headers();
    }
    override log_message(): void {}
  }
  await withHTTPServer(Missing, async (base) => {
    try {
      await urlopen(`${base}/gone`);
      ok(false, "urlopen did not throw");
    } catch (e) {
      if (!(e instanceof HTTPError)) throw e;
      await using err = e;
      equal(err.code, 404);
      equal(err.headers.get("Retry-After"), "120");
      equal(err.info().get_content_type(), "text/plain");
      equal(err.hdrs.get("Content-Length"), "0");
    }
  });
});

Deno.test("send_head and list_directory overrides may answer without a promise, as a Python port writes them", async () => {
  class NoListing extends SimpleHTTPRequestHandler {
    override list_directory(_path: string) {
      this.send_error(403, "No listings here");
      return null;
    }
    override log_message(): void {}
  }
  class Teapot extends SimpleHTTPRequestHandler {
    override send_head() {
      if (this.path !== "/tea") return super.send_head();
      this.send_error(418);
      return null;
    }
    override log_message(): void {}
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/sub`);
    const listing = createFetchHandler(NoListing.partial({ directory: dir }));
    const refused = await listing(
      new Request("http://localhost/sub/"),
    );
    equal(refused.status, 403);
    await refused.body?.cancel();
    const tea = createFetchHandler(Teapot.partial({ directory: dir }));
    const brewed = await tea(new Request("http://localhost/tea"));
    equal(brewed.status, 418);
    await brewed.body?.cancel();
    const folder = await tea(new Request("http://localhost/sub/"));
    equal(folder.status, 200);
    await folder.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an HTTPErrorProcessor override may return the response as it is (Python's recipe that lets every status through)", async () => {
  class LetThrough extends HTTPErrorProcessor {
    override http_response(_request: UrllibRequest, response: addinfourl) {
      return response;
    }
  }
  await withHTTPServer(Gone, async (base) => {
    await using resp = await build_opener(LetThrough).open(`${base}/x`);
    equal(resp.status, 404);
    equal(new TextDecoder().decode(await resp.read()), "gone");
  });
});

Deno.test("urlopen of an http(s) URL written out, or of a Request made with one, gives an HTTPResponse: getheader and reason need no cast; a URL only known as a string narrows with instanceof", async () => {
  class Hello extends BaseHTTPRequestHandler {
    do_GET(): void {
      this.send_response(200, "Fine");
      this.send_header("Content-Type", "text/plain");
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write(new TextEncoder().encode("hi"));
    }
    override log_message(): void {}
  }
  await withHTTPServer(Hello, async (_base, server) => {
    const port = server.server_port;
    await using resp = await urlopen(`http://127.0.0.1:${port}/`);
    equal(resp.getheader("Content-Type"), "text/plain");
    equal(resp.reason, "Fine");
    equal(resp.version, 10);
    await using opened = await build_opener().open(
      `http://127.0.0.1:${port}/`,
      null,
      { timeout: 5 },
    );
    equal(opened.getheaders().length, 4);
    // A scraper's usual Request, made to send its own User-Agent.
    const req = new UrllibRequest(`http://127.0.0.1:${port}/`, {
      headers: { "User-Agent": "scraper/1.0" },
    });
    await using viaRequest = await urlopen(req);
    equal(viaRequest.getheader("Content-Length"), "2");
    const url: string = `http://127.0.0.1:${port}/`;
    await using some = await urlopen(url, null, 5);
    // @ts-expect-error a string may name any scheme (file:, data:): no getheader on addinfourl
    equal(some.getheader("Content-Type"), "text/plain");
    ok(some instanceof HTTPResponse);
    equal(some.getheader("Content-Length"), "2");
    await using data = await urlopen("data:,x");
    ok(!(data instanceof HTTPResponse));
  });
});

Deno.test("HTTPError takes the headers a handler is given, null included, as Python's HTTPError(url, code, msg, None, None)", async () => {
  class Moved extends BaseHTTPRequestHandler {
    do_GET(): void {
      this.send_response(302);
      this.send_header("Location", "/elsewhere");
      this.send_header("Content-Length", "0");
      this.end_headers();
    }
    override log_message(): void {}
  }
  // The docs' "raise HTTPError if no other handler should try this URL".
  class Refuse extends HTTPRedirectHandler {
    override redirect_request(
      req: UrllibRequest,
      fp: addinfourl | null,
      code: number,
      msg: string,
      headers: HTTPMessage | null,
      _newurl: string,
    ): UrllibRequest | null {
      throw new HTTPError(req.full_url, code, msg, headers, fp);
    }
  }
  await withHTTPServer(Moved, async (base) => {
    try {
      await build_opener(Refuse).open(`${base}/x`);
      ok(false, "the redirect was followed");
    } catch (e) {
      if (!(e instanceof HTTPError)) throw e;
      await using err = e;
      equal(err.code, 302);
      equal(err.headers.get("Location"), "/elsewhere");
    }
  });
  const bare = new HTTPError("http://h/", 500, "Oops", null, null);
  equal(bare.message, "HTTP Error 500: Oops");
  equal((await bare.read()).length, 0);
});

Deno.test("an http_error_default override may return the HTTPError as the response, made from the headers it is given (Python's DefaultErrorHandler recipe)", async () => {
  class DefaultErrorHandler extends HTTPDefaultErrorHandler {
    override http_error_default(
      req: UrllibRequest,
      fp: addinfourl | null,
      code: number,
      msg: string,
      headers: HTTPMessage | null,
    ) {
      return new HTTPError(req.get_full_url(), code, msg, headers, fp);
    }
  }
  await withHTTPServer(Gone, async (base) => {
    await using resp = await build_opener(new DefaultErrorHandler()).open(
      `${base}/x`,
    );
    ok(resp instanceof HTTPError);
    equal(resp.status, 404);
    equal(resp.headers.get("Content-Length"), "4");
    equal(new TextDecoder().decode(await resp.read()), "gone");
  });
});

Deno.test("a cookie file's name by position and ignore_discard / ignore_expires by keyword, as Python's jar.save(path, ignore_discard=True)", async () => {
  const path = await Deno.makeTempFile();
  try {
    const jar = new MozillaCookieJar();
    // A session cookie (discard): saved and loaded only with ignore_discard.
    jar.set_cookie(
      new Cookie({
        name: "sid",
        value: "42",
        domain: "example.com",
        discard: true,
      }),
    );
    await jar.save(path, { ignore_discard: true });
    const again = new MozillaCookieJar();
    await again.load(path, { ignore_discard: true });
    equal(
      String(again),
      "<MozillaCookieJar[<Cookie sid=42 for example.com/>]>",
    );
    await again.revert(path, true, { ignore_expires: true });
    equal(again.length, 1);
    await again.revert(path, false, { ignore_expires: true });
    equal(again.length, 0);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("a StreamRequestHandler's request and connection are the socket a stream server hands it: recv, sendall, settimeout, getpeername and closeWrite without a cast", async () => {
  // Python's handlers mix rfile with socket calls on self.request; they
  // were typed as the bare connection, so each needed `as StreamSocket`.
  const peers: unknown[] = [];
  class Upper extends StreamRequestHandler {
    override async handle(): Promise<void> {
      this.request.settimeout(3);
      peers.push(this.request.getpeername(), this.client_address);
      const line = await this.rfile.readline();
      const text = new TextDecoder().decode(line).toUpperCase();
      await this.request.sendall(new TextEncoder().encode(text));
      await this.connection.closeWrite();
      peers.push(new TextDecoder().decode(await this.request.recv(64)));
    }
  }
  await using server = new TCPServer(["127.0.0.1", 0], Upper);
  const served = server.handle_request();
  const [hostname, port] = server.server_address;
  const conn = await Deno.connect({ hostname, port });
  try {
    await conn.write(new TextEncoder().encode("hello\n"));
    let answer = "";
    const buffer = new Uint8Array(64);
    for (let n; (n = await within(conn.read(buffer), 3000, "the answer"));) {
      answer += new TextDecoder().decode(buffer.subarray(0, n));
    }
    equal(answer, "HELLO\n");
    await conn.write(new TextEncoder().encode("bye"));
    await conn.closeWrite();
    await within(served, 3000, "the request");
  } finally {
    conn.close();
  }
  equal(JSON.stringify(peers[0]), JSON.stringify(peers[1]));
  equal(peers[2], "bye");
});

Deno.test("the socketserver docs' first handler, a BaseRequestHandler calling recv and sendall on self.request, needs no type argument; a datagram server refuses it", async () => {
  class MyTCPHandler extends BaseRequestHandler {
    override async handle(): Promise<void> {
      const data = await this.request.recv(1024);
      const text = new TextDecoder().decode(data).trim();
      await this.request.sendall(new TextEncoder().encode(text.toUpperCase()));
    }
  }
  await using server = new TCPServer(["127.0.0.1", 0], MyTCPHandler);
  const served = server.handle_request();
  const [hostname, port] = server.server_address;
  const conn = await Deno.connect({ hostname, port });
  try {
    await conn.write(new TextEncoder().encode("hello world\n"));
    const buffer = new Uint8Array(64);
    const n = await within(conn.read(buffer), 3000, "the answer");
    equal(new TextDecoder().decode(buffer.subarray(0, n ?? 0)), "HELLO WORLD");
    await within(served, 3000, "the request");
  } finally {
    conn.close();
  }
  class Echo extends BaseRequestHandler<DatagramRequest> {
    override handle(): void {}
  }
  await using udp = new UDPServer(["127.0.0.1", 0], Echo);
  ok(udp.server_address[1] > 0);
  const refuse = () =>
    // @ts-expect-error a stream handler given to a datagram server
    new UDPServer(["127.0.0.1", 0], MyTCPHandler, false);
  equal(typeof refuse, "function");
});

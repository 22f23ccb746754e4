/**
 * How the types feel to code ported line by line from Python: natural code
 * must type-check without a cast, a non-null assertion or `@ts-ignore`, and
 * code Python refuses must not. `deno task check` (and `deno test`) type-check
 * this file, so an `@ts-expect-error` line that stops erring, or a plain line
 * that starts to, fails the suite; the tests also run the code.
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
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
  create_default_context,
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
  type HTTPMessage,
  HTTPMessage as Message,
  HTTPRedirectHandler,
  HTTPResponse,
  HTTPSHandler,
  MozillaCookieJar,
  pathname2url,
  Request as UrllibRequest,
  SSLContext,
  SSLError,
  urlopen,
  urlretrieve,
} from "../urllib/request/mod.ts";
import { HTTPError } from "../urllib/error.ts";
import {
  parse_qs,
  parse_qsl,
  quote,
  quote_plus,
  unquote,
  unquote_plus,
  urlencode,
  urlsplit,
} from "../urllib/parse/mod.ts";
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

Deno.test("Python's mixed call forms type-check and run: some optional arguments by position, the rest in one options object, as Python's f(a, b, c=...)", async () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  // quote(s, "/", "latin-1", errors="strict") and its family.
  equal(quote("é x/", "/", "latin-1", { errors: "strict" }), "%E9%20x/");
  equal(quote("é x/", "", { encoding: "latin-1" }), "%E9%20x%2F");
  equal(quote_plus("é x/", "/", "latin-1", { errors: "strict" }), "%E9+x/");
  equal(unquote("%E9", "latin-1", { errors: "strict" }), "é");
  equal(unquote_plus("%E9+", "latin-1", { errors: "strict" }), "é ");
  // parse_qs(qs, True, False, separator=";") at every depth, str and bytes.
  const qs = "a=1;b=;a=2";
  const want = parse_qs(qs, { keep_blank_values: true, separator: ";" });
  deepEqual(want, { a: ["1", "2"], b: [""] });
  deepEqual(parse_qs(qs, true, false, { separator: ";" }), want);
  deepEqual(parse_qs(qs, true, false, "utf-8", { separator: ";" }), want);
  deepEqual(
    parse_qs(qs, true, false, "utf-8", "strict", 10, { separator: ";" }),
    want,
  );
  deepEqual(parse_qsl(qs, true, false, "utf-8", "strict", { separator: ";" }), [
    ["a", "1"],
    ["b", ""],
    ["a", "2"],
  ]);
  const pairs = parse_qsl(bytes(qs), true, false, { separator: ";" });
  deepEqual(pairs.map((pair) => pair.map((b) => b.length)), [[1, 1], [1, 0], [
    1,
    1,
  ]]);
  equal(parse_qs(bytes(qs), true, false, "utf-8", { separator: ";" }).size, 2);
  // urlencode(q, True, "/", "utf-8", quote_via=quote).
  const query = { a: ["x y", "/"] };
  equal(
    urlencode(query, true, "/", "utf-8", { quote_via: quote }),
    "a=x%20y&a=/",
  );
  equal(urlencode(query, true, "/", { quote_via: quote }), "a=x%20y&a=/");
  equal(
    urlencode(query, true, "/", "utf-8", "strict", { quote_via: quote }),
    "a=x%20y&a=/",
  );
  // A result's encode("ascii", errors="strict") and decode.
  const split = urlsplit("http://h/p").encode("ascii", { errors: "strict" });
  equal(
    String(split.decode("ascii", { errors: "strict" })),
    String(urlsplit("http://h/p")),
  );
  // urlopen(url, data, timeout, context=ctx) and OpenerDirector.open(url, data, timeout=5).
  await using opened = await urlopen("data:,x", null, 5, {
    context: create_default_context(),
  });
  equal(new TextDecoder().decode(await opened.read()), "x");
  await using again = await build_opener().open("data:,y", null, {
    timeout: 5,
  });
  equal(new TextDecoder().decode(await again.read()), "y");
  // Request(url, data, headers, origin_req_host, method="PUT").
  const req = new UrllibRequest("http://h/", null, { "X-A": "1" }, "o", {
    method: "PUT",
  });
  deepEqual([req.get_method(), req.origin_req_host, req.get_header("X-a")], [
    "PUT",
    "o",
    "1",
  ]);
  const later = new UrllibRequest("http://h/", null, {}, "o", true, {
    method: "PUT",
  });
  deepEqual([later.get_method(), later.unverifiable], ["PUT", true]);
  // urlretrieve(url, path, None, data=None) and urlretrieve(url, path, reporthook=hook).
  const path = await Deno.makeTempFile();
  try {
    const blocks: number[] = [];
    await urlretrieve("data:,abc", path, null, { data: null });
    await urlretrieve("data:,abc", path, { reporthook: (n) => blocks.push(n) });
    equal(await Deno.readTextFile(path), "abc");
    ok(blocks.length > 0);
    // FileCookieJar(path, False, policy=None), jar.save(path, True, ignore_expires=True), clear(d, p, name=n).
    const jar = new MozillaCookieJar(path, false, { policy: null });
    equal(jar.filename, path);
    jar.set_cookie(
      new Cookie({ name: "sid", value: "1", domain: "h.test", discard: true }),
    );
    await jar.save(path, true, { ignore_expires: true });
    const read = new MozillaCookieJar(null, { delayload: false });
    await read.load(path, true, { ignore_expires: true });
    equal(read.length, 1);
    throws(() => read.clear("h.test", "/", { name: "other" }), RangeError);
    read.clear("h.test", "/", { name: "sid" });
    equal(read.length, 0);
  } finally {
    await Deno.remove(path);
  }
  // HTTPSHandler(0, None, check_hostname=False); load_verify_locations(None, None, cadata=...).
  equal(
    new HTTPSHandler(0, null, { check_hostname: false }).context
      ?.check_hostname,
    false,
  );
  throws(
    () => new SSLContext().load_verify_locations(null, null, { cadata: "x" }),
    SSLError,
  );
  // msg.get_param("charset", None, "content-type", unquote=False), msg.as_string(False, 0, policy=None).
  const msg = new Message([["Content-Type", 'text/plain; charset="utf-8"']]);
  equal(
    msg.get_param("charset", null, "content-type", { unquote: false }),
    '"utf-8"',
  );
  deepEqual(msg.get_params(null, "content-type", { unquote: true }), [
    ["text/plain", ""],
    ["charset", "utf-8"],
  ]);
  equal(msg.as_string(false, 0, { policy: null }), msg.as_string());
  // A keyword naming a parameter already given by position: Python's
  // "got multiple values", refused by the types too.
  throws(
    // @ts-expect-error safe given twice
    () => quote("a", "/", { safe: "" }),
    /multiple values for argument 'safe'/,
  );
  throws(
    // @ts-expect-error strict_parsing given twice
    () => parse_qs(qs, true, false, { strict_parsing: true }),
    /multiple values for argument 'strict_parsing'/,
  );
  await rejects(
    // @ts-expect-error timeout given twice
    async () => await urlopen("data:,x", null, 5, { timeout: 5 }),
    { name: "TypeError", message: /multiple values for argument 'timeout'/ },
  );
  const headers = {};
  throws(
    // @ts-expect-error data given twice
    () => new UrllibRequest("http://h/", null, headers, "o", { data: null }),
    /multiple values for argument 'data'/,
  );
});

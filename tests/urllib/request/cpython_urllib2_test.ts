/**
 * The cases of CPython 3.13's `Lib/test/test_urllib2.py` (TrivialTests,
 * RequestHdrsTests, OpenerDirectorTests, HandlerTests, MiscTests,
 * RequestTests), `Lib/test/test_urllib2_localnet.py` (BasicAuthTests,
 * ProxyAuthTests, TestUrlopen) and the urlopen / urlretrieve / Request /
 * pathname2url parts of `Lib/test/test_urllib.py` (urlopen_FileTests,
 * urlopen_HttpTests, urlopen_DataTests, urlretrieve_FileTests,
 * urlretrieve_HttpTests, Pathname_Tests, RequestTests) that no other test
 * here covered, written afresh against our handlers over real sockets on
 * 127.0.0.1 (CPython's use mock connections and sockets). The other cases
 * of those classes are covered where their subject lives (request_test.ts,
 * opener_test.ts, http_test.ts, redirect_test.ts, auth_test.ts,
 * proxy_tls_test.ts, local_handlers_test.ts, retrieve_test.ts,
 * cookies_test.ts, hostile_test.ts, password_mgr_test.ts, error_test.ts,
 * tests/exports_test.ts).
 *
 * Not applicable here, one reason each:
 * - test_urllib2 test_ftp, test_urllib test_ftp_nohost, test_ftp_nonexisting,
 *   test_ftp_cache_pruning: there is no FTPHandler (README: ftp is out of
 *   scope).
 * - test_http_handler_global_debuglevel, test_https_handler_global_debuglevel:
 *   there is no http.client module whose class attribute could be patched.
 * - test_full_url_deleter, test_deleting_data_should_remove_content_length:
 *   JavaScript cannot intercept `delete` (README: write `req.data = null`).
 * - test_winreg_proxy_bypass, test_osx_proxy_bypass: Windows registry and
 *   macOS System Configuration proxies; only the environment is read.
 * - test_parse_proxy: `_parse_proxy` is private; its cases are reached
 *   through ProxyHandler (auth_test.ts, proxy_tls_test.ts).
 * - test_https_sni: the server name is sent by Deno's TLS client (rustls),
 *   not by this code, and Deno's TLS listener does not report it; the name
 *   a certificate is checked against is tested in proxy_tls_test.ts.
 * - test_urllib urlopen_FileTests test_fileno, urlopen_HttpTests
 *   test_willclose: responses have no `fileno()` or `will_close` (README).
 * - test_urllib test_userpass_inurl, test_userpass_inurl_w_spaces,
 *   URLopener_Tests, Utility_Tests: the deprecated URLopener /
 *   FancyURLopener and `thishost` are not ported (through urlopen a
 *   `user:pass@` host is no credentials, as in Python).
 * - test_urllib RequestTests test_default_values with `data={}`: a plain
 *   object in that place is the keywords object (README, `Request`), and a
 *   dict is no request body here.
 * - Pathname_Tests test_prefixes, test_ntpath, URL2PathNameTests,
 *   PathName2URLTests: Windows' nturl2path forms.
 * - test_processors' open that no handler answers returning None: a bare
 *   OpenerDirector throws URLError there (README); the processors are
 *   tested with a handler that answers.
 */
import { createHash } from "node:crypto";
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  AbstractDigestAuthHandler,
  AbstractHTTPHandler,
  addinfourl,
  BaseHandler,
  build_opener,
  create_default_context,
  HTTPErrorProcessor,
  HTTPHandler,
  HTTPMessage,
  HTTPRedirectHandler,
  type HTTPResponse,
  HTTPSHandler,
  OpenerDirector,
  ProxyDigestAuthHandler,
  ProxyHandler,
  Request,
  UnknownHandler,
  urlopen,
  urlretrieve,
} from "../../../urllib/request/mod.ts";
import { BadStatusLine, HTTPError, URLError } from "../../../urllib/error.ts";
import { startRaw, startSite, text } from "./_site.ts";
import { startHostile } from "./_hostile.ts";
import { haveTinyproxy, startTinyproxy } from "./_tinyproxy.ts";
import { havePython313, pythonJson } from "../../_python.ts";
import { haveOpenssl, makeCerts } from "../../_tls.ts";

const enc = new TextEncoder();

/** Latin-1 text as the bytes a server sends. */
function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------------------
// OpenerDirectorTests

type Call = [handler: string, method: string, args: unknown[]];

/**
 * A handler whose methods record their calls and then do `action`:
 * `null` answers nothing, "self" answers with the handler, "raise" throws
 * URLError, "response" answers a response, "error N" reports status N to
 * the opener's error chain.
 */
function recorder(
  name: string,
  order: number,
  methods: Record<string, string | null>,
  calls: Call[],
): BaseHandler {
  class Recorder extends BaseHandler {}
  const handler = new Recorder();
  handler.handler_order = order;
  for (const [method, action] of Object.entries(methods)) {
    Object.defineProperty(Recorder.prototype, method, {
      value(this: BaseHandler, ...args: unknown[]) {
        calls.push([name, method, args]);
        if (action === null) return null;
        if (action === "self") return this;
        if (action === "raise") throw new URLError("blah");
        if (action === "response") {
          return new addinfourl(new Uint8Array(), new HTTPMessage(), "x", 200);
        }
        const code = Number(action.split(" ")[1]);
        const fp = new addinfourl(new Uint8Array(), null, "x", 200);
        return this.parent.error("http", args[0], fp, code, "", null);
      },
    });
  }
  return handler;
}

Deno.test("OpenerDirector: do_open, proxy_open and redirect_request are no handler methods, though named like them (test_badly_named_methods)", async () => {
  const calls: Call[] = [];
  const opener = new OpenerDirector();
  opener.add_handler(
    recorder("a", 500, { do_open: "self", proxy_open: "self" }, calls),
  );
  opener.add_handler(recorder("b", 501, { redirect_request: "self" }, calls));
  opener.add_handler(new UnknownHandler());
  for (const scheme of ["do", "proxy", "redirect"]) {
    await rejects(
      opener.open(`${scheme}://example.com/`),
      (e) =>
        e instanceof URLError && e.reason === `unknown url type: ${scheme}`,
    );
  }
  deepEqual(calls, []);
});

Deno.test("OpenerDirector: the first handler to answer wins and no later one is called; a URLError stops the chain; a lower handler_order goes first (test_handled, test_raise, test_handler_order)", async () => {
  let calls: Call[] = [];
  let opener = new OpenerDirector();
  const handlers = [
    recorder(
      "h0",
      500,
      { http_open: null, ftp_open: null, http_error_302: null },
      calls,
    ),
    recorder("h1", 501, { ftp_open: null }, calls),
    recorder("h2", 502, { http_open: "self" }, calls),
    recorder("h3", 503, { http_open: "self" }, calls),
  ];
  for (const h of handlers) opener.add_handler(h);
  const req = new Request("http://example.com/");
  const answer: unknown = await opener.open(req);
  equal(answer, handlers[2]);
  deepEqual(calls, [["h0", "http_open", [req]], ["h2", "http_open", [req]]]);

  calls = [];
  opener = new OpenerDirector();
  opener.add_handler(recorder("r", 500, { http_open: "raise" }, calls));
  opener.add_handler(recorder("s", 501, { http_open: "self" }, calls));
  await rejects(opener.open(req), URLError);
  deepEqual(calls.map(([h, m]) => [h, m]), [["r", "http_open"]]);

  calls = [];
  opener = new OpenerDirector();
  opener.add_handler(recorder("late", 500, { http_open: "self" }, calls));
  opener.add_handler(recorder("early", 0, { http_open: null }, calls));
  await opener.open("http://example.com/");
  deepEqual(calls.map(([h]) => h), ["early", "late"]);
});

Deno.test("OpenerDirector.error: http_error_<code> handlers run in order until one answers, given (req, fp, code, msg, hdrs); 'http_error' is the kind 'error' (test_http_error)", async () => {
  const calls: Call[] = [];
  const opener = new OpenerDirector();
  for (
    const h of [
      recorder("h0", 500, { http_open: "error 302" }, calls),
      recorder("h1", 501, { http_error_400: "raise", http_open: null }, calls),
      recorder("h2", 502, {
        http_error_302: "response",
        http_error_303: null,
        http_error: null,
      }, calls),
      recorder("h3", 503, { http_error_302: null }, calls),
    ]
  ) opener.add_handler(h);
  const req = new Request("http://example.com/");
  const resp = await opener.open(req);
  equal(resp.getcode(), 200);
  deepEqual(calls.map(([h, m]) => [h, m]), [
    ["h0", "http_open"],
    ["h2", "http_error_302"],
  ]);
  const [, , args] = calls[1]!;
  equal(args.length, 5);
  equal(args[0], req);
  ok(args[1] instanceof addinfourl);
  deepEqual(args.slice(2), [302, "", null]);
  deepEqual(
    [...opener.handle_error.get("http")!.keys()].sort(),
    [302, 303, 400, "error"].sort(),
  );
});

Deno.test("OpenerDirector: every <protocol>_request and _response processor runs, in handler order, not only the first (test_processors)", async () => {
  const calls: Call[] = [];
  const opener = new OpenerDirector();
  for (const [name, order] of [["p0", 500], ["p1", 501]] as const) {
    opener.add_handler(
      recorder(name, order, { http_request: null, http_response: null }, calls),
    );
  }
  // Processors here pass on what they were given.
  for (const h of opener.handlers) {
    const rec = h as unknown as Record<string, (...a: unknown[]) => unknown>;
    const request = rec.http_request!;
    const response = rec.http_response!;
    Object.defineProperty(h, "http_request", {
      value: (r: Request) => (request.call(h, r), r),
    });
    Object.defineProperty(h, "http_response", {
      value: (r: Request, resp: unknown) => (response.call(h, r, resp), resp),
    });
  }
  opener.add_handler(recorder("opens", 600, { http_open: "response" }, calls));
  const req = new Request("http://example.com/");
  const resp = await opener.open(req);
  deepEqual(calls.map(([h, m, a]) => [h, m, a.length]), [
    ["p0", "http_request", 1],
    ["p1", "http_request", 1],
    ["opens", "http_open", 1],
    ["p0", "http_response", 2],
    ["p1", "http_response", 2],
  ]);
  for (const [, , args] of calls) equal(args[0], req);
  equal(calls[3]![2][1], resp);
});

// ---------------------------------------------------------------------------
// HandlerTests

Deno.test("do_request_: a body's Content-type and Content-length (or chunked), Host (the origin's through a proxy too), the opener's addheaders, none overwriting what is set (test_http, test_http_body_*, test_http_doubleslash, test_fixpath_in_weirdurls)", async () => {
  const opener = new OpenerDirector();
  opener.addheaders = [["Spam", "eggs"]];
  const h = new AbstractHTTPHandler();
  h.add_parent(opener);
  for (const data of [new Uint8Array(0), null]) {
    const req = h.do_request_(new Request("http://example.com/", data));
    deepEqual(
      req.unredirected_hdrs,
      data === null ? { Host: "example.com", Spam: "eggs" } : {
        "Content-type": "application/x-www-form-urlencoded",
        "Content-length": "0",
        Host: "example.com",
        Spam: "eggs",
      },
    );
    for (const name of ["Content-length", "Content-type", "Host", "Spam"]) {
      req.add_unredirected_header(name, "mine");
    }
    h.do_request_(req);
    for (const name of ["Content-length", "Content-type", "Host", "Spam"]) {
      equal(req.get_header(name), "mine");
    }
  }
  // A str body is refused.
  const str = new Request("http://example.com/", "badpost" as never);
  let refused: unknown = null;
  try {
    h.do_request_(str);
  } catch (e) {
    refused = e;
  }
  ok(
    refused instanceof TypeError &&
      /cannot be of type str/.test(refused.message),
  );
  // Bodies of unknown length go chunked unless a length is given; a typed
  // array's length is its byte count.
  function* iterable() {
    yield enc.encode("one");
  }
  const file = await Deno.makeTempFile();
  try {
    for (
      const [body, given, length, chunked] of [
        [() => iterable(), null, null, "chunked"],
        [() => iterable(), "11", "11", null],
        [() => [], null, null, "chunked"],
        [() => new Uint32Array([1, 2, 3, 4]), null, "16", null],
        [() => new Uint32Array([1, 2, 3, 4]), "16", "16", null],
        [() => Deno.openSync(file), null, null, "chunked"],
        [() => Deno.openSync(file), "30", "30", null],
      ] as const
    ) {
      const data = body();
      const req = h.do_request_(
        new Request(
          "http://example.com/",
          data as never,
          given === null ? {} : { "Content-Length": given },
        ),
      );
      equal(req.get_header("Content-length"), length);
      equal(req.get_header("Transfer-encoding"), chunked);
      if (data instanceof Deno.FsFile) data.close();
    }
  } finally {
    await Deno.remove(file);
  }
  // Host is the origin's, whatever slashes the path holds, with or without
  // a proxy; a path that does not start with "/" gets one.
  for (
    const url of [
      "http://example.com/foo/bar/baz.html",
      "http://example.com//foo/bar/baz.html",
      "http://example.com/foo//bar/baz.html",
      "http://example.com/foo/bar//baz.html",
    ]
  ) {
    equal(
      h.do_request_(new Request(url, new Uint8Array())).unredirected_hdrs.Host,
      "example.com",
    );
    const proxied = new Request(url, new Uint8Array());
    proxied.set_proxy("someproxy:3128", null as unknown as string);
    equal(h.do_request_(proxied).unredirected_hdrs.Host, "example.com");
  }
  const weird = h.do_request_(new Request("http://www.python.org?getspam"));
  deepEqual([weird.host, weird.selector], ["www.python.org", "/?getspam"]);
  const bare = h.do_request_(new Request("http://www.python.org"));
  deepEqual([bare.host, bare.selector], ["www.python.org", ""]);
});

Deno.test("HTTPErrorProcessor: every 2xx passes, as the response itself; anything else goes to the error chain (test_errors)", async () => {
  const statuses = [200, 202, 206, 299, 199, 300, 502];
  let i = 0;
  await using raw = startRaw(() => {
    const code = statuses[i++];
    return `HTTP/1.1 ${code} Reason ${code}\r\nContent-Length: 2\r\n\r\nok`;
  });
  for (const code of statuses) {
    if (code >= 200 && code < 300) {
      await using resp = await urlopen(`${raw.base}/${code}`);
      equal(resp.status, code);
      equal(text(await resp.read()), "ok");
    } else {
      await rejects(urlopen(`${raw.base}/${code}`), (e) => {
        ok(e instanceof HTTPError);
        deepEqual([e.code, e.msg], [code, `Reason ${code}`]);
        return true;
      });
    }
  }
  // Called directly, it returns what the opener's error() answers.
  const h = new HTTPErrorProcessor();
  const seen: unknown[][] = [];
  h.add_parent(
    { error: (...args: unknown[]) => (seen.push(args), null) } as never,
  );
  const req = new Request("http://example.com/");
  const fine = new addinfourl(new Uint8Array(), new HTTPMessage(), "u", 206);
  equal(await h.http_response(req, fine), fine);
  const bad = new addinfourl(new Uint8Array(), new HTTPMessage(), "u", 502);
  equal(await h.http_response(req, bad), null);
  equal(seen.length, 1);
  deepEqual(seen[0]!.slice(0, 4), ["http", req, bad, 502]);
});

/** A server answering the first request with `head` and then 200 "123". */
function redirecting(head: string) {
  let n = 0;
  return startRaw(() =>
    n++ === 0
      ? latin1(`HTTP/1.1 ${head}\r\nContent-Length: 0\r\n\r\n`)
      : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n123"
  );
}

function requestLines(raw: { requests: string[] }): string[] {
  return raw.requests.map((r) => r.slice(0, r.indexOf("\r\n")));
}

Deno.test("redirects: headers go on but unredirected ones do not; a Location's fragment stays in geturl(); '?query' keeps the path; raw non-ASCII bytes are percent-encoded (test_redirect, test_redirect_fragment, test_redirect_no_path, test_redirect_encoding)", async () => {
  {
    await using raw = redirecting("302 Found\r\nLocation: /b.html");
    const req = new Request(`${raw.base}/a.html`);
    req.add_header("Nonsense", "viking=withhold");
    req.add_unredirected_header("Spam", "spam");
    await using resp = await urlopen(req);
    equal(text(await resp.read()), "123");
    ok(raw.requests[0]!.includes("\r\nSpam: spam\r\n"));
    ok(raw.requests[1]!.startsWith("GET /b.html "));
    ok(raw.requests[1]!.includes("\r\nNonsense: viking=withhold\r\n"));
    ok(!raw.requests[1]!.includes("Spam"));
  }
  for (
    const [location, path, url] of [
      ["/index.html#OK", "/index.html", "/index.html#OK"],
      ["?query", "/path?query", "/path?query"],
      ["/p\xc3\xa5-dansk/", "/p%C3%A5-dansk/", "/p%C3%A5-dansk/"],
      ["/spaced%20path/", "/spaced%20path/", "/spaced%20path/"],
      ["/spaced path/", "/spaced%20path/", "/spaced%20path/"],
      ["/?p\xc3\xa5-dansk", "/?p%C3%A5-dansk", "/?p%C3%A5-dansk"],
    ]
  ) {
    await using raw = redirecting(`302 Found\r\nLocation: ${location}`);
    await using resp = await urlopen(`${raw.base}/path`);
    equal(resp.geturl(), `${raw.base}${url}`);
    deepEqual(requestLines(raw), [
      "GET /path HTTP/1.1",
      `GET ${path} HTTP/1.1`,
    ]);
  }
  // Only a URI header: followed as a Location.
  {
    await using raw = redirecting("302 Found\r\nURI: /u");
    await using resp = await urlopen(`${raw.base}/x`);
    equal(resp.geturl(), `${raw.base}/u`);
  }
});

Deno.test("redirects: a Location naming a host but no path gets '/'; one with neither Location nor URI, or whose redirect_request gives None, is the HTTPError", async () => {
  {
    let base = "";
    let n = 0;
    await using raw = startRaw(() =>
      n++ === 0
        ? `HTTP/1.1 301 Moved\r\nLocation: ${base}\r\nContent-Length: 0\r\n\r\n`
        : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n123"
    );
    base = raw.base;
    await using resp = await urlopen(`${raw.base}/a`);
    equal(resp.geturl(), `${raw.base}/`);
    deepEqual(requestLines(raw), ["GET /a HTTP/1.1", "GET / HTTP/1.1"]);
  }
  {
    await using raw = redirecting("302 Found");
    await rejects(
      urlopen(`${raw.base}/a`),
      (e) => e instanceof HTTPError && e.code === 302,
    );
    equal(raw.requests.length, 1);
  }
  {
    class Refusing extends HTTPRedirectHandler {
      override redirect_request(): null {
        return null;
      }
    }
    await using raw = redirecting("302 Found\r\nLocation: /b");
    await rejects(
      build_opener(new Refusing()).open(`${raw.base}/a`),
      (e) => e instanceof HTTPError && e.code === 302,
    );
    equal(raw.requests.length, 1);
  }
});

Deno.test("redirects: an ftp: target is allowed, then has no handler (URLError, not the HTTPError of a refused scheme); each urlopen counts its own redirects (test_invalid_redirect, test_redirect_limit_independent)", async () => {
  await using raw = redirecting(
    "302 Found\r\nLocation: ftp://example.com/b.html",
  );
  await rejects(
    urlopen(`${raw.base}/`),
    (e) =>
      e instanceof URLError && !(e instanceof HTTPError) &&
      e.reason === "unknown url type: ftp",
  );
  await using site = startSite();
  for (let i = 0; i < 3; i++) {
    await using resp = await urlopen(`${site.base}/chain/9`);
    equal(resp.geturl(), `${site.base}/echo`);
  }
});

Deno.test("the connection is closed once the response is closed (chunked, Content-Length), and after a status line that is not HTTP (test_http_closed, test_invalid_closed)", async () => {
  for (
    const reply of [
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndata",
    ]
  ) {
    const { promise: closed, resolve } = Promise.withResolvers<void>();
    await using server = startHostile(async (wire) => {
      await wire.write(reply);
      await wire.closedByClient();
      resolve();
    });
    const resp = await urlopen(server.url);
    equal(text(await resp.read()), "data");
    resp.close();
    await closed;
  }
  const { promise: closed, resolve } = Promise.withResolvers<void>();
  await using server = startHostile(async (wire) => {
    await wire.write("garbage\r\n");
    await wire.closedByClient();
    resolve();
  });
  await rejects(urlopen(server.url), BadStatusLine);
  await closed;
});

Deno.test({
  name:
    "ProxyHandler: a scheme given in upper case (HTTP) is proxied, through a real proxy (test_proxy)",
  ignore: !haveTinyproxy(),
  sanitizeResources: true,
}, async () => {
  await using site = startSite();
  await using proxy = await startTinyproxy();
  const opener = build_opener(new ProxyHandler({ HTTP: proxy.url }));
  const req = new Request(`${site.base}/echo?upper=1`);
  await using resp = await opener.open(req);
  equal(JSON.parse(text(await resp.read())).url, "/echo?upper=1");
  equal(req.host, `127.0.0.1:${proxy.port}`);
  ok((await proxy.log()).includes(`GET ${site.base}/echo?upper=1`));
});

Deno.test({
  name:
    "HTTPSHandler(debuglevel) prints the exchange as HTTPHandler's does (test_https_handler_local_debuglevel)",
  ignore: !haveOpenssl,
}, async () => {
  const pem = await makeCerts();
  await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
  const context = create_default_context({ cadata: pem.ca });
  for (
    const handler of [
      new HTTPSHandler(4, context),
      new HTTPSHandler({ debuglevel: 4, context }),
    ]
  ) {
    equal(handler._debuglevel, 4);
    const url = `https://localhost:${site.port}/text`;
    const printed: string[] = [];
    const log = console.log;
    console.log = (line: string) => printed.push(String(line));
    try {
      await using resp = await build_opener(handler).open(url);
      equal((resp as HTTPResponse).debuglevel, 4);
      await resp.read();
    } finally {
      console.log = log;
    }
    // The Date header differs run to run: look for the lines that do not.
    ok(
      printed.includes(
        `send: b'GET /text HTTP/1.1\\r\\nAccept-Encoding: identity\\r\\nHost: localhost:${site.port}\\r\\nUser-Agent: Python-urllib/3.13\\r\\nConnection: close\\r\\n\\r\\n'`,
      ),
      printed.join("\n"),
    );
    ok(printed.includes("reply: 'HTTP/1.1 200 OK\\r\\n'"));
    ok(printed.includes("header: content-length: 22"));
  }
});

// ---------------------------------------------------------------------------
// MiscTests

Deno.test("build_opener keeps two subclasses of one default handler (Issue2670), and handlers of new schemes, classes or instances (test_build_opener)", () => {
  class MyHTTPHandler extends HTTPHandler {}
  class MyOtherHTTPHandler extends HTTPHandler {}
  class FooHandler extends BaseHandler {
    foo_open() {
      return null;
    }
  }
  class BarHandler extends BaseHandler {
    bar_open() {
      return null;
    }
  }
  const has = (o: OpenerDirector, k: unknown) =>
    o.handlers.some((h) => h.constructor === k);
  let o = build_opener(MyHTTPHandler, MyOtherHTTPHandler);
  ok(
    has(o, MyHTTPHandler) && has(o, MyOtherHTTPHandler) && !has(o, HTTPHandler),
  );
  o = build_opener(FooHandler, new BarHandler());
  ok(has(o, FooHandler) && has(o, BarHandler) && has(o, HTTPHandler));
  for (const given of [HTTPHandler, new HTTPHandler()]) {
    o = build_opener(given);
    equal(o.handlers.filter((h) => h instanceof HTTPHandler).length, 1);
  }
});

Deno.test("get_algorithm_impls refuses an algorithm it does not know, naming it (test_unsupported_algorithm)", () => {
  let thrown: unknown = null;
  try {
    new AbstractDigestAuthHandler().get_algorithm_impls("invalid");
  } catch (e) {
    thrown = e;
  }
  // Python's ValueError for a value outside the known set.
  ok(thrown instanceof RangeError);
  equal(
    (thrown as Error).message,
    "Unsupported digest authentication algorithm 'invalid'",
  );
});

// ---------------------------------------------------------------------------
// test_urllib2_localnet: ProxyAuthTests

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/**
 * A forward proxy demanding Digest credentials (tester / test123, realm
 * TestRealm) as CPython's localnet test proxy does: a fresh nonce with
 * every challenge, each nonce good for one answer, the challenge written
 * `qop="auth",nonce="...", ` with its trailing comma, and the digest's uri
 * the request target the proxy received (the full URL).
 */
function digestProxy(qop: string) {
  let issued = 0;
  const nonces = new Set<string>();
  let requests = 0;
  const server = startHostile(async (wire) => {
    requests++;
    const [line, ...fields] = wire.request.split("\r\n");
    const [method, target] = line!.split(" ");
    const header = fields.find((f) => /^proxy-authorization:/i.test(f));
    const params: Record<string, string> = {};
    for (const m of (header ?? "").matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
      params[m[1]!] = m[2] ?? m[3]!;
    }
    let valid = false;
    if (
      params.username === "tester" && params.nonce !== undefined &&
      nonces.delete(params.nonce)
    ) {
      const ha1 = md5("tester:TestRealm:test123");
      const ha2 = md5(`${method}:${target}`);
      valid = params.uri === target && params.response ===
          md5(
            `${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:${params.qop}:${ha2}`,
          );
    }
    if (valid) {
      const body = `You've reached ${target}!`;
      await wire.write(
        `HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    const nonce = md5(String(++issued));
    nonces.add(nonce);
    const reply = "Proxy Authentication Required.";
    await wire.write(
      "HTTP/1.0 407 Proxy Authentication Required\r\nContent-Type: text/html\r\n" +
        `Proxy-Authenticate: Digest realm="TestRealm", qop="${qop}",nonce="${nonce}", \r\n` +
        `Content-Length: ${reply.length}\r\n\r\n${reply}`,
    );
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    get requests() {
      return requests;
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
}

interface ProxyOutcome {
  outcome: string;
  requests: number;
}

/** The cases of ProxyAuthTests: the password given, and the proxy's qop. */
const PROXY_CASES = [
  { password: "test123", qop: "auth" },
  { password: "test123bad", qop: "auth" },
  { password: null, qop: "auth" },
  { password: "test123", qop: "auth-int" },
] as const;

// CPython 3.13's outcomes against the proxy above (see the test below).
const PROXY_EXPECTED: ProxyOutcome[] = [
  { outcome: "200 You've reached http://localhost!", requests: 2 },
  { outcome: "HTTPError 401 digest auth failed", requests: 7 },
  { outcome: "HTTPError 407 Proxy Authentication Required", requests: 1 },
  { outcome: "URLError qop 'auth-int' is not supported.", requests: 1 },
];

async function ourProxyOutcome(
  proxy: string,
  password: string | null,
): Promise<string> {
  const digest = new ProxyDigestAuthHandler();
  if (password !== null) {
    digest.add_password("TestRealm", "http://localhost", "tester", password);
  }
  const opener = build_opener(new ProxyHandler({ http: proxy }), digest);
  try {
    await using resp = await opener.open("http://localhost", null, 5);
    return `${resp.status} ${text(await resp.read())}`;
  } catch (e) {
    if (e instanceof HTTPError) {
      await e.close();
      return `HTTPError ${e.code} ${e.msg}`;
    }
    if (e instanceof URLError) return `URLError ${e.reason}`;
    throw e;
  }
}

Deno.test("ProxyDigestAuthHandler against a Digest proxy, for a URL with no path: right password, wrong one, none, and a qop of auth-int only (ProxyAuthTests)", async () => {
  for (const [i, { password, qop }] of PROXY_CASES.entries()) {
    await using proxy = digestProxy(qop);
    const outcome = await ourProxyOutcome(proxy.url, password);
    deepEqual({ outcome, requests: proxy.requests }, PROXY_EXPECTED[i]);
  }
});

const PY_PROXY_CLIENT = `
import json, sys, urllib.request, urllib.error
cfg = json.load(sys.stdin)
digest = urllib.request.ProxyDigestAuthHandler()
if cfg["password"] is not None:
    digest.add_password("TestRealm", "http://localhost", "tester", cfg["password"])
opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({"http": cfg["proxy"]}), digest)
try:
    with opener.open("http://localhost", timeout=5) as r:
        out = "%d %s" % (r.status, r.read().decode())
except urllib.error.HTTPError as e:
    out = "HTTPError %d %s" % (e.code, e.msg)
except urllib.error.URLError as e:
    out = "URLError %s" % e.reason
print(json.dumps(out))
`;

Deno.test({
  name:
    "ProxyAuthTests' outcomes and request counts are CPython 3.13's against the same proxy",
  ignore: !havePython313(),
}, async () => {
  for (const [i, { password, qop }] of PROXY_CASES.entries()) {
    await using proxy = digestProxy(qop);
    const outcome = await pythonJson<string>(PY_PROXY_CLIENT, {
      input: { proxy: proxy.url, password },
    });
    deepEqual({ outcome, requests: proxy.requests }, PROXY_EXPECTED[i]);
  }
});

// ---------------------------------------------------------------------------
// test_urllib2_localnet: TestUrlopen

/** CPython's TestUrlopen.urlopen: readlines(200), readline, read(1024), read. */
async function readEveryWay(resp: addinfourl): Promise<string> {
  const parts = [
    ...await resp.readlines(200),
    await resp.readline(),
    await resp.read(1024),
    await resp.read(),
  ];
  resp.close();
  return parts.map(text).join("");
}

Deno.test("TestUrlopen: a chunked body whose last chunk is followed by the end of the stream (no final CRLF) reads whole, every way (test_chunked)", async () => {
  // Python's BaseHTTPRequestHandler answers HTTP/1.0 and then closes.
  await using raw = startRaw(() =>
    "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-type: text/plain\r\n\r\n" +
    "a\r\nhello worl\r\n1\r\nd\r\n0\r\n"
  );
  equal(await readEveryWay(await urlopen(`${raw.base}/`)), "hello world");
  await using resp = await urlopen(`${raw.base}/`);
  const lines: string[] = [];
  for await (const line of resp) lines.push(text(line));
  deepEqual(lines, ["hello world"]);
});

Deno.test("TestUrlopen: lines are iterated whole, a 73 KB one too (test_line_iteration, test_iteration)", async () => {
  const lines = ["We\n", "got\n", "here\n", "verylong ".repeat(8192) + "\n"];
  await using raw = startRaw(() => `HTTP/1.0 200 OK\r\n\r\n${lines.join("")}`);
  await using resp = await urlopen(raw.base);
  const got: string[] = [];
  for await (const line of resp) got.push(text(line));
  deepEqual(got, lines);
});

Deno.test("TestUrlopen: one Request opened twice with new data sends each with its own Content-length (test_issue16464)", async () => {
  await using raw = startRaw(() =>
    "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nany"
  );
  const opener = build_opener();
  const req = new Request(raw.base);
  equal(req.data, null);
  await (await opener.open(req, enc.encode("1"))).read();
  deepEqual([
    text(req.data as unknown as Uint8Array),
    req.get_header("Content-length"),
  ], [
    "1",
    "1",
  ]);
  await (await opener.open(req, enc.encode("1234567890"))).read();
  deepEqual([
    text(req.data as unknown as Uint8Array),
    req.get_header("Content-length"),
  ], [
    "1234567890",
    "10",
  ]);
  ok(raw.requests[0]!.includes("\r\nContent-Length: 1\r\n"));
  ok(raw.requests[0]!.endsWith("\r\n\r\n1"));
  ok(raw.requests[1]!.includes("\r\nContent-Length: 10\r\n"));
  ok(!raw.requests[1]!.includes("Content-Length: 1\r\n"));
  ok(raw.requests[1]!.endsWith("\r\n\r\n1234567890"));
});

// ---------------------------------------------------------------------------
// test_urllib: urlopen_HttpTests, urlretrieve_FileTests, URLopener_Tests

Deno.test("urlopen reads HTTP/0.9, 1.0 and 1.1 status lines (test_read_0_9, test_read_1_0, test_read_1_1); a header block cut off by the end of the stream is still the answer (test_read_bogus)", async () => {
  for (const [version, number] of [["0.9", 10], ["1.0", 10], ["1.1", 11]]) {
    await using raw = startRaw(() => `HTTP/${version} 200 OK\r\n\r\nHello!`);
    await using resp = await urlopen(`${raw.base}/`);
    equal(text(await resp.readline()), "Hello!");
    equal((await resp.readline()).length, 0);
    deepEqual([resp.geturl(), resp.getcode(), (resp as HTTPResponse).version], [
      `${raw.base}/`,
      200,
      number,
    ]);
  }
  // Bare LF line ends, and no blank line before the end.
  await using raw = startRaw(() =>
    "HTTP/1.1 401 Authentication Required\nDate: Wed, 02 Jan 2008 03:03:54 GMT\nConnection: close\nContent-Type: text/html; charset=iso-8859-1\n"
  );
  await rejects(urlopen(`${raw.base}/`), (e) => {
    ok(e instanceof HTTPError);
    deepEqual([e.code, e.msg], [401, "Authentication Required"]);
    deepEqual(e.headers?.items(), [
      ["Date", "Wed, 02 Jan 2008 03:03:54 GMT"],
      ["Connection", "close"],
      ["Content-Type", "text/html; charset=iso-8859-1"],
    ]);
    return true;
  });
});

Deno.test("file: URLs with a port, or naming another host before '//', are refused as Python refuses them (test_file)", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "hello, world\n");
    for (
      const [url, reason] of [
        [`file://localhost:80${path}`, "file not on local host"],
        [`file://127.0.0.1:80${path}`, "file not on local host"],
        [
          `file://somerandomhost.ontheinternet.com${path}`,
          "file not on local host",
        ],
        [
          "file://not-a-local-host.com//dir/file.txt",
          "file:// scheme is supported only on localhost",
        ],
        [
          "file://ftp.example.com//foo.txt",
          "file:// scheme is supported only on localhost",
        ],
        [
          "file://somehost//foo/something.txt",
          "file:// scheme is supported only on localhost",
        ],
      ] as const
    ) {
      await rejects(
        urlopen(url),
        (e) => e instanceof URLError && e.reason === reason,
        url,
      );
    }
    // An empty port is no port.
    await using resp = await urlopen(`file://localhost:${path}`);
    equal(text(await resp.read()), "hello, world\n");
    equal(resp.geturl(), `file://localhost${path}`);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("local_file: and local-file: are unknown schemes (test_local_file_open, CVE-2019-9948)", async () => {
  for (const scheme of ["local_file", "local-file"]) {
    await rejects(
      urlopen(`${scheme}://example`),
      (e) =>
        e instanceof URLError && e.reason === `unknown url type: ${scheme}`,
    );
  }
});

Deno.test("urlretrieve of a file: URL copies it and reports as Python does: once for 0 bytes, twice for 5, three times for 8193 (test_copy, test_reporthook*)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [size, calls] of [
        [0, [[0, 8192, 0]]],
        [5, [[0, 8192, 5], [1, 8192, 5]]],
        [8193, [[0, 8192, 8193], [1, 8192, 8193], [2, 8192, 8193]]],
      ] as const
    ) {
      const source = `${dir}/source${size}`;
      const data = new Uint8Array(size).map((_, i) => i % 251);
      await Deno.writeFile(source, data);
      const seen: number[][] = [];
      const target = `${dir}/copy${size}`;
      const [name] = await urlretrieve(
        `file://${source}`,
        target,
        (n, bs, total) => seen.push([n, bs, total]),
      );
      equal(name, target);
      deepEqual(seen, calls);
      deepEqual(await Deno.readFile(target), data);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  addinfourl,
  BaseHandler,
  build_opener,
  HTTPBasicAuthHandler,
  HTTPCookieProcessor,
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
  HTTPHandler,
  HTTPMessage,
  HTTPRedirectHandler,
  HTTPSHandler,
  install_opener,
  OpenerDirector,
  Request,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { URLError } from "../../../urllib/error.ts";
import { startSite, text } from "./_site.ts";

function body(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

Deno.test("OpenerDirector dispatches by method name and handler_order", async () => {
  const calls: string[] = [];
  class Early extends BaseHandler {
    override handler_order = 100;
    x_request(req: Request) {
      calls.push("early_request");
      req.add_header("X-Seen", "early");
      return req;
    }
    x_open(_req: Request) {
      calls.push("early_open");
      return null;
    }
  }
  class Late extends BaseHandler {
    x_open(req: Request) {
      calls.push("late_open");
      return new addinfourl(
        body(req.get_header("X-seen") ?? ""),
        null,
        req.full_url,
        200,
      );
    }
    async x_response(_req: Request, resp: addinfourl) {
      await Promise.resolve();
      calls.push("late_response");
      return resp;
    }
  }
  const opener = new OpenerDirector();
  opener.add_handler(new Late());
  opener.add_handler(new Early());
  const resp = await opener.open("x:thing");
  equal(text(await resp.read()), "early");
  deepEqual(calls, [
    "early_request",
    "early_open",
    "late_open",
    "late_response",
  ]);
  deepEqual(opener.handlers.map((h) => h.handler_order), [100, 500]);
});

Deno.test("default_open and unknown_open frame the scheme chain", async () => {
  const order: string[] = [];
  class Default extends BaseHandler {
    default_open() {
      order.push("default");
      return null;
    }
  }
  class Unknown extends BaseHandler {
    unknown_open(req: Request) {
      order.push("unknown");
      return new addinfourl(body(req.type), null, req.full_url);
    }
  }
  const opener = new OpenerDirector();
  opener.add_handler(new Unknown());
  opener.add_handler(new Default());
  const resp = await opener.open("zzz:1");
  equal(text(await resp.read()), "zzz");
  deepEqual(order, ["default", "unknown"]);
});

Deno.test("add_handler reads an error kind as Python's int() does", () => {
  class Underscored extends BaseHandler {
    http_error_4_04() {
      return null;
    }
    http_error_x() {
      return null;
    }
  }
  const opener = new OpenerDirector();
  opener.add_handler(new Underscored());
  deepEqual([...opener.handle_error.get("http")!.keys()].sort(), [404, "x"]);
});

Deno.test("add_handler rejects non-handlers and ignores handlers with no methods", () => {
  const opener = new OpenerDirector();
  throws(() => opener.add_handler({} as BaseHandler), TypeError);
  opener.add_handler(new BaseHandler());
  equal(opener.handlers.length, 0);
});

Deno.test("build_opener replaces defaults by class and by instance", () => {
  class MyRedirect extends HTTPRedirectHandler {}
  const a = build_opener(MyRedirect);
  equal(a.handlers.filter((h) => h instanceof HTTPRedirectHandler).length, 1);
  ok(a.handlers.some((h) => h instanceof MyRedirect));
  const b = build_opener(new HTTPDefaultErrorHandler());
  equal(
    b.handlers.filter((h) => h instanceof HTTPDefaultErrorHandler).length,
    1,
  );
  // ProxyHandler has no methods (so is not kept) when no proxy is configured.
  const names = build_opener().handlers.map((h) => h.constructor.name).filter((
    n,
  ) => n !== "ProxyHandler");
  deepEqual(names.sort(), [
    "DataHandler",
    "FileHandler",
    "HTTPDefaultErrorHandler",
    "HTTPErrorProcessor",
    "HTTPHandler",
    "HTTPRedirectHandler",
    "HTTPSHandler",
    "UnknownHandler",
  ]);
});

Deno.test("http_error_<code> handlers run before http_error_default", async () => {
  await using site = startSite();
  class Teapot extends BaseHandler {
    http_error_404(_req: Request, fp: addinfourl) {
      return fp;
    }
  }
  const resp = await build_opener(Teapot).open(`${site.base}/nothing`);
  equal(resp.status, 404);
  equal(text(await resp.read()), "not found");
});

Deno.test("install_opener makes urlopen use that opener", async () => {
  class Tagger extends BaseHandler {
    tag_open(req: Request) {
      return new addinfourl(body("tagged"), null, req.full_url);
    }
  }
  install_opener(build_opener(Tagger));
  try {
    equal(text(await (await urlopen("tag:x")).read()), "tagged");
  } finally {
    install_opener(null);
  }
  await rejects(
    urlopen("tag:x"),
    (e) => e instanceof URLError && e.reason === "unknown url type: tag",
  );
});

Deno.test("a response processor may set code, which HTTPErrorProcessor reads, as in Python; status follows it except on an HTTP response", async () => {
  await using site = startSite();
  class Fix extends BaseHandler {
    http_response(_req: Request, resp: addinfourl) {
      resp.code = 200;
      return resp;
    }
    data_response(_req: Request, resp: addinfourl) {
      resp.code = 203;
      return resp;
    }
  }
  // CPython 3.13: "ok 200 404", then 203.
  const resp = await build_opener(Fix).open(`${site.base}/nothing`);
  equal(resp.code, 200);
  equal(resp.status, 404);
  const data = await build_opener(Fix).open("data:,hi");
  equal(data.code, 203);
  equal(data.status, 203);
});

Deno.test("install_opener takes any object with open(), as Python stores what it is given", async () => {
  const stand_in = {
    open: (url: string | Request) =>
      Promise.resolve(new addinfourl(body(`mocked ${url}`), null, String(url))),
  };
  install_opener(stand_in);
  try {
    equal(text(await (await urlopen("http://x/")).read()), "mocked http://x/");
  } finally {
    install_opener(null);
  }
  throws(
    () => install_opener({} as unknown as OpenerDirector),
    /open\(\) method/,
  );
});

Deno.test("a request processor that returns nothing fails before any handler opens, as Python's audit of req.full_url does; an opener with no http_error handler refuses error('http')", async () => {
  // CPython 3.13: AttributeError, then KeyError: 'http'.
  const opened: string[] = [];
  class Forgot extends BaseHandler {
    data_request(_req: Request): void {}
    default_open(req: Request): null {
      opened.push(req.full_url);
      return null;
    }
  }
  await rejects(
    build_opener(new Forgot()).open("data:,x"),
    new TypeError("'NoneType' object has no attribute 'full_url'"),
  );
  deepEqual(opened, []);
  const bare = new OpenerDirector();
  bare.add_handler(new HTTPErrorProcessor());
  await rejects(
    bare.error("http", null, null, 404, "nf", {}),
    new RangeError("no http_error handlers: 'http'"),
  );
});

Deno.test("a request that did not pass through do_request_ gets the Host http.client names itself, after the request line", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const received = (async () => {
    const conn = await listener.accept();
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    await conn.write(
      new TextEncoder().encode("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
    );
    conn.close();
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
  })();
  class Unprepared extends HTTPHandler {
    override http_request(req: Request): Request {
      return req;
    }
  }
  await (await build_opener(new Unprepared()).open(
    `http://127.0.0.1:${port}/hdr`,
  )).read();
  // CPython 3.13's bytes for the same request.
  equal(
    await received,
    `GET /hdr HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`,
  );
});

Deno.test("a handler whose handler_order changed after it was added: the next one goes where Python's bisect.insort puts it", () => {
  // CPython 3.13: ['a', 'd', 'b', 'c'].
  class Named extends BaseHandler {
    constructor(readonly label: string, order: number) {
      super();
      this.handler_order = order;
    }
    foo_open(_req: Request): null {
      return null;
    }
  }
  const opener = new OpenerDirector();
  const b = new Named("b", 500);
  for (const handler of [new Named("a", 100), b, new Named("c", 500)]) {
    opener.add_handler(handler);
  }
  b.handler_order = 900;
  opener.add_handler(new Named("d", 600));
  deepEqual(opener.handlers.map((h) => (h as Named).label), [
    "a",
    "d",
    "b",
    "c",
  ]);
});

Deno.test("the fetch API's global Request passed to urlopen (Python's Request, not imported, in Deno): a TypeError that says which Request to import, and nothing is sent", async () => {
  await using site = startSite();
  const fetchRequest = new globalThis.Request(`${site.base}/echo`);
  for (
    const open of [
      () => urlopen(fetchRequest as unknown as string),
      () => build_opener().open(fetchRequest as unknown as string),
    ]
  ) {
    await rejects(open(), {
      name: "TypeError",
      message:
        /fetch API's Request.*import \{ Request \} from "@pyport\/web\/urllib\/request"/,
    });
  }
  equal(site.seen.length, 0);
});

Deno.test("https_request and https_response are the class's own http_ ones, as Python binds them: overriding only the http_ method (or do_request_) changes http: alone", async () => {
  const marked = (req: Request) => (req.add_header("X-Mine", "1"), req);
  class Cookies extends HTTPCookieProcessor {
    override http_request<R>(request: R): R {
      return marked(request as Request) as R;
    }
  }
  class Auth extends HTTPBasicAuthHandler {
    override http_request(req: Request): Request {
      return marked(req);
    }
  }
  class Plain extends HTTPHandler {
    override do_request_(req: Request): Request {
      return marked(req);
    }
  }
  class Secure extends HTTPSHandler {
    override do_request_(req: Request): Request {
      return marked(req);
    }
  }
  const fresh = () => new Request("https://example.com/");
  const [cookies, auth] = [new Cookies(), new Auth()];
  equal(cookies.https_request(fresh()).has_header("X-mine"), false);
  equal(cookies.http_request(fresh()).has_header("X-mine"), true);
  equal(auth.https_request(fresh()).has_header("X-mine"), false);
  equal(auth.http_request(fresh()).has_header("X-mine"), true);
  equal(new Plain().http_request(fresh()).has_header("X-mine"), false);
  equal(new Secure().https_request(fresh()).has_header("X-mine"), false);

  // The mistake Python users know: an error processor that lets errors
  // through for http: still raises them for https:.
  class Lenient extends HTTPErrorProcessor {
    override http_response(_request: Request, response: addinfourl) {
      return Promise.resolve(response);
    }
  }
  const lenient = new Lenient();
  const raised: unknown[] = [];
  lenient.add_parent(
    { error: (...args: unknown[]) => (raised.push(args[0]), null) } as never,
  );
  const bad = new addinfourl(new Uint8Array(), new HTTPMessage(), "u", 404);
  equal(await lenient.http_response(fresh(), bad), bad);
  equal(await lenient.https_response(fresh(), bad), null);
  deepEqual(raised, ["http"]);
});

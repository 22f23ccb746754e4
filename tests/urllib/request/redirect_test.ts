import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  build_opener,
  HTTPRedirectHandler,
  Request,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { HTTPError, InvalidURL } from "../../../urllib/error.ts";
import { type Seen, startSite, text } from "./_site.ts";

const enc = new TextEncoder();

async function echo(req: string | Request, data?: Uint8Array) {
  const resp = await urlopen(req, data ?? null);
  return {
    url: resp.geturl(),
    seen: JSON.parse(text(await resp.read())) as Seen,
  };
}

for (const code of [301, 302, 303, 307, 308]) {
  Deno.test(`${code} is followed for GET and HEAD, keeping headers`, async () => {
    await using site = startSite();
    const req = new Request(
      `${site.base}/redirect/${code}?to=/echo?after=${code}`,
      {
        headers: { "X-Keep": "yes", Authorization: "Bearer same-origin" },
      },
    );
    const { url, seen } = await echo(req);
    equal(url, `${site.base}/echo?after=${code}`);
    equal(seen.method, "GET");
    equal(seen.headers["x-keep"], "yes");
    equal(seen.headers["authorization"], "Bearer same-origin");
    const head = await urlopen(
      new Request(`${site.base}/redirect/${code}?to=/echo`, { method: "HEAD" }),
    );
    equal(head.status, 200);
    equal(site.seen.at(-1)?.method, "HEAD");
  });
}

for (const code of [301, 302, 303]) {
  Deno.test(`${code} turns a POST into a GET without body or content headers`, async () => {
    await using site = startSite();
    const req = new Request(`${site.base}/redirect/${code}?to=/echo`, {
      data: enc.encode("secret=1"),
      headers: { "Content-Type": "text/plain", "X-Keep": "yes" },
    });
    const { seen } = await echo(req);
    equal(seen.method, "GET");
    equal(seen.body, "");
    equal(seen.headers["content-type"], undefined);
    equal(seen.headers["content-length"], undefined);
    equal(seen.headers["x-keep"], "yes");
    equal(site.seen[0]?.body, "secret=1");
  });
}

for (const code of [307, 308]) {
  Deno.test(`${code} after a POST is an HTTPError (as Python 3.13)`, async () => {
    await using site = startSite();
    await rejects(
      urlopen(`${site.base}/redirect/${code}?to=/echo`, enc.encode("x")),
      (e) => {
        ok(e instanceof HTTPError);
        equal(e.code, code);
        return true;
      },
    );
    equal(site.seen.length, 1);
  });
}

Deno.test("at most 10 redirects, and loops are detected", async () => {
  await using site = startSite();
  const nine = await echo(`${site.base}/chain/9`);
  equal(nine.seen.url, "/echo");
  await rejects(urlopen(`${site.base}/chain/10`), (e) => {
    ok(e instanceof HTTPError);
    ok(
      e.msg.startsWith(
        "The HTTP server returned a redirect error that would lead to an infinite loop.",
      ),
    );
    return true;
  });
  const before = site.seen.length;
  await rejects(
    urlopen(`${site.base}/loop`),
    (e) => e instanceof HTTPError && e.code === 302,
  );
  // Python allows max_repeats (4) visits of one URL: the original and 4 more.
  equal(site.seen.length - before, 5);
});

Deno.test("HTTPRedirectHandler.max_redirections set on the class, as Python's class attribute", async () => {
  await using site = startSite();
  HTTPRedirectHandler.max_redirections = 1;
  try {
    equal((await echo(`${site.base}/chain/0`)).seen.url, "/echo");
    await rejects(
      urlopen(`${site.base}/chain/1`),
      (e) => e instanceof HTTPError && e.code === 302,
    );
  } finally {
    HTTPRedirectHandler.max_redirections = 10;
  }
  equal((await echo(`${site.base}/chain/1`)).seen.url, "/echo");
});

Deno.test("redirects to schemes other than http, https, ftp are refused", async () => {
  await using site = startSite();
  for (
    const target of ["file:///etc/passwd", "data:,x", "javascript:alert(1)"]
  ) {
    await rejects(
      urlopen(`${site.base}/redirect/302?to=${encodeURIComponent(target)}`),
      (e) => {
        ok(e instanceof HTTPError);
        equal(e.msg, `Found - Redirection to url '${target}' is not allowed`);
        return true;
      },
    );
  }
});

Deno.test("a redirect to a port that is not a number is Python's InvalidURL", async () => {
  await using site = startSite();
  const target = "http://127.0.0.1:abc/ok";
  await rejects(
    urlopen(`${site.base}/redirect/302?to=${encodeURIComponent(target)}`),
    (e) => {
      ok(e instanceof InvalidURL, String(e));
      equal(e.message, "nonnumeric port: 'abc'");
      return true;
    },
  );
});

Deno.test("credentials are not forwarded to another origin (better than Python)", async () => {
  await using a = startSite();
  await using b = startSite();
  const req = new Request(
    `${a.base}/redirect/302?to=${encodeURIComponent(`${b.base}/echo`)}`,
    {
      headers: {
        Authorization: "Basic c2VjcmV0",
        Cookie: "session=1",
        "Proxy-Authorization": "Basic eA==",
        "X-Other": "kept",
      },
    },
  );
  const { url, seen } = await echo(req);
  equal(url, `${b.base}/echo`);
  deepEqual(
    [
      seen.headers["authorization"],
      seen.headers["cookie"],
      seen.headers["proxy-authorization"],
    ],
    [undefined, undefined, undefined],
  );
  equal(seen.headers["x-other"], "kept");
  equal(a.seen[0]?.headers["authorization"], "Basic c2VjcmV0");
});

Deno.test("relative and space-containing Location values are resolved and quoted", async () => {
  await using site = startSite();
  const { url, seen } = await echo(
    `${site.base}/redirect/302?to=${encodeURIComponent("../echo?a b")}`,
  );
  equal(url, `${site.base}/echo?a%20b`);
  equal(seen.url, "/echo?a%20b");
});

Deno.test("redirect_request: a Location that cannot be split still gives the new request, as Python's, with credentials dropped", () => {
  const handler = new HTTPRedirectHandler();
  const req = new Request("http://a.test/", {
    headers: { Authorization: "secret", "X-K": "1" },
  });
  const next = handler.redirect_request(
    req,
    null,
    302,
    "Found",
    null,
    "http://[::1/x",
  );
  equal(next?.full_url, "http://[::1/x");
  // No origin can be read from it: treated as another origin.
  deepEqual(next?.header_items(), [["X-k", "1"]]);
});

Deno.test("a subclass that overrides http_error_302 alone changes 302s only: Python binds 301, 303, 307 and 308 to the base's http_error_302", async () => {
  await using site = startSite();
  const seen: number[] = [];
  class Counting extends HTTPRedirectHandler {
    override http_error_302(
      ...args: Parameters<HTTPRedirectHandler["http_error_302"]>
    ) {
      seen.push(args[2]);
      return super.http_error_302(...args);
    }
  }
  const opener = build_opener(new Counting());
  for (const code of [301, 302, 303, 307, 308]) {
    const resp = await opener.open(`${site.base}/redirect/${code}?to=/echo`);
    equal(resp.geturl(), `${site.base}/echo`);
  }
  deepEqual(seen, [302]);
});

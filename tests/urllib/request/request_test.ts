import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Request, request_host } from "../../../urllib/request/mod.ts";

const enc = new TextEncoder();

Deno.test("Request splits the URL as Python does", () => {
  const req = new Request(
    "  <URL:http://user@Example.COM:8080/p%20q;x?y=1#frag>  ",
  );
  equal(req.type, "http");
  equal(req.host, "user@Example.COM:8080");
  equal(req.selector, "/p%20q;x?y=1");
  equal(req.fragment, "frag");
  equal(req.full_url, "http://user@Example.COM:8080/p%20q;x?y=1#frag");
  equal(req.get_full_url(), req.full_url);
  equal(req.origin_req_host, "user@example.com");
  equal(request_host(req), "user@example.com");
  equal(new Request("HTTP://h").type, "http");
  equal(new Request("http://h%2Fx/").host, "h/x");
  equal(new Request("http://h?q").selector, "/?q");
  // An empty fragment is dropped from full_url; no host is null (Python's None).
  const bare = new Request("http://h.test/#");
  deepEqual([bare.full_url, bare.fragment], ["http://h.test/", ""]);
  equal(new Request("data:,abc").host, null);
  equal(new Request("file:///etc/hosts").host, "");
});

Deno.test("full_url is settable and re-parses", () => {
  const req = new Request("http://a.test/one");
  req.full_url = "https://b.test/two#top";
  deepEqual([req.type, req.host, req.selector, req.fragment], [
    "https",
    "b.test",
    "/two",
    "top",
  ]);
  throws(() => (req.full_url = "nothing"), TypeError);
});

Deno.test("get_method: GET, POST with data, or the given method", () => {
  equal(new Request("http://h/").get_method(), "GET");
  equal(new Request("http://h/", enc.encode("x")).get_method(), "POST");
  equal(new Request("http://h/", { method: "DELETE" }).get_method(), "DELETE");
  equal(
    new Request("http://h/", null, {}, null, false, "PATCH").get_method(),
    "PATCH",
  );
});

Deno.test("headers use str.capitalize() names; unredirected ones are separate", () => {
  const req = new Request("http://h/", {
    headers: { "content-TYPE": "a/b", "X-Forwarded-For": "1" },
  });
  deepEqual(Object.keys(req.headers), ["Content-type", "X-forwarded-for"]);
  ok(req.has_header("Content-type"));
  ok(!req.has_header("Content-Type"));
  req.add_unredirected_header("x-only-here", "1");
  req.add_unredirected_header("Content-type", "ignored/by-header_items");
  equal(req.get_header("X-only-here"), "1");
  equal(req.get_header("Missing", "dflt"), "dflt");
  // Python's order: unredirected names first, values from headers win.
  deepEqual(req.header_items(), [
    ["X-only-here", "1"],
    ["Content-type", "a/b"],
    ["X-forwarded-for", "1"],
  ]);
  req.remove_header("Content-type");
  ok(!req.has_header("Content-type"));
});

Deno.test("setting new data drops a stale Content-length", () => {
  const req = new Request("http://h/", enc.encode("abc"));
  req.add_unredirected_header("Content-length", "3");
  const same = req.data;
  req.data = same;
  ok(req.has_header("Content-length"));
  req.data = enc.encode("abcdef");
  ok(!req.has_header("Content-length"));
});

Deno.test("set_proxy: plain HTTP rewrites the selector, HTTPS keeps a tunnel host", () => {
  const http = new Request("http://site.test/p?q");
  http.set_proxy("proxy.test:3128", "http");
  deepEqual([http.host, http.type, http.selector, http.has_proxy()], [
    "proxy.test:3128",
    "http",
    "http://site.test/p?q",
    true,
  ]);
  const https = new Request("https://site.test/p");
  https.set_proxy("proxy.test:3128", "http");
  deepEqual([
    https.host,
    https.type,
    https.selector,
    https._tunnel_host,
    https.has_proxy(),
  ], [
    "proxy.test:3128",
    "https",
    "/p",
    "site.test",
    false,
  ]);
});

Deno.test("keyword and positional options mix as in Python, bad keywords are TypeError", () => {
  const req = new Request("http://h/", enc.encode("x"), { A: "1" }, {
    unverifiable: true,
  });
  ok(req.unverifiable);
  equal(req.get_header("A"), "1");
  throws(
    () =>
      new Request(
        "http://h/",
        { bogus: 1 } as unknown as Record<string, string>,
      ),
    /unexpected keyword argument 'bogus'/,
  );
});

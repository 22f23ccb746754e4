/**
 * Password managers: the cases of CPython's test_urllib2 password-manager
 * tests, plus prior-auth bookkeeping and a differential run against CPython.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  HTTPPasswordMgr,
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
} from "../../../urllib/request/password_mgr.ts";
import { HTTPBasicAuthHandler } from "../../../urllib/request/auth_handlers.ts";
import { Request } from "../../../urllib/request/request.ts";
import { havePython313, pythonJson } from "../../_python.ts";

Deno.test("HTTPPasswordMgr: the highest path wins, sub-paths inherit, ports count", () => {
  const mgr = new HTTPPasswordMgr();
  const find = (realm: string, uri: string) =>
    mgr.find_user_password(realm, uri);
  mgr.add_password("Some Realm", "http://example.com/", "joe", "password");
  mgr.add_password("Some Realm", "http://example.com/ni", "ni", "ni");
  mgr.add_password("Some Realm", "http://c.example.com:3128", "3", "c");
  mgr.add_password("Some Realm", "d.example.com", "4", "d");
  mgr.add_password("Some Realm", "e.example.com:3128", "5", "e");

  for (
    const uri of [
      "example.com",
      "http://example.com/ni",
      "http://example.com",
      "http://example.com/",
      "http://example.com/spam",
      "http://example.com/spam/spam",
    ]
  ) {
    deepEqual(find("Some Realm", uri), ["joe", "password"], uri);
  }

  mgr.add_password("c", "http://example.com/foo", "foo", "ni");
  mgr.add_password("c", "http://example.com/bar", "bar", "nini");
  mgr.add_password("c", "http://example.com/foo/bar", "foobar", "nibar");
  deepEqual(find("c", "http://example.com/foo"), ["foo", "ni"]);
  deepEqual(find("c", "http://example.com/bar"), ["bar", "nini"]);
  deepEqual(find("c", "http://example.com/foo/"), ["foo", "ni"]);
  deepEqual(find("c", "http://example.com/foo/bar"), ["foo", "ni"]);
  deepEqual(find("c", "http://example.com/foo/baz"), ["foo", "ni"]);
  deepEqual(find("c", "http://example.com/foobar"), [null, null]);

  mgr.add_password("c", "http://example.com/baz/", "baz", "ninini");
  deepEqual(find("c", "http://example.com/baz"), [null, null]);
  deepEqual(find("c", "http://example.com/baz/"), ["baz", "ninini"]);
  deepEqual(find("c", "http://example.com/baz/bar"), ["baz", "ninini"]);

  mgr.add_password("b", "http://example.com/", "first", "blah");
  mgr.add_password("b", "http://example.com/", "second", "spam");
  deepEqual(find("b", "http://example.com/"), ["second", "spam"]);

  mgr.add_password("a", "http://example.com", "1", "a");
  deepEqual(find("a", "http://example.com/"), ["1", "a"]);
  deepEqual(find("a", "http://a.example.com/"), [null, null]);

  deepEqual(find("Some Realm", "c.example.com"), [null, null]);
  deepEqual(find("Some Realm", "c.example.com:3128"), ["3", "c"]);
  deepEqual(find("Some Realm", "http://c.example.com:3128"), ["3", "c"]);
  deepEqual(find("Some Realm", "d.example.com"), ["4", "d"]);
  deepEqual(find("Some Realm", "e.example.com:3128"), ["5", "e"]);
});

Deno.test("HTTPPasswordMgr: the default port is only known with a scheme", () => {
  const mgr = new HTTPPasswordMgr();
  const find = (realm: string, uri: string) =>
    mgr.find_user_password(realm, uri);
  mgr.add_password("f", "http://g.example.com:80", "10", "j");
  mgr.add_password("g", "http://h.example.com", "11", "k");
  mgr.add_password("h", "i.example.com:80", "12", "l");
  mgr.add_password("i", "j.example.com", "13", "m");
  const cases: [string, string, [string, string] | [null, null]][] = [
    ["f", "g.example.com:100", [null, null]],
    ["f", "g.example.com:80", ["10", "j"]],
    ["f", "g.example.com", [null, null]],
    ["f", "http://g.example.com:100", [null, null]],
    ["f", "http://g.example.com:80", ["10", "j"]],
    ["f", "http://g.example.com", ["10", "j"]],
    ["g", "h.example.com", ["11", "k"]],
    ["g", "h.example.com:80", ["11", "k"]],
    ["g", "http://h.example.com:80", ["11", "k"]],
    ["h", "i.example.com", [null, null]],
    ["h", "i.example.com:80", ["12", "l"]],
    ["h", "http://i.example.com:80", ["12", "l"]],
    ["i", "j.example.com", ["13", "m"]],
    ["i", "j.example.com:80", [null, null]],
    ["i", "http://j.example.com", ["13", "m"]],
    ["i", "http://j.example.com:80", [null, null]],
  ];
  for (const [realm, uri, expected] of cases) {
    deepEqual(find(realm, uri), expected, `${realm} ${uri}`);
  }
});

Deno.test("HTTPPasswordMgr: a list of URIs, https default port, reduce_uri keywords", () => {
  const mgr = new HTTPPasswordMgr();
  mgr.add_password("r", ["http://a.test/x/", "https://b.test/"], "u", "p");
  deepEqual(mgr.find_user_password("r", "http://a.test/x/y"), ["u", "p"]);
  deepEqual(mgr.find_user_password("r", "b.test:443"), ["u", "p"]);
  deepEqual(mgr.find_user_password("r", "http://a.test/"), [null, null]);
  deepEqual(mgr.reduce_uri("https://b.test"), ["b.test:443", "/"]);
  deepEqual(mgr.reduce_uri("https://b.test", { default_port: false }), [
    "b.test",
    "/",
  ]);
  deepEqual(mgr.reduce_uri("ftp://b.test/f"), ["b.test", "/f"]);
  // No default port for a scheme named like an Object member.
  deepEqual(mgr.reduce_uri("constructor://b.test/f"), ["b.test", "/f"]);
  deepEqual(mgr.reduce_uri("http://b.test:/f"), ["b.test:80", "/f"]);
  deepEqual(mgr.reduce_uri("http://[::1]/f"), ["[::1]:80", "/f"]);
  equal(mgr.is_suburi(["h", "/"], ["h", "/anything"]), true);
  equal(mgr.is_suburi(["h", "/a/"], ["h2", "/a/b"]), false);
  const loose = mgr.reduce_uri.bind(mgr) as (...args: unknown[]) => unknown;
  throws(() => loose("x", true, false), TypeError);
});

Deno.test("HTTPPasswordMgr: a malformed URI is refused even for a realm never added", () => {
  throws(
    () => new HTTPPasswordMgr().find_user_password("r", "http://[::1/"),
    { name: "TypeError", message: "Invalid IPv6 URL" },
  );
});

Deno.test("HTTPPasswordMgrWithDefaultRealm falls back to the realm null", () => {
  const mgr = new HTTPPasswordMgrWithDefaultRealm();
  mgr.add_password(null, "http://example.com/", "default", "d");
  mgr.add_password("special", "http://example.com/", "special", "s");
  deepEqual(mgr.find_user_password("special", "http://example.com/x"), [
    "special",
    "s",
  ]);
  deepEqual(mgr.find_user_password("unknown", "http://example.com/x"), [
    "default",
    "d",
  ]);
  deepEqual(mgr.find_user_password("unknown", "http://other.test/"), [
    null,
    null,
  ]);
});

Deno.test("HTTPPasswordMgrWithPriorAuth: add, update and look up authentication state", () => {
  const mgr = new HTTPPasswordMgrWithPriorAuth();
  const url = "http://acme.example.com/protected";
  mgr.add_password(null, url, "wile", "coyote", { is_authenticated: true });
  equal(mgr.is_authenticated(url), true);
  equal(mgr.is_authenticated(`${url}/nested`), true);
  equal(mgr.is_authenticated(`${url}plain`), null);
  mgr.update_authenticated(url, false);
  equal(mgr.is_authenticated(url), false);
  mgr.update_authenticated([url], { is_authenticated: true });
  equal(mgr.is_authenticated(url), true);

  // A realm-specific password is also stored for the realm null, so a
  // request sent before any challenge can use it.
  const realmed = new HTTPPasswordMgrWithPriorAuth();
  realmed.add_password("ACME", url, "wile", "coyote");
  equal(realmed.is_authenticated(url), false);
  deepEqual(realmed.find_user_password(null, url), ["wile", "coyote"]);
  deepEqual(realmed.find_user_password("ACME", url), ["wile", "coyote"]);
});

Deno.test("HTTPBasicAuthHandler with prior auth: no header for a URL marked authenticated with no password stored (Python sends None:None)", () => {
  const mgr = new HTTPPasswordMgrWithPriorAuth();
  mgr.update_authenticated("http://h/", true);
  const req = new Request("http://h/x");
  new HTTPBasicAuthHandler(mgr).http_request(req);
  equal(req.has_header("Authorization"), false);
  mgr.add_password(null, "http://h/", "u", "p", true);
  new HTTPBasicAuthHandler(mgr).http_request(req);
  equal(req.get_header("Authorization"), "Basic dTpw");
});

Deno.test({
  name: "password managers agree with CPython 3.13 on reduce_uri and lookups",
  ignore: !havePython313(),
}, async () => {
  const uris = [
    "http://example.com",
    "http://example.com/",
    "https://example.com:8443/a/b?q#f",
    "example.com",
    "example.com:80",
    "example.com:",
    "http://example.com:/p",
    "http://[::1]:8080/x",
    "ftp://host/file",
    "//netloc/path",
    "http://user@host/p",
    "host:abc",
    "/just/a/path",
    "",
  ];
  const script = `
import json, sys
from urllib.request import HTTPPasswordMgr
uris = json.load(sys.stdin)
m = HTTPPasswordMgr()
for i, u in enumerate(uris):
    m.add_password("r", u, str(i), "p")
out = {"reduced": [list(m.reduce_uri(u, d)) for u in uris for d in (True, False)],
       "found": [list(m.find_user_password("r", u)) for u in uris]}
print(json.dumps(out))
`;
  const python = await pythonJson<{
    reduced: [string, string][];
    found: ([string, string] | [null, null])[];
  }>(script, { input: uris });
  const mgr = new HTTPPasswordMgr();
  uris.forEach((u, i) => mgr.add_password("r", u, String(i), "p"));
  deepEqual(
    uris.flatMap((u) => [mgr.reduce_uri(u, true), mgr.reduce_uri(u, false)]),
    python.reduced,
  );
  deepEqual(uris.map((u) => mgr.find_user_password("r", u)), python.found);
});

/**
 * The names a browser's upload may address the server by (the guard of
 * `--upload` against DNS rebinding), without sockets.
 */
import { equal } from "node:assert/strict";
import {
  ANY_HOST,
  isHostPattern,
  isTrustedHost,
} from "../../http_server/_upload_hosts.ts";

Deno.test("isTrustedHost: IP addresses and localhost by default, with or without a port", () => {
  for (
    const host of [
      "127.0.0.1",
      "127.0.0.1:8000",
      "192.168.1.20:80",
      "[::1]:8000",
      "[fe80::1%25eth0]",
      "localhost",
      "LOCALHOST:8000",
      "localhost.",
      "app.localhost:5173",
    ]
  ) {
    equal(isTrustedHost(host, []), true, host);
  }
  for (
    const host of [
      "evil.example",
      "evil.example:8000",
      "127.0.0.1.evil.example",
      "localhost.evil.example",
      "evillocalhost",
      "",
    ]
  ) {
    equal(isTrustedHost(host, []), false, host);
  }
  equal(isTrustedHost(null, []), false, "no Host at all");
});

Deno.test("isTrustedHost: allowed names, '.name' for a name and those under it, '*' for any", () => {
  const allowed = ["nas.lan", ".example.org"];
  equal(isTrustedHost("NAS.lan:8000", allowed), true);
  equal(isTrustedHost("nas.lan.", allowed), true);
  equal(isTrustedHost("x.nas.lan", allowed), false);
  equal(isTrustedHost("example.org", allowed), true);
  equal(isTrustedHost("a.b.example.org:1", allowed), true);
  equal(isTrustedHost("badexample.org", allowed), false);
  equal(isTrustedHost("example.org.evil", allowed), false);
  equal(isTrustedHost("anything.at.all", [ANY_HOST]), true);
  equal(isTrustedHost(null, [ANY_HOST]), true);
});

Deno.test("isHostPattern: names, '.name' and '*'; nothing else", () => {
  for (const name of ["nas", "nas.lan", ".example.org", "NAS.Lan.", "*"]) {
    equal(isHostPattern(name), true, name);
  }
  for (
    const name of ["", ".", "http://nas", "nas:8000", "a b", "a/b", "*.lan"]
  ) {
    equal(isHostPattern(name), false, name);
  }
});

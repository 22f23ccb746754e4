/**
 * Host names beyond ASCII go on the wire in their IDNA form (`xn--`), to
 * the resolver, in `CONNECT` and in `Host`: Python resolves that form too,
 * but writes `Host` as Latin-1 text (which servers refuse) and fails on a
 * name beyond Latin-1; ours works as a browser does.
 */
import { equal, rejects } from "node:assert/strict";
import { URLError } from "../../../urllib/error.ts";
import {
  build_opener,
  ProxyHandler,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { UnicodeEncodeError } from "../../../_util/codec/mod.ts";
import { startHostile } from "./_hostile.ts";
import { startRaw } from "./_site.ts";

Deno.test("a host name beyond ASCII is resolved and sent in Host in its IDNA form: '１２７.０.０.１' reaches 127.0.0.1", async () => {
  await using server = startRaw(() =>
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
  );
  // Full-width digits map to ASCII ones, so this name is 127.0.0.1.
  await using resp = await urlopen(`http://１２７.０.０.１:${server.port}/p`);
  equal(resp.status, 200);
  equal(
    server.requests[0]?.split("\r\n").find((line) => line.startsWith("Host:")),
    `Host: 127.0.0.1:${server.port}`,
  );
});

Deno.test("CONNECT names a host beyond ASCII in its IDNA form, as http.client's tunnel does", async () => {
  let seen = "";
  await using proxy = startHostile(async (wire) => {
    seen = wire.request;
    await wire.write("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  const opener = build_opener(new ProxyHandler({ https: proxy.url }));
  await rejects(opener.open("https://bücher.example/x"), URLError);
  equal(
    seen,
    "CONNECT xn--bcher-kva.example:443 HTTP/1.1\r\nHost: xn--bcher-kva.example:443\r\n\r\n",
  );
});

Deno.test("through an http: proxy, the request target names a host beyond ASCII in its IDNA form too (Python refuses it: UnicodeEncodeError)", async () => {
  await using proxy = startRaw(() =>
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
  );
  const opener = build_opener(
    new ProxyHandler({ http: `http://127.0.0.1:${proxy.port}` }),
  );
  await using resp = await opener.open("http://bücher.example:8080/a?b=c");
  equal(resp.status, 200);
  const [line, ...headers] = proxy.requests[0]!.split("\r\n");
  equal(line, "GET http://xn--bcher-kva.example:8080/a?b=c HTTP/1.1");
  equal(
    headers.find((h) => h.startsWith("Host:")),
    "Host: xn--bcher-kva.example:8080",
  );
});

Deno.test("a label too long for IDNA is Python's UnicodeEncodeError, before anything is sent", async () => {
  const label = "ü" + "a".repeat(70);
  await rejects(urlopen(`http://${label}.example/`), (e: unknown) => {
    equal(e instanceof UnicodeEncodeError, true);
    equal(
      (e as Error).message,
      "'idna' codec can't encode characters in position 0-70: label too long",
    );
    return true;
  });
});

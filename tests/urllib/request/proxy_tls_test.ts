import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  build_opener,
  create_default_context,
  getproxies,
  HTTPSHandler,
  proxy_bypass,
  ProxyHandler,
  SSLContext,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { HTTPError, URLError } from "../../../urllib/error.ts";
import { type Seen, startSite, text } from "./_site.ts";
import { haveTinyproxy, startTinyproxy } from "./_tinyproxy.ts";
import { haveOpenssl, makeCerts, type TestCerts } from "../../_tls.ts";

const PROXY_VARS = [
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "REQUEST_METHOD",
];

/** Runs `fn` with exactly `vars` as the proxy environment, restoring it after. */
async function withEnv(
  vars: Record<string, string>,
  fn: () => Promise<void> | void,
): Promise<void> {
  const saved = new Map(PROXY_VARS.map((k) => [k, Deno.env.get(k)]));
  for (const k of PROXY_VARS) Deno.env.delete(k);
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    await fn();
  } finally {
    for (const [k, v] of saved) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  }
}

let certs: Promise<TestCerts> | undefined;
function getCerts(): Promise<TestCerts> {
  return certs ??= makeCerts();
}

Deno.test("getproxies and proxy_bypass read the environment as Python does", async () => {
  await withEnv({
    HTTP_PROXY: "http://upper:1",
    https_proxy: "http://lower:2",
    NO_PROXY: "localhost,.corp.test",
  }, () => {
    deepEqual(getproxies(), {
      http: "http://upper:1",
      https: "http://lower:2",
      no: "localhost,.corp.test",
    });
    ok(proxy_bypass("localhost:8080"));
    ok(proxy_bypass("a.corp.test"));
    ok(!proxy_bypass("corp.test.evil"));
  });
  await withEnv(
    { HTTP_PROXY: "http://upper:1", http_proxy: "http://lower:1" },
    () => {
      equal(getproxies()["http"], "http://lower:1");
    },
  );
  await withEnv({ HTTP_PROXY: "http://upper:1", REQUEST_METHOD: "GET" }, () => {
    equal(getproxies()["http"], undefined);
  });
  await withEnv({ no_proxy: "*" }, () => ok(proxy_bypass("anything")));
});

const proxyTest = { ignore: !haveTinyproxy(), sanitizeResources: true };
if (!haveTinyproxy()) {
  console.log(
    "tinyproxy is not installed: proxy tests skipped (run .ci/setup_services)",
  );
}

Deno.test({
  name: "an explicit ProxyHandler sends http requests through a real proxy",
  ...proxyTest,
}, async () => {
  await using site = startSite();
  await using proxy = await startTinyproxy();
  const opener = build_opener(new ProxyHandler({ http: proxy.url }));
  const resp = await opener.open(`${site.base}/echo?via=proxy`);
  const seen = JSON.parse(text(await resp.read())) as Seen;
  equal(seen.url, "/echo?via=proxy");
  equal(resp.geturl(), `${site.base}/echo?via=proxy`);
  ok((await proxy.log()).includes(`GET ${site.base}/echo?via=proxy`));
});

Deno.test({
  name: "http_proxy from the environment, and no_proxy bypasses it",
  ...proxyTest,
}, async () => {
  await using site = startSite();
  await using proxy = await startTinyproxy();
  await withEnv({ http_proxy: proxy.url }, async () => {
    await (await build_opener().open(`${site.base}/echo?n=1`)).read();
  });
  ok((await proxy.log()).includes(`GET ${site.base}/echo?n=1`));
  await withEnv(
    { HTTP_PROXY: proxy.url, no_proxy: "example.test, 127.0.0.1" },
    async () => {
      await (await build_opener().open(`${site.base}/echo?n=2`)).read();
    },
  );
  ok(!(await proxy.log()).includes("/echo?n=2"));
  equal(site.seen.length, 2);
});

Deno.test({
  name: "credentials in the proxy URL become Proxy-Authorization",
  ...proxyTest,
}, async () => {
  await using site = startSite();
  await using proxy = await startTinyproxy({
    user: "alice",
    password: "s3cret",
  });
  const authed = build_opener(
    new ProxyHandler({ http: `http://alice:s3cret@127.0.0.1:${proxy.port}` }),
  );
  const seen = JSON.parse(
    text(await (await authed.open(`${site.base}/echo`)).read()),
  ) as Seen;
  equal(seen.url, "/echo");
  const anonymous = build_opener(new ProxyHandler({ http: proxy.url }));
  await rejects(anonymous.open(`${site.base}/echo`), (e) => {
    ok(e instanceof HTTPError && e.code === 407);
    // An HTTPError holds the connection for its body, as in Python: close it.
    e.close();
    return true;
  });
  equal(site.seen.length, 1);
});

Deno.test({
  name: "HTTPS with a context trusting a test CA; untrusted is a URLError",
  ignore: !haveOpenssl,
}, async () => {
  const pem = await getCerts();
  await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
  const context = create_default_context({ cadata: pem.ca });
  const resp = await urlopen(`${site.base}/echo`, { context });
  equal(resp.status, 200);
  equal(
    (JSON.parse(text(await resp.read())) as Seen).headers["host"],
    `127.0.0.1:${site.port}`,
  );
  const byName = await build_opener(new HTTPSHandler({ context })).open(
    `https://localhost:${site.port}/text`,
  );
  equal(text(await byName.readline()), "line one\n");
  await rejects(
    urlopen(`${site.base}/echo`),
    (e) => e instanceof URLError && e.reason instanceof Error,
  );
  const other = new SSLContext();
  other.load_verify_locations(null, null, pem.cert);
  await rejects(urlopen(`${site.base}/echo`, { context: other }), URLError);
});

Deno.test({
  name:
    "SSLContext.check_hostname = false accepts a certificate for another name, still checking its chain",
  ignore: !haveOpenssl,
}, async () => {
  const other = await makeCerts("DNS:other.test");
  await using site = startSite("127.0.0.1", {
    cert: other.cert,
    key: other.key,
  });
  const context = create_default_context({ cadata: other.ca });
  equal(context.check_hostname, true);
  await rejects(
    urlopen(`${site.base}/echo`, { context }),
    (e) => e instanceof URLError && /certificate|name/i.test(String(e.reason)),
  );
  context.check_hostname = false;
  const resp = await urlopen(`${site.base}/echo`, { context });
  equal(resp.status, 200);
  await resp.close();
  // The handler's check_hostname argument sets the context's, as in Python.
  const strict = create_default_context({ cadata: other.ca });
  const lax = new HTTPSHandler({ context: strict, check_hostname: false });
  equal(strict.check_hostname, false);
  const viaHandler = await build_opener(lax).open(`${site.base}/echo`);
  equal(viaHandler.status, 200);
  await viaHandler.close();
  // The chain is still verified: an untrusted authority is refused.
  const untrusted = create_default_context();
  untrusted.check_hostname = false;
  await rejects(urlopen(`${site.base}/echo`, { context: untrusted }), URLError);
});

Deno.test({
  name:
    "HTTPS through the proxy with CONNECT (env https_proxy with credentials)",
  ...proxyTest,
  ignore: proxyTest.ignore || !haveOpenssl,
}, async () => {
  const pem = await getCerts();
  await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
  await using proxy = await startTinyproxy({ user: "bob", password: "pw" });
  const context = create_default_context({ cadata: pem.ca });
  await withEnv(
    { https_proxy: `http://bob:pw@127.0.0.1:${proxy.port}` },
    async () => {
      const resp = await build_opener(new HTTPSHandler({ context })).open(
        `${site.base}/echo?tls=1`,
      );
      const seen = JSON.parse(text(await resp.read())) as Seen;
      equal(seen.url, "/echo?tls=1");
      // The credentials went to the proxy on CONNECT, not to the site.
      equal(seen.headers["proxy-authorization"], undefined);
    },
  );
  ok((await proxy.log()).includes(`CONNECT 127.0.0.1:${site.port}`));
  await withEnv({ https_proxy: proxy.url }, async () => {
    await rejects(
      build_opener(new HTTPSHandler({ context })).open(`${site.base}/echo`),
      (e) =>
        e instanceof URLError &&
        /Tunnel connection failed: 407/.test(
          String((e.reason as Error).message),
        ),
    );
  });
});

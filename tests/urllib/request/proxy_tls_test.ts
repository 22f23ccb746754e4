import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  build_opener,
  create_default_context,
  HTTPSHandler,
  proxy_bypass,
  ProxyHandler,
  SSLCertVerificationError,
  SSLContext,
  SSLError,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { sslErrorOf } from "../../../urllib/request/ssl_error.ts";
import { HTTPError, URLError } from "../../../urllib/error.ts";
import { type Seen, startSite, text } from "./_site.ts";
import { haveTinyproxy, startTinyproxy } from "./_tinyproxy.ts";
import { haveOpenssl, makeCerts, type TestCerts } from "../../_tls.ts";
import { runScript } from "../../_deno_script.ts";
import { deadline } from "../../_server.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const REQUEST_MODULE =
  new URL("../../../urllib/request/mod.ts", import.meta.url).href;
/** What a child Deno needs from our environment to find its cache. */
const KEPT_VARS = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"];

/**
 * Runs `body` (TypeScript with `request` bound to urllib.request, ending
 * in `console.log(JSON.stringify(...))`) in a child Deno whose environment
 * holds exactly `vars` besides what Deno needs, and returns what it
 * printed. The proxy settings live in the environment, which test files
 * running in parallel share: changing ours here would reroute their
 * requests, so each setting gets its own process.
 */
async function inEnv<T>(
  vars: Record<string, string>,
  body: string,
): Promise<T> {
  const env: Record<string, string> = { NO_COLOR: "1", ...vars };
  for (const name of KEPT_VARS) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--ext=ts",
      `import * as request from ${JSON.stringify(REQUEST_MODULE)};\n${body}`,
    ],
    cwd: ROOT,
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const decoder = new TextDecoder();
  equal(out.success, true, decoder.decode(out.stderr));
  return JSON.parse(decoder.decode(out.stdout));
}

interface ProxySettings {
  proxies: Record<string, string>;
  bypass: Record<string, boolean>;
}

/** `getproxies()` and `proxy_bypass(host)` under `vars`. */
function proxySettings(vars: Record<string, string>): Promise<ProxySettings> {
  return inEnv(
    vars,
    `const hosts = ["localhost:8080", "a.corp.test", "corp.test.evil", "anything"];
console.log(JSON.stringify({
  proxies: request.getproxies(),
  bypass: Object.fromEntries(hosts.map((h) => [h, request.proxy_bypass(h)])),
}));`,
  );
}

let certs: Promise<TestCerts> | undefined;
function getCerts(): Promise<TestCerts> {
  return certs ??= makeCerts();
}

Deno.test("proxy_bypass: an empty port comes off, no_proxy names are stripped as Python strips", () => {
  equal(proxy_bypass("example.com:", { no: "example.com" }), true);
  // U+001C is whitespace to Python's str.strip(), U+FEFF is not.
  equal(proxy_bypass("example.com", { no: "\x1cexample.com" }), true);
  equal(proxy_bypass("example.com", { no: "\ufeffexample.com" }), false);
  // Python's lower() (Unicode 15.1): U+1C89 has no lower case there.
  equal(proxy_bypass("\u1c89.test", { no: "\u1c8a.test" }), false);
});

Deno.test("proxy_bypass and ProxyHandler take proxies by keyword too, as Python's proxies=", () => {
  // Python: proxy_bypass("h.test", proxies={"no": "h.test"})
  equal(proxy_bypass("h.test", { proxies: { no: "h.test" } }), true);
  // A mapping of schemes is still the mapping (no key is a keyword).
  equal(proxy_bypass("h.test", { no: "h.test" }), true);
  deepEqual(new ProxyHandler({ proxies: { http: "http://p:1" } }).proxies, {
    http: "http://p:1",
  });
  deepEqual(new ProxyHandler({}).proxies, {});
  throws(
    () =>
      (proxy_bypass as (...a: unknown[]) => boolean)("h", {}, {
        proxies: {},
      }),
    { name: "TypeError", message: /multiple values for argument 'proxies'/ },
  );
  throws(
    () => new (ProxyHandler as new (...a: unknown[]) => object)({}, 1),
    { name: "TypeError", message: /ProxyHandler\(\) takes at most 1/ },
  );
});

Deno.test("getproxies and proxy_bypass read the environment as Python does", async () => {
  let settings = await proxySettings({
    HTTP_PROXY: "http://upper:1",
    https_proxy: "http://lower:2",
    NO_PROXY: "localhost,.corp.test",
  });
  deepEqual(settings.proxies, {
    http: "http://upper:1",
    https: "http://lower:2",
    no: "localhost,.corp.test",
  });
  deepEqual(settings.bypass, {
    "localhost:8080": true,
    "a.corp.test": true,
    "corp.test.evil": false,
    anything: false,
  });
  settings = await proxySettings({
    HTTP_PROXY: "http://upper:1",
    http_proxy: "http://lower:1",
  });
  equal(settings.proxies["http"], "http://lower:1");
  settings = await proxySettings({
    HTTP_PROXY: "http://upper:1",
    REQUEST_METHOD: "GET",
  });
  equal(settings.proxies["http"], undefined);
  // Names lower-cased as Python's lower() does (Unicode 15.1): U+A7CB has
  // no lower case there.
  settings = await proxySettings({ "\ua7cb_PROXY": "http://newer:3" });
  equal(settings.proxies["\ua7cb"], "http://newer:3");
  const handler = new ProxyHandler({ "\ua7cb": "http://newer:3" });
  ok("\ua7cb_open" in handler);
  settings = await proxySettings({ no_proxy: "*" });
  equal(settings.bypass["anything"], true);
  // Explicit settings need no environment.
  ok(proxy_bypass("a.corp.test", { no: ".corp.test" }));
  ok(!proxy_bypass("corp.test.evil", { no: ".corp.test" }));
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
  const fetchVia = (vars: Record<string, string>, url: string) =>
    inEnv<number>(
      vars,
      `const resp = await request.build_opener().open(${JSON.stringify(url)});
console.log(JSON.stringify((await resp.read()).length));`,
    );
  await fetchVia({ http_proxy: proxy.url }, `${site.base}/echo?n=1`);
  ok((await proxy.log()).includes(`GET ${site.base}/echo?n=1`));
  await fetchVia(
    { HTTP_PROXY: proxy.url, no_proxy: "example.test, 127.0.0.1" },
    `${site.base}/echo?n=2`,
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
  // cadata as DER bytes, as Python takes them.
  const der = Uint8Array.from(
    atob(pem.ca.replace(/-----[^-]+-----|\s/g, "")),
    (c) => c.charCodeAt(0),
  );
  const fromDer = await urlopen(`${site.base}/text`, {
    context: create_default_context({ cadata: der }),
  });
  equal(text(await fromDer.readline()), "line one\n");
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
    "a refused certificate is Python's SSLCertVerificationError, https to a plain port its SSLError",
  ignore: !haveOpenssl,
}, async () => {
  const pem = await getCerts();
  await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
  const reasonOf = (url: string, context = create_default_context()) =>
    urlopen(url, { context }).then(
      () => null,
      (e) => e instanceof URLError ? e.reason : e,
    );
  // Not trusted (no CA given): OpenSSL's 20.
  const untrusted = await reasonOf(`${site.base}/echo`);
  ok(untrusted instanceof SSLCertVerificationError);
  equal(untrusted.verify_code, 20);
  equal(untrusted.reason, "CERTIFICATE_VERIFY_FAILED");
  equal(
    untrusted.message,
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate",
  );
  ok(untrusted.cause instanceof Deno.errors.InvalidData);
  // Trusted, but issued for another name: 64 when reached by address.
  const names = await makeCerts("DNS:localhost");
  await using named = startSite("127.0.0.1", {
    cert: names.cert,
    key: names.key,
  });
  const trusting = create_default_context({ cadata: names.ca });
  const byAddress = await reasonOf(`${named.base}/echo`, trusting);
  ok(byAddress instanceof SSLCertVerificationError);
  equal(byAddress.verify_code, 64);
  equal(
    byAddress.verify_message,
    "IP address mismatch, certificate is not valid for '127.0.0.1'.",
  );
  // TLS to a port that speaks plain HTTP.
  await using plain = startSite();
  const notTls = await reasonOf(plain.base.replace("http:", "https:") + "/");
  ok(
    notTls instanceof SSLError && !(notTls instanceof SSLCertVerificationError),
  );
  equal(notTls.message, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
});

Deno.test("authorities that hold no certificate are Python's SSLError at load time", async () => {
  const ctx = new SSLContext();
  const refusals: [string | Uint8Array, string][] = [
    ["garbage", "no start line"],
    [
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      "no start line",
    ],
    // DER bytes, as Python takes them, that hold no whole certificate.
    [new TextEncoder().encode("junk"), "not enough data"],
    [new Uint8Array([0x30, 3, 1, 2]), "not enough data"],
  ];
  for (const [cadata, reason] of refusals) {
    let error: unknown = null;
    try {
      ctx.load_verify_locations({ cadata });
    } catch (e) {
      error = e;
    }
    ok(error instanceof SSLError);
    equal(error.message, `${reason}: cadata does not contain a certificate`);
  }
  // Empty bytes are no authorities, as in Python: the default roots.
  equal(create_default_context({ cadata: new Uint8Array() }).caCerts.length, 0);
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "garbage\n");
    let error: unknown = null;
    try {
      create_default_context({ cafile: file });
    } catch (e) {
      error = e;
    }
    ok(error instanceof SSLError);
    equal(error.library, "X509");
    equal(
      error.message,
      "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found",
    );
  } finally {
    await Deno.remove(file);
  }
  equal(ctx.caCerts.length, 0);
});

Deno.test({
  name:
    "authorities are read whole at load time: a garbled certificate is Python's SSLError there; a capath file that is not one is skipped",
  ignore: !haveOpenssl,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_cas_" });
    try {
      const certs: TestCerts = await makeCerts();
      const garbled =
        "-----BEGIN CERTIFICATE-----\nMIIBxyz!!notbase64\n-----END CERTIFICATE-----\n";
      const badSequence =
        "-----BEGIN CERTIFICATE-----\nMAAA\n-----END CERTIFICATE-----\n";
      for (const text of [certs.ca + garbled, certs.ca + badSequence]) {
        await Deno.writeTextFile(`${dir}/cafile.pem`, text);
        let error: unknown = null;
        try {
          create_default_context({ cafile: `${dir}/cafile.pem` });
        } catch (e) {
          error = e;
        }
        ok(error instanceof SSLError, String(error));
        equal(error.message, "[X509] PEM lib");
        equal(error.library, "X509");
      }
      // In cadata text, CPython 3.13 tells bad base64 from a bad certificate.
      const cadataCases: [string, string][] = [
        [certs.ca + garbled, "[PEM: BAD_BASE64_DECODE] bad base64 decode"],
        [certs.ca + badSequence, "[PEM] ASN1 lib"],
      ];
      for (const [cadata, message] of cadataCases) {
        let error: unknown = null;
        try {
          new SSLContext().load_verify_locations({ cadata });
        } catch (e) {
          error = e;
        }
        ok(error instanceof SSLError, String(error));
        equal(error.message, message);
        equal(error.library, "PEM");
      }
      // Python's ValueError and TypeError for empty or non-ASCII data, and
      // FileNotFoundError for an empty file name.
      const ctx = new SSLContext();
      let error: unknown = null;
      try {
        ctx.load_verify_locations({ cadata: "" });
      } catch (e) {
        error = e;
      }
      ok(error instanceof TypeError);
      equal(error.message, "Empty certificate data");
      try {
        ctx.load_verify_locations({ cadata: "é" + certs.ca });
      } catch (e) {
        error = e;
      }
      ok(error instanceof TypeError);
      match(error.message, /ASCII string/);
      try {
        ctx.load_verify_locations("");
      } catch (e) {
        error = e;
      }
      ok(error instanceof Deno.errors.NotFound);
      // A folder with one good authority and one broken file: the good one.
      const folder = `${dir}/certs`;
      await Deno.mkdir(folder);
      await Deno.writeTextFile(`${folder}/ca.pem`, certs.ca);
      await Deno.writeTextFile(`${folder}/broken.pem`, garbled);
      const fromFolder = create_default_context({ capath: folder });
      deepEqual(fromFolder.caCerts, [certs.ca]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("rustls' certificate errors map to OpenSSL's verification codes", () => {
  const cases: [string, string, number][] = [
    ["invalid peer certificate: UnknownIssuer", "h", 20],
    [
      "invalid peer certificate: certificate expired: verification time 1795695730 (UNIX), but certificate is not valid after 1795695727 (3 seconds ago)",
      "h",
      10,
    ],
    [
      "invalid peer certificate: certificate not valid yet: verification time 1, but certificate is not valid before 2",
      "h",
      9,
    ],
    ["invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))", "h", 26],
    [
      'invalid peer certificate: certificate not valid for name "example.test"; certificate is only valid for DnsName("localhost")',
      "example.test",
      62,
    ],
    ["invalid peer certificate: Something new", "h", 1],
  ];
  for (const [text, host, code] of cases) {
    const error = sslErrorOf(new Deno.errors.InvalidData(text), host);
    ok(error instanceof SSLCertVerificationError, text);
    equal(error.verify_code, code, text);
  }
  const reset = new Deno.errors.ConnectionReset("reset");
  equal(sslErrorOf(reset, "h"), reset);
  const eof = sslErrorOf(new Deno.errors.UnexpectedEof("eof"), "h");
  ok(eof instanceof SSLError);
  equal(eof.reason, "UNEXPECTED_EOF_WHILE_READING");
});

Deno.test({
  name:
    "capath: a folder of links named by subject hash, as c_rehash makes them",
  ignore: !haveOpenssl,
}, async () => {
  const pem = await getCerts();
  await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
  const folder = await Deno.makeTempDir();
  try {
    const store = await Deno.makeTempDir();
    await Deno.writeTextFile(`${store}/ca.txt`, pem.ca);
    // Only a link named by the CA's subject hash: OpenSSL's layout
    // (/etc/ssl/certs), the one Python's capath reads.
    const hash = new TextDecoder().decode(
      (await new Deno.Command("openssl", {
        args: ["x509", "-hash", "-noout", "-in", `${store}/ca.txt`],
      }).output()).stdout,
    ).trim();
    await Deno.symlink(`${store}/ca.txt`, `${folder}/${hash}.0`);
    await Deno.symlink(`${store}/missing`, `${folder}/0badc0de.0`);
    const context = create_default_context({ capath: folder });
    equal(context.caCerts.length, 1);
    equal((await urlopen(`${site.base}/echo`, { context })).status, 200);
    await Deno.remove(store, { recursive: true });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
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
  // The body prints the site's echo, or the error's reason.
  const openVia = (vars: Record<string, string>, url: string) =>
    inEnv<{ seen?: Seen; reason?: string }>(
      vars,
      `const context = request.create_default_context({
  cadata: ${JSON.stringify(pem.ca)},
});
const opener = request.build_opener(new request.HTTPSHandler({ context }));
try {
  const resp = await opener.open(${JSON.stringify(url)});
  const seen = JSON.parse(new TextDecoder().decode(await resp.read()));
  console.log(JSON.stringify({ seen }));
} catch (e) {
  console.log(JSON.stringify({ reason: String(e.reason?.message ?? e) }));
}`,
    );
  const { seen } = await openVia(
    { https_proxy: `http://bob:pw@127.0.0.1:${proxy.port}` },
    `${site.base}/echo?tls=1`,
  );
  equal(seen?.url, "/echo?tls=1");
  // The credentials went to the proxy on CONNECT, not to the site.
  equal(seen?.headers["proxy-authorization"], undefined);
  ok((await proxy.log()).includes(`CONNECT 127.0.0.1:${site.port}`));
  const refused = await openVia(
    { https_proxy: proxy.url },
    `${site.base}/echo`,
  );
  match(refused.reason ?? "", /Tunnel connection failed: 407/);
});

Deno.test("getproxies reads the proxy variables env permission is given for by name (--allow-env=http_proxy,...), and none without it", async () => {
  const source = `import { getproxies } from ${JSON.stringify(REQUEST_MODULE)};
console.log(JSON.stringify(getproxies()));`;
  const env: Record<string, string> = {
    http_proxy: "http://lower:1",
    HTTPS_PROXY: "http://upper:2",
    NO_PROXY: "localhost",
    ftp_proxy: "http://not-granted:3",
  };
  for (const name of KEPT_VARS) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const proxiesWith = async (permissions: string[]) => {
    const out = await runScript(source, permissions, { env, clearEnv: true });
    equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout);
  };
  deepEqual(
    await proxiesWith(["--allow-env=http_proxy,HTTPS_PROXY,NO_PROXY"]),
    { http: "http://lower:1", https: "http://upper:2", no: "localhost" },
  );
  // Without env permission there is nothing to read: no proxies, no prompt.
  deepEqual(await proxiesWith([]), {});
  deepEqual(await proxiesWith(["--allow-env"]), {
    http: "http://lower:1",
    https: "http://upper:2",
    no: "localhost",
    ftp: "http://not-granted:3",
  });
});

/**
 * A proxy that answers CONNECT with 200 and, in the same write, `extra`,
 * then relays the connection to 127.0.0.1:`port` both ways.
 */
function startInjectingProxy(port: number, extra: string) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const relays: Promise<unknown>[] = [];
  const relay = async (client: Deno.Conn) => {
    const buf = new Uint8Array(4096);
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await client.read(buf);
      if (n === null) return client.close();
      head += String.fromCharCode(...buf.subarray(0, n));
    }
    await client.write(
      new TextEncoder().encode(
        `HTTP/1.1 200 Connection established\r\n\r\n${extra}`,
      ),
    );
    const upstream = await Deno.connect({ hostname: "127.0.0.1", port });
    await Promise.allSettled([
      client.readable.pipeTo(upstream.writable),
      upstream.readable.pipeTo(client.writable),
    ]);
  };
  const accepting = (async () => {
    for await (const conn of listener) relays.push(relay(conn).catch(() => {}));
  })().catch(() => {});
  const close = async () => {
    listener.close();
    await accepting;
    await Promise.allSettled(relays);
  };
  return { port: listener.addr.port, [Symbol.asyncDispose]: close };
}

Deno.test(
  {
    name:
      "bytes a proxy sends in the clear after its 200 to CONNECT are not read as the https response (they were: a proxy could forge it)",
    ignore: !haveOpenssl,
  },
  deadline(async () => {
    const pem = await getCerts();
    await using site = startSite("127.0.0.1", { cert: pem.cert, key: pem.key });
    await using proxy = startInjectingProxy(
      site.port,
      "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nFORGED",
    );
    const opener = build_opener(
      new ProxyHandler({ https: `http://127.0.0.1:${proxy.port}` }),
      new HTTPSHandler({ context: create_default_context({ cadata: pem.ca }) }),
    );
    // CPython 3.13 drops them with the rest of its buffered reader and reads
    // the site's answer, as this does now.
    await using resp = await opener.open(`${site.base}/text`, { timeout: 10 });
    equal(text(await resp.readline()), "line one\n");
  }),
);

/**
 * examples/proxy.ts: direct and proxied fetches of a local page, through a
 * stand-in proxy (always) and a real tinyproxy (when installed).
 */
import { equal, ok } from "node:assert/strict";
import { haveTinyproxy, startTinyproxy } from "../urllib/request/_tinyproxy.ts";
import { runExample, serveLocal } from "./_run.ts";

function origin() {
  return serveLocal(() => new Response("origin page\n"));
}

/** Answers every request itself, saying which URL it was asked for. */
function fakeProxy() {
  return serveLocal((req) =>
    new Response(`fake proxy fetched ${req.url}\n`, {
      headers: { via: "1.1 fakeproxy" },
    })
  );
}

Deno.test("proxy.ts: direct, then through the proxy named on the command line", async () => {
  await using site = origin();
  await using proxy = fakeProxy();
  const { code, stdout, stderr } = await runExample("proxy.ts", [
    `${site.url}/x`,
    proxy.url,
  ]);
  equal(code, 0, stderr);
  equal(
    stdout,
    [
      "direct: 200 OK, 12 bytes",
      "  first line: origin page",
      `proxy for http: ${proxy.url}`,
      `proxy for https: ${proxy.url}`,
      `via proxy: 200 OK, ${`fake proxy fetched ${site.url}/x\n`.length} bytes`,
      "  Via: 1.1 fakeproxy",
      `  first line: fake proxy fetched ${site.url}/x`,
      "",
    ].join("\n"),
  );
  equal(site.requests.length, 1);
  equal(proxy.requests.length, 1);
  equal(proxy.requests[0]?.url, `${site.url}/x`);
});

Deno.test("proxy.ts: the proxy from http_proxy, and no_proxy going around it", async () => {
  await using site = origin();
  await using proxy = fakeProxy();
  const viaEnv = await runExample("proxy.ts", [`${site.url}/y`], {
    env: { http_proxy: `http://user:pw@${proxy.url.slice(7)}` },
    // The header's command line for a proxy in the environment.
    permissions: ["--allow-net", "--allow-env=http_proxy"],
  });
  equal(viaEnv.code, 0, viaEnv.stderr);
  // The password is not printed.
  ok(
    viaEnv.stdout.includes(
      `proxy for http: http://user:***@${proxy.url.slice(7)}\n`,
    ),
    viaEnv.stdout,
  );
  ok(
    viaEnv.stdout.includes(`  first line: fake proxy fetched ${site.url}/y\n`),
    viaEnv.stdout,
  );
  equal(
    proxy.requests[0]?.headers.get("proxy-authorization"),
    `Basic ${btoa("user:pw")}`,
  );

  const bypass = await runExample("proxy.ts", [`${site.url}/z`], {
    env: { http_proxy: proxy.url, no_proxy: "127.0.0.1" },
    permissions: ["--allow-net", "--allow-env=http_proxy,no_proxy"],
  });
  equal(bypass.code, 0, bypass.stderr);
  ok(
    bypass.stdout.endsWith(
      "via proxy: 200 OK, 12 bytes\n  first line: origin page\n",
    ),
    bypass.stdout,
  );
  equal(proxy.requests.length, 1);
  equal(site.requests.length, 3);
});

Deno.test("proxy.ts: no proxy anywhere skips; a dead proxy exits 1", async () => {
  await using site = origin();
  const none = await runExample("proxy.ts", [`${site.url}/`], {
    permissions: ["--allow-net", "--allow-env"],
  });
  equal(none.code, 0, none.stderr);
  ok(
    none.stdout.endsWith(
      "no proxy given and none in the environment: skipping the proxied fetch\n",
    ),
  );

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const dead = await runExample("proxy.ts", [
    `${site.url}/`,
    `http://127.0.0.1:${port}`,
  ]);
  equal(dead.code, 1);
  ok(dead.stdout.startsWith("direct: 200 OK"), dead.stdout);
  ok(dead.stdout.includes("via proxy: failed: <urlopen error"), dead.stdout);
});

Deno.test({
  name: "proxy.ts through a real tinyproxy",
  ignore: !haveTinyproxy(),
  async fn() {
    await using site = origin();
    await using proxy = await startTinyproxy();
    const { code, stdout, stderr } = await runExample("proxy.ts", [
      `${site.url}/through-tinyproxy`,
      proxy.url,
    ]);
    equal(code, 0, stderr);
    ok(
      stdout.endsWith(
        "via proxy: 200 OK, 12 bytes\n  first line: origin page\n",
      ),
      stdout,
    );
    equal(site.requests.length, 2);
    ok((await proxy.log()).includes("/through-tinyproxy"), await proxy.log());
  },
});

Deno.test("proxy.ts with the least permissions: http_proxy is used with --allow-env=http_proxy, and without env permission it says it cannot look", async () => {
  await using site = origin();
  await using proxy = fakeProxy();
  const env = { http_proxy: proxy.url };
  const scoped = await runExample("proxy.ts", [`${site.url}/x`], {
    env,
    permissions: ["--allow-net", "--allow-env=http_proxy"],
  });
  equal(scoped.code, 0, scoped.stderr);
  ok(scoped.stdout.includes(`proxy for http: ${proxy.url}\n`), scoped.stdout);
  ok(scoped.stdout.includes("  Via: 1.1 fakeproxy\n"), scoped.stdout);
  const denied = await runExample("proxy.ts", [`${site.url}/x`], {
    env,
    permissions: ["--allow-net"],
  });
  equal(denied.code, 0, denied.stderr);
  ok(denied.stdout.startsWith("direct: 200 OK"), denied.stdout);
  ok(
    denied.stdout.endsWith(
      "no proxy given, and none in the environment variables env permission covers (--allow-env): skipping the proxied fetch\n",
    ),
    denied.stdout,
  );
  equal(proxy.requests.length, 1);
});

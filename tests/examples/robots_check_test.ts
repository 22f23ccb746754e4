/**
 * examples/robots_check.ts against robots.txt files served locally.
 */
import { equal, ok } from "node:assert/strict";
import { runExample, serveLocal } from "./_run.ts";

const ROBOTS = [
  "User-agent: NosyBot",
  "Disallow: /",
  "",
  "User-agent: *",
  "Crawl-delay: 2",
  "Request-rate: 3/15",
  "Allow: /private/open.html",
  "Disallow: /private/",
  "Disallow: /tmp",
  "",
  "Sitemap: https://example.com/sitemap.xml",
  "",
].join("\n");

function robotsSite(status = 200, body = ROBOTS) {
  return serveLocal((req) =>
    new URL(req.url).pathname === "/robots.txt"
      ? new Response(body, {
        status,
        headers: { "content-type": "text/plain" },
      })
      : new Response("not here", { status: 404 })
  );
}

Deno.test("robots_check.ts answers per URL for the default agent", async () => {
  await using site = robotsSite();
  const { code, stdout, stderr } = await runExample("robots_check.ts", [
    site.url,
    "/",
    "/private/secret.html",
    "/private/open.html",
    "/tmp/x",
    `${site.url}/docs/?q=1`,
  ]);
  equal(code, 1, stderr); // some URLs are refused
  equal(
    stdout,
    [
      `robots.txt: ${site.url}/robots.txt`,
      "user agent: *",
      `allowed    ${site.url}/`,
      `disallowed ${site.url}/private/secret.html`,
      `allowed    ${site.url}/private/open.html`,
      `disallowed ${site.url}/tmp/x`,
      `allowed    ${site.url}/docs/?q=1`,
      "crawl delay: 2 s",
      "request rate: 3 per 15 s",
      "sitemap: https://example.com/sitemap.xml",
      "",
    ].join("\n"),
  );
  equal(site.requests.length, 1);
});

Deno.test("robots_check.ts: a named agent gets its own entry; all allowed exits 0", async () => {
  await using site = robotsSite();
  const nosy = await runExample("robots_check.ts", [
    `${site.url}/robots.txt`,
    "/docs/",
    "--agent",
    "NosyBot/2.1",
  ]);
  equal(nosy.code, 1, nosy.stderr);
  ok(nosy.stdout.includes(`disallowed ${site.url}/docs/`), nosy.stdout);
  const polite = await runExample("robots_check.ts", [
    site.url,
    "/docs/",
    "--agent",
    "PoliteBot",
  ]);
  equal(polite.code, 0, polite.stderr);
  ok(polite.stdout.includes(`allowed    ${site.url}/docs/`), polite.stdout);
});

Deno.test("robots_check.ts: no robots.txt allows all, 403 forbids all", async () => {
  await using missing = robotsSite(404, "gone");
  const free = await runExample("robots_check.ts", [missing.url, "/private/x"]);
  equal(free.code, 0, free.stderr);
  ok(
    free.stdout.includes("(no robots.txt: every URL is allowed)"),
    free.stdout,
  );
  ok(free.stdout.includes(`allowed    ${missing.url}/private/x`), free.stdout);

  await using denied = robotsSite(403, "no");
  const shut = await runExample("robots_check.ts", [denied.url, "/"]);
  equal(shut.code, 1, shut.stderr);
  ok(shut.stdout.includes(`disallowed ${denied.url}/`), shut.stdout);
});

Deno.test("robots_check.ts: unreachable site exits 3, bad command line 2", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // nothing listens there now
  const down = await runExample("robots_check.ts", [
    `http://127.0.0.1:${port}`,
  ]);
  equal(down.code, 3);
  ok(
    down.stderr.includes(`cannot read http://127.0.0.1:${port}/robots.txt`),
    down.stderr,
  );
  const bad = await runExample("robots_check.ts", []);
  equal(bad.code, 2);
  ok(bad.stderr.startsWith("usage: robots_check.ts"), bad.stderr);
});

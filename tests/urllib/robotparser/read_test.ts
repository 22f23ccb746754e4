/**
 * RobotFileParser.read() against a real local server answering robots.txt
 * with 200, a redirect, 401, 403, 404, 410 and 500, as CPython 3.13 reads them.
 */
import { equal, ok, rejects } from "node:assert/strict";
import { URLError } from "../../../urllib/error.ts";
import { RobotFileParser } from "../../../urllib/robotparser/mod.ts";

const ROBOTS =
  "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\nSitemap: /sitemap.xml\n";

async function withSite(
  fn: (base: string, hits: string[]) => Promise<void>,
): Promise<void> {
  const hits: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      hits.push(path);
      const status = /^\/(\d{3})\/robots\.txt$/.exec(path)?.[1];
      if (status) {
        return new Response(`status ${status}`, {
          status: Number(status),
        });
      }
      if (path === "/robots.txt") {
        return new Response(ROBOTS, {
          headers: { "Content-Type": "text/plain" },
        });
      }
      if (path === "/moved/robots.txt") {
        return new Response(null, {
          status: 301,
          headers: { Location: "/robots.txt" },
        });
      }
      if (path === "/latin1/robots.txt") {
        return new Response(
          new Uint8Array([0x55, 0x3a, 0xe9, 0x0a]),
        );
      }
      return new Response("not found", { status: 404 });
    },
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, hits);
  } finally {
    await server.shutdown();
  }
}

Deno.test("read(): a 200 robots.txt is parsed", async () => {
  await withSite(async (base) => {
    const parser = new RobotFileParser(`${base}/robots.txt`);
    await parser.read();
    ok(parser.mtime() > 0);
    equal(parser.can_fetch("AnyBot", `${base}/private/page`), false);
    equal(parser.can_fetch("AnyBot", `${base}/public/page`), true);
    equal(parser.crawl_delay("AnyBot"), 2);
    equal(parser.site_maps()?.[0], "/sitemap.xml");
    equal(parser.disallow_all || parser.allow_all, false);
  });
});

Deno.test("read(): a redirect is followed", async () => {
  await withSite(async (base, hits) => {
    const parser = new RobotFileParser(`${base}/moved/robots.txt`);
    await parser.read();
    equal(parser.can_fetch("AnyBot", `${base}/private/x`), false);
    equal(hits.join(" "), "/moved/robots.txt /robots.txt");
  });
});

for (const status of [401, 403]) {
  Deno.test(`read(): ${status} disallows everything`, async () => {
    await withSite(async (base) => {
      const parser = new RobotFileParser(`${base}/${status}/robots.txt`);
      await parser.read();
      equal(parser.disallow_all, true);
      equal(parser.allow_all, false);
      equal(parser.can_fetch("*", `${base}/robots.txt`), false);
      equal(parser.can_fetch("*", `${base}/`), false);
    });
  });
}

for (const status of [404, 410, 400]) {
  Deno.test(`read(): ${status} allows everything`, async () => {
    await withSite(async (base) => {
      const parser = new RobotFileParser(`${base}/${status}/robots.txt`);
      await parser.read();
      equal(parser.allow_all, true);
      equal(parser.disallow_all, false);
      equal(parser.mtime(), 0);
      equal(parser.can_fetch("*", `${base}/private/`), true);
      equal(parser.crawl_delay("*"), null);
      equal(parser.request_rate("*"), null);
    });
  });
}

Deno.test("read(): a 5xx leaves the rules unread, so nothing may be fetched", async () => {
  await withSite(async (base) => {
    const parser = new RobotFileParser(`${base}/500/robots.txt`);
    await parser.read();
    equal(parser.allow_all, false);
    equal(parser.disallow_all, false);
    equal(parser.mtime(), 0);
    equal(parser.can_fetch("*", `${base}/`), false);
  });
});

Deno.test("read(): a body that is not UTF-8 is an error, as in Python", async () => {
  await withSite(async (base) => {
    const parser = new RobotFileParser(`${base}/latin1/robots.txt`);
    await rejects(parser.read(), { name: "UnicodeDecodeError" });
  });
});

Deno.test("read(): a refused connection is a URLError", async () => {
  // Port 0 refuses every connection; a port freed a moment ago may be
  // taken by another test's server meanwhile (a reset, not a refusal).
  const parser = new RobotFileParser("http://127.0.0.1:0/robots.txt");
  await rejects(parser.read(), URLError);
});

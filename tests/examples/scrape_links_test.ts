/**
 * examples/scrape_links.ts against pages served locally: the charset the
 * response declares, redirects, `<base href>`, entities and errors.
 */
import { equal, ok } from "node:assert/strict";
import { runExample, serveLocal } from "./_run.ts";

const encoder = new TextEncoder();
// "テスト" in Shift_JIS, and "café – “q”" in cp1252: bytes that UTF-8
// decoding would mangle, so only the declared charset gets them right.
const SJIS_TEST = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67];
const CP1252_CAFE = [99, 97, 102, 233, 32, 150, 32, 147, 113, 148];

function page(titleBytes: number[], links: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...encoder.encode("<html><head><title>\n  "),
    ...titleBytes,
    ...encoder.encode(
      " &amp; more\n</title></head><body>\n" + links + "\n</body></html>\n",
    ),
  ]);
}

const LINKS = [
  '<a href="/about/" class="nav">About</a>',
  "<a href='docs/index.html#intro'>Docs</a>",
  "<A HREF=search?q=1&amp;lang=ja>Search</A>",
  '<a href="#top">top</a>',
  '<link rel="stylesheet" href="//cdn.example.com/site.css">',
  '<a href="https://other.example/x">x</a>',
  '<a href="/about/">About again</a>',
].join("\n");

function site() {
  return serveLocal((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/jp/page.html") {
      return new Response(page(SJIS_TEST, LINKS), {
        headers: { "content-type": "text/html; charset=Shift_JIS" },
      });
    }
    if (path === "/latin/") {
      return new Response(page(CP1252_CAFE, '<a href="a.html">a</a>'), {
        headers: { "content-type": "text/html; charset=windows-1252" },
      });
    }
    if (path === "/plain") {
      // No charset declared: UTF-8, the example's fallback.
      return new Response(
        encoder.encode(
          '<title>Ünïcode</title><base href="/root/sub/"><a href="x.html">x</a>',
        ),
        { headers: { "content-type": "text/html" } },
      );
    }
    if (path === "/meta-latin1") {
      // What python -m http.server sends: text/html, no charset; the page
      // names its own, and the title is Latin-1 bytes ("café", "naïve").
      return new Response(
        new Uint8Array([
          ...encoder.encode(
            '<!DOCTYPE html><html><head><meta charset="iso-8859-1">\n<title>',
          ),
          ...CP1252_CAFE.slice(0, 4),
          ...encoder.encode(" na"),
          0xef,
          ...encoder.encode("ve</title></head></html>\n"),
        ]),
        { headers: { "content-type": "text/html" } },
      );
    }
    if (path === "/meta-http-equiv") {
      return new Response(
        new Uint8Array([
          ...encoder.encode(
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><title>',
          ),
          0xf0, // "П" in KOI8-R
          ...encoder.encode("</title>"),
        ]),
        { headers: { "content-type": "text/html" } },
      );
    }
    if (path === "/meta-too-late") {
      // Browsers look for the meta in the first 1024 bytes only.
      return new Response(
        encoder.encode(
          `<!--${"x".repeat(1100)}--><meta charset="koi8-r"><title>Ünï</title>`,
        ),
        { headers: { "content-type": "text/html" } },
      );
    }
    if (path === "/old") {
      return Response.redirect(new URL("/jp/page.html", req.url), 301);
    }
    return new Response("missing", { status: 404 });
  });
}

Deno.test("scrape_links.ts decodes with the declared charset and resolves every link", async () => {
  await using s = site();
  const { code, stdout, stderr } = await runExample("scrape_links.ts", [
    `${s.url}/old`,
  ]);
  equal(code, 0, stderr);
  equal(
    stdout,
    [
      // Links are relative to the page the redirect led to.
      `URL: ${s.url}/jp/page.html`,
      "Charset: shift_jis",
      "Title: テスト & more",
      "Links (5):",
      `  ${s.url}/about/`,
      `  ${s.url}/jp/docs/index.html`,
      `  ${s.url}/jp/search?q=1&lang=ja`,
      "  http://cdn.example.com/site.css",
      "  https://other.example/x",
      "",
    ].join("\n"),
  );
});

Deno.test("scrape_links.ts: a legacy single-byte charset and the UTF-8 fallback", async () => {
  await using s = site();
  const latin = await runExample("scrape_links.ts", [`${s.url}/latin/`]);
  equal(latin.code, 0, latin.stderr);
  ok(
    latin.stdout.includes("Charset: windows-1252\nTitle: café – “q” & more\n"),
    latin.stdout,
  );
  ok(latin.stdout.includes(`  ${s.url}/latin/a.html\n`), latin.stdout);

  const plain = await runExample("scrape_links.ts", [`${s.url}/plain`]);
  equal(plain.code, 0, plain.stderr);
  ok(plain.stdout.includes("Charset: utf-8\nTitle: Ünïcode\n"), plain.stdout);
  ok(
    plain.stdout.includes(`Links (1):\n  ${s.url}/root/sub/x.html\n`),
    plain.stdout,
  );
});

Deno.test("scrape_links.ts exits 1 on an HTTP error or an unreachable host", async () => {
  await using s = site();
  const missing = await runExample("scrape_links.ts", [`${s.url}/nothing`]);
  equal(missing.code, 1);
  equal(missing.stdout, "");
  ok(missing.stderr.includes("HTTP Error 404: Not Found"), missing.stderr);

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const down = await runExample("scrape_links.ts", [
    `http://127.0.0.1:${port}/`,
  ]);
  equal(down.code, 1);
  ok(down.stderr.includes("cannot fetch"), down.stderr);
});

Deno.test("scrape_links.ts: no charset in the response, so the page's own <meta charset>", async () => {
  await using s = site();
  const latin = await runExample("scrape_links.ts", [`${s.url}/meta-latin1`]);
  equal(latin.code, 0, latin.stderr);
  ok(
    latin.stdout.includes("Charset: windows-1252\nTitle: café naïve\n"),
    latin.stdout,
  );
  const equiv = await runExample("scrape_links.ts", [
    `${s.url}/meta-http-equiv`,
  ]);
  equal(equiv.code, 0, equiv.stderr);
  ok(equiv.stdout.includes("Charset: koi8-r\nTitle: П\n"), equiv.stdout);
  const late = await runExample("scrape_links.ts", [`${s.url}/meta-too-late`]);
  equal(late.code, 0, late.stderr);
  ok(late.stdout.includes("Charset: utf-8\nTitle: Ünï\n"), late.stdout);
});

Deno.test("scrape_links.ts reads hostile pages of 1-2 MiB without stalling", async () => {
  // 1-2 MiB of tags that never close: trying the patterns at every `<` (as
  // matchAll and exec do), each try scanning to the end, took minutes.
  const pages: Record<string, string> = {
    "/a": "<a".repeat(512 * 1024),
    "/title": "<title>".repeat(300 * 1024),
    "/base": "<base ".repeat(350 * 1024),
  };
  await using s = serveLocal((req) =>
    new Response(pages[new URL(req.url).pathname], {
      headers: { "content-type": "text/html; charset=utf-8" },
    })
  );
  for (const path of Object.keys(pages)) {
    const { code, stdout, stderr } = await runExample(
      "scrape_links.ts",
      [`${s.url}${path}`],
      { timeoutMs: 30_000 },
    );
    equal(code, 0, `${path}: ${stderr}`);
    ok(stdout.endsWith("Title: (none)\nLinks (0):\n"), stdout);
  }
});

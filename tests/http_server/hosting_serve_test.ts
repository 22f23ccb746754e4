/**
 * serve's hosting flags, each through the real `serve` process and a real
 * client (fetch, raw sockets, openssl).
 */
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  buildRequest,
  header,
  type RawResponse,
  sendRaw,
} from "./_diff_http.ts";
import { settle } from "./_cache_tree.ts";
import { haveOpenssl } from "../_tls.ts";
import { fetchText, get, listTree, makeSite, serve } from "./_hosting.ts";

const WINDOWS = Deno.build.os === "windows";
const opts = { ignore: WINDOWS };
const text = new TextDecoder();

function raw(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return sendRaw(
    { hostname: "127.0.0.1", port },
    buildRequest(method, target, { Host: "localhost", ...headers }),
    { head: method === "HEAD" },
  );
}

/** What a browser sends before a cross-origin GET with `headers`. */
function preflightFor(url: string, headers: string) {
  return fetchText(url, {
    method: "OPTIONS",
    headers: {
      Origin: "https://app.example",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": headers,
    },
  });
}

Deno.test({
  name:
    "--cors and -H: a 100 Continue is the status line alone, as Python's; the final response carries the headers",
  ...opts,
  async fn() {
    await using site = await makeSite({ "a.txt": "a" });
    await using server = await serve(site.root, [
      "-p",
      "HTTP/1.1",
      "--cors",
      "-H",
      "X-Added: 1",
    ]);
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.port,
    });
    try {
      await conn.write(new TextEncoder().encode(
        "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
          "Content-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
      ));
      let received = "";
      const buffer = new Uint8Array(4096);
      for (let n; (n = await conn.read(buffer)) !== null;) {
        received += text.decode(buffer.subarray(0, n));
      }
      ok(
        received.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "),
        JSON.stringify(received),
      );
      const final = received.slice(received.indexOf("HTTP/1.1 200 "));
      ok(final.includes("\r\nAccess-Control-Allow-Origin: *\r\n"), final);
      ok(final.includes("\r\nX-Added: 1\r\n"), final);
    } finally {
      conn.close();
    }
  },
});

Deno.test({
  name:
    "no hosting flag: Python's handler, nothing added (OPTIONS/PUT 501, dotfiles served)",
  ...opts,
  async fn() {
    await using site = await makeSite({ ".env": "SECRET=1\n", "a.txt": "a" });
    await using server = await serve(site.root, []);
    const { res, text: body } = await fetchText(server.url("/"));
    ok(body.includes(".env"));
    equal(res.headers.has("vary"), false);
    equal(res.headers.has("access-control-allow-origin"), false);
    equal((await fetchText(server.url("/.env"))).text, "SECRET=1\n");
    for (const method of ["OPTIONS", "PUT", "POST"]) {
      const r = await fetchText(server.url("/a.txt"), {
        method,
        body: method === "OPTIONS" ? null : "x",
      });
      equal(r.res.status, 501, method);
    }
    const json = await get(server.url("/"), {
      headers: { Accept: "application/json" },
    });
    ok((await json.text()).startsWith("<!DOCTYPE HTML>"), "Python's page");
  },
});

Deno.test({
  name: "--cors, -H, --cache-control, --no-dotfiles, --404, --listing rich",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "a.txt": "hello",
      ".env": "SECRET=1",
      ".git/config": "[core]",
      ".well-known/security.txt": "Contact: x",
      "404.html": "<h1>Not here</h1>",
      "sub/b.txt": "bbb",
    });
    await using server = await serve(site.root, [
      "--cors",
      "-H",
      "X-Frame-Options: DENY",
      "--header",
      "Server: hosted",
      "-H",
      "Vary: Origin",
      // curl's forms: remove a header, send one empty.
      "-H",
      "Date:",
      "-H",
      "X-Empty;",
      "--cache-control",
      "max-age=60",
      "--no-dotfiles",
      "--404",
      "404.html",
      "--listing",
      "rich",
    ]);
    const file = await fetchText(server.url("/a.txt"));
    equal(file.text, "hello");
    equal(file.res.headers.get("access-control-allow-origin"), "*");
    equal(file.res.headers.get("access-control-expose-headers"), "*");
    equal(file.res.headers.get("x-frame-options"), "DENY");
    equal(file.res.headers.get("server"), "hosted", "-H replaces Server");
    equal(file.res.headers.has("date"), false, "-H 'Date:' removes it");
    equal(file.res.headers.get("x-empty"), "");
    equal(file.res.headers.get("cache-control"), "max-age=60");

    const etag = file.res.headers.get("etag") ?? "";
    const revalidated = await fetchText(server.url("/a.txt"), {
      headers: { "If-None-Match": etag },
    });
    equal(revalidated.res.status, 304);
    equal(revalidated.res.headers.get("cache-control"), "max-age=60");

    // A missing file: the --404 page, with CORS but no Cache-Control.
    const missing = await fetchText(server.url("/nope.txt"));
    equal(missing.res.status, 404);
    equal(missing.text, "<h1>Not here</h1>");
    equal(missing.res.headers.get("content-type"), "text/html; charset=utf-8");
    equal(missing.res.headers.get("access-control-allow-origin"), "*");
    equal(missing.res.headers.has("cache-control"), false);
    const missingHead = await get(server.url("/nope.txt"), { method: "HEAD" });
    equal(missingHead.status, 404);
    equal(missingHead.headers.get("content-length"), "17");

    // Hidden names are missing, however spelled; .well-known is not hidden.
    for (
      const path of [
        "/.env",
        "/.git/config",
        "/%2Eenv",
        "/sub/../.env",
        "/.git/",
      ]
    ) {
      const r = await fetchText(server.url(path));
      equal(r.res.status, 404, path);
      equal(r.text, "<h1>Not here</h1>", path);
    }
    equal(
      (await fetchText(server.url("/.well-known/security.txt"))).text,
      "Contact: x",
    );
    const listing = await fetchText(server.url("/"));
    ok(!listing.text.includes(".env") && !listing.text.includes(".git"));
    ok(listing.text.includes(".well-known/"));
    ok(listing.text.includes("Modified (UTC)"), "the rich listing");
    equal(listing.res.headers.get("cache-control"), "max-age=60");
    // An added Vary joins the server's own, which a cache needs.
    equal(listing.res.headers.get("vary"), "Accept, Origin");
    const json = await fetchText(server.url("/"), {
      headers: { Accept: "application/json" },
    });
    equal(json.res.headers.get("content-type"), "application/json");
    const names = (JSON.parse(json.text) as { name: string }[]).map((e) =>
      e.name
    );
    deepEqual(names, [".well-known", "sub", "404.html", "a.txt"]);

    // Preflight and plain OPTIONS.
    const preflight = await preflightFor(
      server.url("/a.txt"),
      "x-token, range",
    );
    equal(preflight.res.status, 204);
    equal(
      preflight.res.headers.get("access-control-allow-methods"),
      "GET, HEAD, OPTIONS",
    );
    equal(
      preflight.res.headers.get("access-control-allow-headers"),
      "x-token, range",
    );
    equal(preflight.res.headers.get("access-control-allow-origin"), "*");
    const plain = await fetchText(server.url("/"), { method: "OPTIONS" });
    equal(plain.res.status, 204);
    equal(plain.res.headers.get("allow"), "GET, HEAD, OPTIONS");
    equal(plain.res.headers.has("access-control-allow-methods"), false);
  },
});

Deno.test({
  name:
    "--spa: extension-less paths from browsers get the app; assets and other clients 404",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "index.html": "<div id=app></div>",
      "shell.html": "<div id=shell></div>",
      "404.html": "gone",
      "real.txt": "real",
    });
    const browser = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
    {
      await using server = await serve(site.root, ["--spa"]);
      const route = await fetchText(server.url("/users/42?tab=1"), {
        headers: browser,
      });
      equal(route.res.status, 200);
      equal(route.text, "<div id=app></div>");
      // The page or the 404 depends on Accept: a cache in front must know.
      equal(route.res.headers.get("vary"), "Accept");
      const head = await get(server.url("/users/42"), {
        method: "HEAD",
        headers: browser,
      });
      equal(head.status, 200);
      const script = await fetchText(server.url("/users/42"), {
        headers: { Accept: "*/*" },
      });
      equal(script.res.status, 404);
      equal(script.res.headers.get("vary"), "Accept");
      equal(
        (await fetchText(server.url("/app.js"), { headers: browser })).res
          .status,
        404,
      );
      equal(
        (await fetchText(server.url("/real.txt"), { headers: browser })).text,
        "real",
      );
      // An existing folder still lists; the fallback is only for what is missing.
      equal(
        (await fetchText(server.url("/"), { headers: browser })).text,
        "<div id=app></div>",
      );
    }
    {
      await using server = await serve(site.root, [
        "--spa",
        "shell.html",
        "--404",
        "404.html",
      ]);
      equal(
        (await fetchText(server.url("/deep/route"), { headers: browser })).text,
        "<div id=shell></div>",
      );
      const asset = await fetchText(server.url("/missing.png"), {
        headers: browser,
      });
      equal(asset.res.status, 404);
      equal(asset.text, "gone");
    }
  },
});

Deno.test({
  name:
    "--no-listing: folders without an index answer 404; index pages still served",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "index.html": "home",
      "files/a.txt": "a",
    });
    await using server = await serve(site.root, ["--no-listing"]);
    equal((await fetchText(server.url("/"))).text, "home");
    const folder = await fetchText(server.url("/files/"));
    equal(folder.res.status, 404);
    ok(!folder.text.includes("a.txt"));
    const json = await fetchText(server.url("/files/"), {
      headers: { Accept: "application/json" },
    });
    equal(json.res.status, 404);
    equal((await fetchText(server.url("/files/a.txt"))).text, "a");
    // Methods no flag turned on still get Python's 501.
    for (const method of ["PUT", "POST", "OPTIONS"]) {
      const r = await fetchText(server.url("/files/a.txt"), {
        method,
        body: method === "OPTIONS" ? null : "x",
      });
      equal(r.res.status, 501, method);
      ok(r.text.includes(`Unsupported method ('${method}')`), r.text);
    }
  },
});

Deno.test({
  name:
    "--compress: gzip and Brotli with exact Content-Length, Vary, ETag per coding; never for Range",
  ...opts,
  async fn() {
    const script = "export const answer = 42;\n".repeat(200);
    await using site = await makeSite({
      "app.js": script,
      "tiny.txt": "small",
      "logo.png": new Uint8Array(4096).fill(7),
    });
    // Settled, so that every request below gets the same tags: a file
    // changed within the second has a content tag, then its stamp's.
    await settle(`${site.root}/app.js`);
    await using server = await serve(site.root, ["--compress"]);
    const plain = await raw(server.port, "GET", "/app.js");
    equal(header(plain, "content-encoding"), null);
    equal(header(plain, "vary"), "Accept-Encoding");
    const identityTag = header(plain, "etag") ?? "";

    const gz = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
    });
    equal(gz.status, 200);
    equal(header(gz, "content-encoding"), "gzip");
    equal(header(gz, "vary"), "Accept-Encoding");
    equal(Number(header(gz, "content-length")), gz.body.length);
    ok(gz.body.length < script.length / 10);
    equal(text.decode(gunzipSync(gz.body)), script);
    const gzTag = header(gz, "etag") ?? "";
    equal(gzTag, identityTag.slice(0, -1) + '-gzip"');
    // A 304 from If-Modified-Since alone carries the tag a 200 would: the
    // compressed one (it carried the plain file's).
    const since = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
      "If-Modified-Since": header(gz, "last-modified") ?? "",
    });
    equal(since.status, 304);
    equal(header(since, "etag"), gzTag);
    equal(header(since, "vary"), "Accept-Encoding");

    const br = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip, deflate, br",
    });
    equal(header(br, "content-encoding"), "br");
    equal(text.decode(brotliDecompressSync(br.body)), script);
    ok(header(br, "etag") !== gzTag);

    const head = await raw(server.port, "HEAD", "/app.js", {
      "Accept-Encoding": "gzip",
    });
    equal(header(head, "content-length"), header(gz, "content-length"));

    const revalidate = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
      "If-None-Match": gzTag,
    });
    equal(revalidate.status, 304);
    equal(header(revalidate, "etag"), gzTag);
    equal(revalidate.body.length, 0);

    const range = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
      Range: "bytes=0-9",
    });
    equal(range.status, 206);
    equal(header(range, "content-encoding"), null);
    equal(text.decode(range.body), script.slice(0, 10));

    for (const path of ["/tiny.txt", "/logo.png"]) {
      const r = await raw(server.port, "GET", path, {
        "Accept-Encoding": "gzip, br",
      });
      equal(r.status, 200);
      equal(header(r, "content-encoding"), null, path);
    }
    // fetch decodes it as a browser would.
    equal((await fetchText(server.url("/app.js"))).text, script);
  },
});

for (const cache of [[], ["--no-cache"]]) {
  Deno.test({
    name: `--compress and --precompressed${
      cache.map((flag) => ` ${flag}`).join("")
    }: a variant fetched just after a change still revalidates (304) once the file settles`,
    ...opts,
    async fn() {
      const script = "export const answer = 42;\n".repeat(200);
      await using site = await makeSite({
        "app.js": script,
        "lib.js": "console.log('identity');\n".repeat(50),
        "lib.js.gz": "GZIP-BYTES",
      });
      await using server = await serve(site.root, [
        "--compress",
        "--precompressed",
        ...cache,
      ]);
      const gzip = { "Accept-Encoding": "gzip" };
      // Changed just now, then fetched: the tags come from the bytes while
      // the change is under a second old (ctime has whole seconds, so that
      // can be as little as 0.1 s; a busy machine may need another try).
      let tags: string[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        await Deno.writeTextFile(
          `${site.root}/app.js`,
          `${script}// ${attempt}\n`,
        );
        await Deno.writeTextFile(`${site.root}/lib.js.gz`, `GZIP-${attempt}`);
        const fresh = await Promise.all(
          ["/app.js", "/lib.js"].map((path) =>
            raw(server.port, "GET", path, gzip)
          ),
        );
        tags = fresh.map((res) => header(res, "etag") ?? "");
        if (tags.every((tag) => /^"c-.*-gzip"$/.test(tag))) break;
      }
      for (const tag of tags) match(tag, /^"c-.*-gzip"$/);
      await settle(`${site.root}/app.js`, `${site.root}/lib.js.gz`);
      for (const [i, path] of ["/app.js", "/lib.js"].entries()) {
        const again = await raw(server.port, "GET", path, {
          ...gzip,
          "If-None-Match": tags[i]!,
        });
        equal(again.status, 304, path);
        equal(again.body.length, 0);
      }
    },
  });
}

for (const cache of [[], ["--no-cache"]]) {
  Deno.test({
    name: `--compress${
      cache.map((flag) => ` ${flag}`).join("")
    }: validators come before Range (304, not 416); If-Modified-Since waits for a change to settle, as without flags`,
    ...opts,
    async fn() {
      await using site = await makeSite({
        "a.txt": "plain text\n".repeat(200),
      });
      const path = `${site.root}/a.txt`;
      await settle(path);
      await using server = await serve(site.root, ["--compress", ...cache]);
      const first = await raw(server.port, "GET", "/a.txt");
      const tag = header(first, "etag") ?? "";
      const beyond = { Range: "bytes=999999-" };
      for (
        const validator of [
          { "If-None-Match": tag },
          { "If-Modified-Since": header(first, "last-modified") ?? "" },
        ]
      ) {
        const current = await raw(server.port, "GET", "/a.txt", {
          ...beyond,
          ...validator,
        });
        equal(current.status, 304, JSON.stringify(validator));
        equal(header(current, "etag"), tag);
      }
      const other = await raw(server.port, "GET", "/a.txt", {
        ...beyond,
        "If-None-Match": '"another"',
      });
      equal(other.status, 416);
      equal(header(other, "content-range"), `bytes */${first.body.length}`);

      // Rewritten with its date put back (as `cp -p` and `tar x` do): sent
      // whole while the change is under a second old, whatever the date.
      const old = new Date(Date.UTC(2024, 0, 1));
      let checked = 0;
      for (let attempt = 0; attempt < 5 && checked === 0; attempt++) {
        // Start early in a second, so that the answer can come within it.
        while (Date.now() % 1000 < 20 || Date.now() % 1000 > 150) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const second = Math.floor(Date.now() / 1000);
        await Deno.writeTextFile(path, `version ${attempt}\n`.repeat(200));
        await Deno.utime(path, old, old);
        const res = await raw(server.port, "GET", "/a.txt", {
          "If-Modified-Since": old.toUTCString(),
        });
        if (Math.floor(Date.now() / 1000) !== second) continue;
        equal(res.status, 200);
        equal(text.decode(res.body), `version ${attempt}\n`.repeat(200));
        checked++;
      }
      ok(checked > 0, "no request answered within the second of its change");
    },
  });
}

/** Sends `request` and reads until the server closes (an HTTP/0.9 answer has no head). */
async function readToClose(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(request));
    return await new Response(conn.readable).text();
  } catch (error) {
    conn.close();
    throw error;
  }
}

Deno.test({
  name:
    "--compress and --precompressed: an HTTP/0.9 answer is the file itself (no head could name a coding)",
  ...opts,
  async fn() {
    const js = "console.log('identity');\n".repeat(100);
    await using site = await makeSite({
      "app.js": js,
      "lib.js": js,
      "lib.js.gz": "GZIP-BYTES",
    });
    await using server = await serve(site.root, [
      "--compress",
      "--precompressed",
    ]);
    for (const path of ["/app.js", "/lib.js"]) {
      const answer = await readToClose(
        server.port,
        `GET ${path}\r\nAccept-Encoding: gzip, br\r\n\r\n`,
      );
      equal(answer, js, path);
    }
  },
});

Deno.test({
  name:
    "--precompressed: x.br / x.gz beside x by Accept-Encoding, with x's type; not for Range",
  ...opts,
  async fn() {
    const js = "console.log('identity');\n".repeat(50);
    await using site = await makeSite({
      "app.js": js,
      "app.js.br": "BROTLI-BYTES",
      "app.js.gz": "GZIP-BYTES",
      "index.html": "<p>home</p>",
      "index.html.gz": "GZIPPED-HOME",
    });
    // Settled, so that the tag revalidated below is the one still sent.
    await settle(`${site.root}/app.js.gz`);
    await using server = await serve(site.root, ["--precompressed"]);
    const br = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip, br",
    });
    equal(text.decode(br.body), "BROTLI-BYTES");
    equal(header(br, "content-encoding"), "br");
    equal(header(br, "content-type"), "text/javascript; charset=utf-8");
    equal(header(br, "vary"), "Accept-Encoding");
    match(header(br, "etag") ?? "", /-br"$/);
    const gz = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
    });
    equal(text.decode(gz.body), "GZIP-BYTES");
    const q = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "br;q=0.5, gzip",
    });
    equal(text.decode(q.body), "GZIP-BYTES");
    const none = await raw(server.port, "GET", "/app.js");
    equal(text.decode(none.body), js);
    equal(header(none, "content-encoding"), null);
    // Another client's Accept-Encoding would get a sibling: caches must know.
    equal(header(none, "vary"), "Accept-Encoding");
    const range = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "br",
      Range: "bytes=0-6",
    });
    equal(range.status, 206);
    equal(text.decode(range.body), "console");
    const home = await raw(server.port, "GET", "/", {
      "Accept-Encoding": "gzip",
    });
    equal(text.decode(home.body), "GZIPPED-HOME");
    equal(header(home, "content-type"), "text/html; charset=utf-8");
    const tag = header(gz, "etag") ?? "";
    const again = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
      "If-None-Match": tag,
    });
    equal(again.status, 304);
    equal(header(again, "etag"), tag);
    // The plain file's tag does not stand for the gzip variant sent.
    const plain = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
      "If-None-Match": header(none, "etag") ?? "",
    });
    equal(plain.status, 200);
    equal(text.decode(plain.body), "GZIP-BYTES");
    const star = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "br",
      "If-None-Match": "*",
    });
    equal(star.status, 304);
    match(header(star, "etag") ?? "", /-br"$/);
  },
});

Deno.test({
  name:
    "--watch with --precompressed and --compress: a page with a .gz beside it still gets the script; a plain tag is not the page's",
  ...opts,
  async fn() {
    await using site = await makeSite({
      // Above --compress's 1 KiB floor.
      "index.html": `<html><body>${"<p>home</p>".repeat(200)}</body></html>`,
      "index.html.gz": "GZIPPED-HOME",
    });
    await settle(`${site.root}/index.html.gz`);
    await using server = await serve(site.root, [
      "--watch",
      "--precompressed",
      "--compress",
    ]);
    const plain = await raw(server.port, "GET", "/");
    ok(text.decode(plain.body).includes("/__serve/live-reload"));
    const page = await raw(server.port, "GET", "/", {
      "Accept-Encoding": "gzip",
    });
    equal(page.status, 200);
    ok(
      gunzipSync(page.body).toString().includes("/__serve/live-reload"),
      "the script is in the page sent compressed",
    );
    match(header(page, "etag") ?? "", /-lr-[\w-]+-gzip"$/);
    // A tag without the script (from a run without --watch) gets the page.
    const stale = (header(page, "etag") ?? "").replace(
      /-lr-[\w-]+-gzip"$/,
      '"',
    );
    const again = await raw(server.port, "GET", "/", {
      "Accept-Encoding": "gzip",
      "If-None-Match": stale,
    });
    equal(again.status, 200);
    const same = await raw(server.port, "GET", "/", {
      "Accept-Encoding": "gzip",
      "If-None-Match": header(page, "etag") ?? "",
    });
    equal(same.status, 304);
    equal(header(same, "etag"), header(page, "etag"));
  },
});

Deno.test({
  name:
    "--auth / --auth-file: 401 with a Basic challenge, users from both, no credential logged",
  ...opts,
  async fn() {
    await using site = await makeSite({ "a.txt": "private" });
    const digest = createHash("sha256").update("s3cret-pw").digest("hex");
    const authFile = `${site.outside}/users`;
    await Deno.writeTextFile(authFile, `# users\nbob:sha256:${digest}\n`);
    await using server = await serve(site.root, [
      "--auth",
      "ada:lovelace-pw",
      "--auth-file",
      authFile,
      "--cors",
    ]);
    const basic = (pair: string) => ({ Authorization: "Basic " + btoa(pair) });
    const anonymous = await fetchText(server.url("/a.txt"));
    equal(anonymous.res.status, 401);
    equal(
      anonymous.res.headers.get("www-authenticate"),
      'Basic realm="serve", charset="UTF-8"',
    );
    ok(!anonymous.text.includes("private"));
    equal(
      (await fetchText(server.url("/a.txt"), { headers: basic("ada:wrong") }))
        .res.status,
      401,
    );
    equal(
      (await fetchText(server.url("/a.txt"), {
        headers: basic("bob:lovelace-pw"),
      })).res.status,
      401,
    );
    equal(
      (await fetchText(server.url("/a.txt"), {
        headers: basic("ada:lovelace-pw"),
      })).text,
      "private",
    );
    equal(
      (await fetchText(server.url("/a.txt"), {
        headers: basic("bob:s3cret-pw"),
      })).text,
      "private",
    );
    const head = await get(server.url("/a.txt"), { method: "HEAD" });
    equal(head.status, 401);
    // A CORS preflight carries no credentials and needs none.
    const preflight = await preflightFor(server.url("/a.txt"), "authorization");
    equal(preflight.res.status, 204);
    equal(
      preflight.res.headers.get("access-control-allow-headers"),
      "authorization",
    );
    await server.process.until(
      () => server.process.stderr.split("\n").length > 7,
      "the log lines",
    );
    const log = server.process.stderr;
    match(log, /"GET \/a\.txt HTTP\/1\.1" 401 -/);
    for (
      const secret of [
        "lovelace-pw",
        "s3cret-pw",
        btoa("ada:lovelace-pw"),
        btoa("ada:wrong"),
      ]
    ) {
      ok(!log.includes(secret), `the log shows ${secret}`);
    }
  },
});

Deno.test({
  name: "--watch with --404: the not-found page gets the script too",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "404.html": "<html><body><h1>gone</h1></body></html>",
    });
    await using server = await serve(site.root, [
      "--watch",
      "--404",
      "404.html",
    ]);
    const missing = await fetchText(server.url("/a/b/missing"));
    equal(missing.res.status, 404);
    assertScriptBefore(missing, "</body></html>");
  },
});

Deno.test({
  name:
    "--watch: Python's page for a file not found gets the script too, for GET and HEAD alike; not for another method (a reload would send it again) or a refusal",
  ...opts,
  async fn() {
    await using site = await makeSite({ "index.html": "<h1>home</h1>" });
    await using server = await serve(site.root, ["--watch"]);
    const missing = await fetchText(server.url("/later.html"));
    equal(missing.res.status, 404);
    ok(missing.text.includes("<p>Message: File not found.</p>"));
    assertScriptBefore(missing, "</body>\n</html>\n");
    const head = await fetch(server.url("/later.html"), { method: "HEAD" });
    equal(
      head.headers.get("content-length"),
      missing.res.headers.get("content-length"),
    );
    const posted = await fetchText(server.url("/later.html"), {
      method: "POST",
      body: "x",
    });
    equal(posted.res.status, 501);
    ok(posted.text.includes("<p>Error code: 501</p>"));
    ok(!posted.text.includes("<script"), posted.text);
    await using guarded = await serve(site.root, [
      "--watch",
      "--auth",
      "ada:pw",
    ]);
    const refused = await fetchText(guarded.url("/index.html"));
    equal(refused.res.status, 401);
    ok(!refused.text.includes("<script"), refused.text);
  },
});

Deno.test({
  name:
    "--watch: HTML pages get the script, an event stream reports changes, no-cache by default",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "index.html": "<html><body><h1>v1</h1></body></html>",
      "notes.txt": "plain",
    });
    await using server = await serve(site.root, ["--watch"]);
    const page = await fetchText(server.url("/"));
    assertScriptBefore(page, "</body></html>");
    equal(page.res.headers.get("cache-control"), "no-cache");
    const firstVersion = versionIn(page.text);
    const firstTag = page.res.headers.get("etag") ?? "";
    ok(firstTag.endsWith(`-lr-${firstVersion}"`), firstTag);
    equal((await fetchText(server.url("/notes.txt"))).text, "plain");
    // The script comes from the page's origin (a policy allowing 'self'
    // lets it run), with the cache rule of pages.
    const script = await fetchText(server.url("/__serve/live-reload.js"));
    equal(script.res.status, 200);
    equal(
      script.res.headers.get("content-type"),
      "text/javascript; charset=utf-8",
    );
    equal(script.res.headers.get("cache-control"), "no-cache");
    ok(script.text.includes("new EventSource(path)"), script.text);
    ok(script.text.includes("document.currentScript"), script.text);
    const scriptHead = await fetch(server.url("/__serve/live-reload.js"), {
      method: "HEAD",
    });
    equal(scriptHead.status, 200);
    equal(
      scriptHead.headers.get("content-length"),
      script.res.headers.get("content-length"),
    );
    // Revalidation: the tag says the copy is current; a date cannot, as it
    // does not name the script's version.
    const revalidate = (headers: Record<string, string>) =>
      fetchText(server.url("/"), { headers });
    equal((await revalidate({ "If-None-Match": firstTag })).res.status, 304);
    const lastModified = page.res.headers.get("last-modified") ?? "";
    equal(
      (await revalidate({ "If-Modified-Since": lastModified })).res.status,
      200,
    );

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      const events = await fetch(server.url("/__serve/live-reload"), {
        signal: controller.signal,
      });
      equal(events.headers.get("content-type"), "text/event-stream");
      equal(events.headers.get("connection"), "close");
      const reader = events.body!.getReader();
      let received = text.decode((await reader.read()).value);
      ok(received.startsWith("retry: 1000"));
      // No change yet: the page's version is current.
      ok(
        received.includes(`event: hello\ndata: ${firstVersion}\n\n`),
        received,
      );
      // Another file changes: the page's own bytes stay as they were.
      await Deno.writeTextFile(`${site.root}/notes.txt`, "changed");
      await Deno.writeTextFile(`${site.root}/.hidden-swap`, "ignored");
      while (!received.includes("event: change")) {
        const { value, done } = await reader.read();
        if (done) break;
        received += text.decode(value);
      }
      match(received, /event: change\ndata: \[.*"notes\.txt".*\]\n\n/);
      ok(!received.includes(".hidden-swap"));
      await reader.cancel();
      // A stream opened later names the new version, which pages served
      // now carry; a copy of the page served before is not current, as its
      // script names the old one.
      const later = await fetch(server.url("/__serve/live-reload"), {
        signal: controller.signal,
      });
      const laterReader = later.body!.getReader();
      let hello = "";
      while (!/event: hello\ndata: \S+\n\n/.test(hello)) {
        const { value, done } = await laterReader.read();
        if (done) break;
        hello += text.decode(value);
      }
      await laterReader.cancel();
      const secondVersion = /event: hello\ndata: (\S+)/.exec(hello)?.[1];
      notEqual(secondVersion, firstVersion);
      const second = await revalidate({ "If-None-Match": firstTag });
      equal(second.res.status, 200);
      equal(versionIn(second.text), secondVersion);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  },
});

/**
 * `page` carries the live reload script just before `ending`, and its
 * `Content-Length` counts the script.
 */
function assertScriptBefore(
  page: { res: Response; text: string },
  ending: string,
): void {
  ok(
    page.text.includes('<script src="/__serve/live-reload.js" data-version="'),
    page.text,
  );
  ok(page.text.endsWith(`"></script>\n${ending}`), page.text);
  equal(
    Number(page.res.headers.get("content-length")),
    new TextEncoder().encode(page.text).length,
  );
}

/** The folder version a page's live reload script was served with. */
function versionIn(page: string): string {
  const version = /<script src="[^"]*" data-version="([^"&<]*)"><\/script>/
    .exec(page)?.[1];
  ok(version, "the page's live reload script carries a version");
  return version;
}

Deno.test({
  name:
    "--watch --no-listing: the change events name no file (a listener would learn each name saved)",
  ...opts,
  async fn() {
    await using site = await makeSite({ "index.html": "<h1>v1</h1>" });
    await using server = await serve(site.root, ["--watch", "--no-listing"]);
    const events = await get(server.url("/__serve/live-reload"));
    const reader = events.body!.getReader();
    try {
      let received = text.decode((await reader.read()).value);
      ok(received.startsWith("retry: 1000"), received);
      // A name the folder does not list, and no one could guess.
      await Deno.writeTextFile(`${site.root}/unlisted-7f3a.txt`, "private");
      while (!received.includes("event: change")) {
        const { value, done } = await reader.read();
        if (done) break;
        received += text.decode(value);
      }
      match(received, /event: change\ndata: \[\]\n\n/);
      ok(!received.includes("unlisted"), received);
    } finally {
      await reader.cancel();
    }
  },
});

Deno.test({
  name:
    "--watch: a reader of the event stream that went away is dropped when the folder changes; the server goes on",
  ...opts,
  async fn() {
    await using site = await makeSite({ "index.html": "<h1>v1</h1>" });
    await using server = await serve(site.root, ["--watch"]);
    for (let i = 0; i < 3; i++) {
      const conn = await Deno.connect({
        hostname: "127.0.0.1",
        port: server.port,
      });
      await conn.write(
        new TextEncoder().encode("GET /__serve/live-reload HTTP/1.0\r\n\r\n"),
      );
      await conn.read(new Uint8Array(1024)); // the head and "retry"
      conn.close();
    }
    // Each change is sent to the readers that left: their writes fail.
    for (let i = 2; i <= 3; i++) {
      await Deno.writeTextFile(`${site.root}/index.html`, `<h1>v${i}</h1>`);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    const page = await fetchText(server.url("/"));
    equal(page.res.status, 200);
    ok(page.text.includes("<h1>v3</h1>"));
    // A reader leaving is how a stream ends: quietly, no traceback.
    ok(!server.process.stderr.includes("Traceback"), server.process.stderr);
  },
});

Deno.test({
  name:
    "--tls-self-signed: HTTPS for localhost and 127.0.0.1, fingerprint printed, nothing written",
  ignore: WINDOWS || !haveOpenssl,
  async fn() {
    await using site = await makeSite({ "a.txt": "over tls" });
    await using server = await serve(site.root, ["--tls-self-signed"], {
      scheme: "https",
      cwd: site.outside,
    });
    const out = server.process.stdout;
    match(
      out,
      /Serving HTTPS on 127\.0\.0\.1 port \d+ \(https:\/\/127\.0\.0\.1:\d+\/\) \.\.\./,
    );
    const printed = /SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/
      .exec(out)?.[1];
    ok(printed, out);
    ok(
      out.includes("localhost") && out.includes("127.0.0.1") &&
        out.includes("::1"),
    );
    const pem = await servedCertificate(server.port);
    const der = Uint8Array.from(
      atob(pem.split("\n").slice(1, -1).join("")),
      (c) => c.charCodeAt(0),
    );
    const digest = createHash("sha256").update(der).digest("hex").toUpperCase()
      .match(/../g)!.join(":");
    equal(digest, printed);
    using client = Deno.createHttpClient({ caCerts: [pem] });
    for (const host of ["localhost", "127.0.0.1"]) {
      const { res, text: body } = await fetchText(
        `https://${host}:${server.port}/a.txt`,
        { client },
      );
      equal(res.status, 200, host);
      equal(body, "over tls");
    }
    // Nothing written where it runs or where it serves.
    deepEqual(await listTree(site.outside), []);
    deepEqual(await listTree(site.root), ["a.txt"]);
  },
});

Deno.test({
  name:
    "--tls-self-signed with --http2: HTTP/2 with the certificate made at startup",
  ignore: WINDOWS || !haveOpenssl,
  async fn() {
    await using site = await makeSite({ "a.txt": "over h2" });
    await using server = await serve(site.root, [
      "--tls-self-signed",
      "--http2",
    ], { scheme: "https", cwd: site.outside });
    const pem = await servedCertificate(server.port);
    const tls = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: server.port,
      caCerts: [pem],
      alpnProtocols: ["h2", "http/1.1"],
    });
    equal((await tls.handshake()).alpnProtocol, "h2");
    tls.close();
    using client = Deno.createHttpClient({ caCerts: [pem] });
    const { res, text: body } = await fetchText(
      `https://127.0.0.1:${server.port}/a.txt`,
      { client },
    );
    equal(res.status, 200);
    equal(body, "over h2");
    // Ctrl-C ends it at once, as Python's daemon threads end with it, even
    // with a client connected that says nothing.
    using _silent = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.port,
    });
    const started = Date.now();
    equal(await server.process.stop("SIGINT"), 0);
    ok(
      Date.now() - started < 3_000,
      `stopped after ${Date.now() - started} ms`,
    );
    ok(
      server.process.stdout.endsWith("Keyboard interrupt received, exiting.\n"),
    );
  },
});

/** The certificate a TLS server on 127.0.0.1 sends, as PEM (read by openssl). */
async function servedCertificate(port: number): Promise<string> {
  const shown = await new Deno.Command("openssl", {
    args: [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      "localhost",
      "-showcerts",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    signal: AbortSignal.timeout(10_000),
  }).output();
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/
    .exec(text.decode(shown.stdout))?.[0];
  ok(pem, "openssl read a certificate");
  return pem;
}

Deno.test({
  name:
    "the folder's boundary holds for a --404 page turned into a link since startup and for a --precompressed sibling that is a link out",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "missing.html": "<h1>Not here</h1>",
      "app.js": "console.log(1);\n".repeat(100),
    });
    await Deno.writeTextFile(`${site.outside}/secret.txt`, "secret-outside");
    await Deno.writeFile(
      `${site.outside}/app.js.gz`,
      new TextEncoder().encode("not the file"),
    );
    await Deno.symlink(`${site.outside}/app.js.gz`, `${site.root}/app.js.gz`);
    await using server = await serve(site.root, [
      "--404",
      "missing.html",
      "--precompressed",
    ]);
    equal((await fetchText(server.url("/nope"))).text, "<h1>Not here</h1>");
    // The page becomes a link out after the startup check.
    await Deno.remove(`${site.root}/missing.html`);
    await Deno.symlink(
      `${site.outside}/secret.txt`,
      `${site.root}/missing.html`,
    );
    const missing = await fetchText(server.url("/nope"));
    equal(missing.res.status, 404);
    ok(!missing.text.includes("secret-outside"), missing.text);
    // The file is served itself, not refused for its sibling's link.
    const js = await raw(server.port, "GET", "/app.js", {
      "Accept-Encoding": "gzip",
    });
    equal(js.status, 200);
    equal(header(js, "content-encoding"), null);
    equal(text.decode(js.body), "console.log(1);\n".repeat(100));
  },
});

Deno.test({
  name:
    "--compress: a compressed body kept for the next request is never that of a file changed since (same size, same second, date put back)",
  ...opts,
  async fn() {
    const version = (n: number) => `const version = ${n};\n`.repeat(100);
    await using site = await makeSite({ "app.js": version(0) });
    const path = `${site.root}/app.js`;
    await settle(path);
    await using server = await serve(site.root, ["--compress"]);
    const fetchAs = async (coding: "gzip" | "br") => {
      const res = await raw(server.port, "GET", "/app.js", {
        "Accept-Encoding": coding,
      });
      equal(header(res, "content-encoding"), coding);
      return text.decode(
        coding === "gzip"
          ? gunzipSync(res.body)
          : brotliDecompressSync(res.body),
      );
    };
    for (const coding of ["gzip", "br"] as const) {
      equal(await fetchAs(coding), version(0));
      equal(await fetchAs(coding), version(0), "kept, and the same");
    }
    const old = (await Deno.stat(path)).mtime!;
    for (let n = 1; n <= 3; n++) {
      // Same size; the second and third also within the same second as
      // the one before, with the modification date put back.
      await Deno.writeTextFile(path, version(n));
      if (n > 1) await Deno.utime(path, old, old);
      for (const coding of ["gzip", "br"] as const) {
        equal(await fetchAs(coding), version(n), `${coding}, version ${n}`);
      }
    }
    await settle(path);
    equal(await fetchAs("br"), version(3));
    equal(await fetchAs("br"), version(3));
  },
});

/**
 * Hostile requests against our `serve` (no Python needed): nothing outside
 * the served folder is ever readable, no redirect leaves the site, listing
 * HTML cannot carry injected markup, and malformed requests get a 4xx while
 * the server keeps serving.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  bodyText,
  buildRequest,
  header,
  RawConnection,
  type RawResponse,
  sendRaw,
} from "./_diff_http.ts";
import { LISTING_TAGS, parseListing, unescapeHtml } from "./_diff_listing.ts";
import { statusOf } from "./_diff_cases.ts";
import { startServer } from "./_diff_server.ts";
import { buildTree, type Tree } from "./_diff_tree.ts";

const opts = { sanitizeResources: false };

function get(target: string): string {
  return buildRequest("GET", target, { Host: "localhost" });
}

/** Fails when a response shows anything from outside the root. */
function assertNoLeak(tree: Tree, target: string, res: RawResponse): void {
  const text = bodyText(res);
  ok(!text.includes(tree.secret), `${target} leaked the secret file`);
  ok(
    !text.includes(tree.outsideDirName),
    `${target} listed the folder above the root`,
  );
}

const TRAVERSALS = [
  "/../secret.txt",
  "/../../secret.txt",
  "/../../../../../../../../secret.txt",
  "/..",
  "/../",
  "/%2e%2e/secret.txt",
  "/%2E%2E/secret.txt",
  "/.%2e/secret.txt",
  "/%2e./secret.txt",
  "/%2e%2e%2fsecret.txt",
  "/..%2fsecret.txt",
  "/..%2Fsecret.txt",
  "/%2e%2e%2f%2e%2e%2fsecret.txt",
  "/nested/../../secret.txt",
  "/nested/..%2f..%2fsecret.txt",
  "/nested/%2e%2e/%2e%2e/secret.txt",
  "/nested/deeper/../../../secret.txt",
  "/..\\secret.txt",
  "/..%5csecret.txt",
  "/..%5Csecret.txt",
  "/%5c..%5csecret.txt",
  "/nested\\..\\..\\secret.txt",
  "/%252e%252e/secret.txt",
  "/%252e%252e%252fsecret.txt",
  "/..;/secret.txt",
  "/%c0%ae%c0%ae/secret.txt",
  "/%c0%af../secret.txt",
  "/%e0%80%ae%e0%80%ae/secret.txt",
  "/..%00/secret.txt",
  "/%00/../secret.txt",
  "/secret.txt%00.html",
  "/..%c0%afsecret.txt",
  "/./../secret.txt",
  "//../secret.txt",
  "/.../secret.txt",
  "/....//secret.txt",
  "/%2f..%2fsecret.txt",
  "/%2f%2e%2e%2fsecret.txt",
  "/nested/%2e%2e%2f%2e%2e%2fsecret.txt",
  "/link_outside.txt",
  "/link_outside_abs.txt",
  "/link_outside_dir/",
  "/link_outside_dir",
  "/link_outside_dir/secret.txt",
  "/link_outside_dir/%2e%2e/secret.txt",
  "/nested/link_up_out",
  "/link_inside_dir/../../secret.txt",
  "/link_inside_dir/%2e%2e/%2e%2e/secret.txt",
];

Deno.test({
  name: "hostile: no request path escapes the served folder",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root);
    for (const target of TRAVERSALS) {
      const res = await sendRaw(server, get(target));
      assertNoLeak(tree, target, res);
      ok(
        res.status !== 200 || !/secret|link_out|link_up/.test(target),
        `${target} answered 200`,
      );
    }
    // Absolute-form and odd targets go through Deno.serve's URL parsing.
    for (
      const raw of [
        "GET http://127.0.0.1/../secret.txt HTTP/1.0\r\n\r\n",
        "GET http://127.0.0.1/%2e%2e/secret.txt HTTP/1.0\r\n\r\n",
        "GET file:///etc/passwd HTTP/1.0\r\n\r\n",
        "GET ../secret.txt HTTP/1.0\r\n\r\n",
        "GET a/../../secret.txt HTTP/1.0\r\n\r\n",
        "GET ../../../../../../etc/passwd HTTP/1.0\r\n\r\n",
        "GET /../secret.txt HTTP/1.1\r\nHost: ..\r\nConnection: close\r\n\r\n",
        "GET /secret.txt HTTP/1.1\r\nHost: localhost/..\r\nConnection: close\r\n\r\n",
      ]
    ) {
      const res = await sendRaw(server, raw);
      assertNoLeak(tree, JSON.stringify(raw), res);
      ok(!bodyText(res).includes("root:"), `${raw} read /etc/passwd`);
    }
    const fine = await sendRaw(server, get("/notes.txt"));
    equal(fine.status, 200);
  },
});

Deno.test({
  name: "hostile: outside symlinks are followed only with --follow-symlinks",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root, {
      args: ["--follow-symlinks"],
    });
    const res = await sendRaw(server, get("/link_outside.txt"));
    equal(res.status, 200, "--follow-symlinks should serve an outside link");
    equal(bodyText(res), tree.secret + "\n");
    // Traversal stays refused even when links are followed.
    for (const target of ["/../secret.txt", "/%2e%2e/secret.txt"]) {
      const r = await sendRaw(server, get(target));
      ok(!bodyText(r).includes(tree.secret), `${target} leaked`);
    }
  },
});

/** A Location is safe when a browser resolves it to this same site. */
function safeLocation(location: string): boolean {
  // Browsers treat "\" as "/" and drop tabs/newlines in URLs, so "/\evil"
  // and "/\t/evil" mean "//evil", a different host.
  const cleaned = location.replace(/[\t\n\r]/g, "").replace(/\\/g, "/");
  if (/^[a-z][a-z0-9+.-]*:/i.test(cleaned)) return false;
  return cleaned.startsWith("/") && !cleaned.startsWith("//");
}

Deno.test({
  name: "hostile: no open redirect",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root);
    const targets = [
      "//evil.com/..",
      "//evil.com/%2e%2e",
      "//evil.com/",
      "//evil.com",
      "///evil.com/..",
      "////evil.com/..",
      "//evil.com/..%2f",
      "/\\evil.com/..",
      "/\\/evil.com/..",
      "/%5cevil.com/..",
      "/%5c%5cevil.com/..",
      "/%2fevil.com/..",
      "/%2f%2fevil.com/..",
      "/%2F%2Fevil.com/%2E%2E",
      "/%09/evil.com/..",
      "/%0d%0a/evil.com/..",
      "//evil.com/nested",
      "/evil.com",
      "//nested",
      "//nested?next=//evil.com",
      "/nested?%0d%0aLocation:%20//evil.com",
      "/nested?x=%0d%0aSet-Cookie:%20a=b",
      "/.//evil.com/..",
      "/https:/evil.com/..",
      "/http:%2f%2fevil.com/..",
    ];
    const problems: string[] = [];
    for (const target of targets) {
      const res = await sendRaw(server, get(target));
      const locations = res.headers.filter(([k]) =>
        k.toLowerCase() === "location"
      );
      for (const [, location] of locations) {
        if (!safeLocation(location)) {
          problems.push(`${target} -> Location: ${location}`);
        }
      }
      if (locations.length > 1) {
        problems.push(`${target}: two Location headers`);
      }
      if (header(res, "set-cookie") !== null) {
        problems.push(`${target}: injected Set-Cookie`);
      }
    }
    deepEqual(problems, [], `off-site redirects:\n${problems.join("\n")}`);
  },
});

Deno.test({
  name: "hostile: listing HTML escapes every name",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root);
    const res = await sendRaw(server, get("/"));
    equal(res.status, 200);
    const listing = parseListing(bodyText(res));
    const stray = listing.tags.filter((t) => !LISTING_TAGS.has(t));
    deepEqual(stray, [], "markup injected into the listing");
    ok(!/<script|<img/i.test(bodyText(res)), "raw markup in listing");
    const names = new Set<string>();
    for await (const e of Deno.readDir(tree.root)) names.add(e.name);
    for (const { href, text } of listing.entries) {
      ok(!/["<>\s]/.test(href), `href not quoted: ${href}`);
      const shown = unescapeHtml(text).replace(/[/@]$/, "");
      const linked = decodeURIComponent(href).replace(/\/$/, "");
      ok(names.has(shown), `listing shows an unknown name: ${text}`);
      equal(linked, shown, `href ${href} does not point at ${text}`);
    }
    for (
      const n of ["<img src=x onerror=alert(1)>.txt", "amp&lt<gt>'q\".txt"]
    ) {
      ok(
        listing.entries.some((e) => unescapeHtml(e.text) === n),
        `${n} missing from listing`,
      );
    }
    // The title echoes the request path: it must be escaped too.
    const titled = await sendRaw(
      server,
      get("/empty/?<script>x</script>"),
    );
    if (titled.status === 200) {
      const tags = parseListing(bodyText(titled)).tags;
      ok(tags.every((t) => LISTING_TAGS.has(t)), "query reflected as markup");
    }
    await Deno.mkdir(`${tree.root}/<b>bold&lt;b`);
    const sub = await sendRaw(
      server,
      get("/" + encodeURIComponent("<b>bold&lt;b") + "/"),
    );
    equal(sub.status, 200);
    ok(
      parseListing(bodyText(sub)).tags.every((t) => LISTING_TAGS.has(t)),
      "folder name reflected as markup in the title",
    );
  },
});

const MALFORMED: string[] = [
  "GARBAGE\r\n\r\n",
  "GET\r\n\r\n",
  "GET / HTTP/1.0 extra\r\n\r\n",
  "GET / HTTX/1.0\r\n\r\n",
  "GET / HTTP/1\r\n\r\n",
  "GET / HTTP/9.9\r\n\r\n",
  "GET /\x01\x7f HTTP/1.0\r\n\r\n",
  "\x00\x01\x02\x03\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n",
  "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
  `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"b".repeat(200_000)}\r\n\r\n`,
  "GET / HTTP/1.1\r\nHost: a\r\n" +
  Array.from({ length: 300 }, (_, i) => `X-${i}: v\r\n`).join("") + "\r\n",
  `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
];

Deno.test({
  name:
    "hostile: malformed requests get an answer (Python's error or its lenient 200) and the server keeps serving",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root, {
      args: ["-p", "HTTP/1.1"],
    });
    const problems: string[] = [];
    for (const raw of MALFORMED) {
      const res = await sendRaw(server, raw, { timeoutMs: 3000 });
      const label = JSON.stringify(raw.slice(0, 60));
      // Python answers a request it rejects before learning its version
      // with the error page alone (statusOf reads the code from it), and
      // serves some malformed ones (a header line without a colon ends
      // the headers, say); the differential test compares each with it.
      const status = statusOf(res);
      if (!(status === 200 || (status >= 400 && status <= 505))) {
        problems.push(`${label}: got ${status || "no response"}`);
      }
      if (res.timedOut) problems.push(`${label}: server hung`);
      const next = await sendRaw(server, get("/notes.txt"));
      if (next.status !== 200) problems.push(`${label}: next request failed`);
    }
    deepEqual(problems, []);
  },
});

Deno.test({
  name:
    "hostile: a head of bare CRs (Python reads each as a line: seconds of CPU) gets 431, and the server keeps serving",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root, {
      args: ["-p", "HTTP/1.1"],
    });
    // 90 lines of 65,000 bare CRs, each under Python's line limit.
    const flood = `X: ${"\r".repeat(65_000)}\r\n`.repeat(90);
    const res = await sendRaw(
      server,
      `GET /notes.txt HTTP/1.1\r\nHost: a\r\n${flood}\r\n`,
      { timeoutMs: 20_000 },
    );
    equal(res.statusLine, "HTTP/1.1 431 Too many headers");
    ok(
      new TextDecoder().decode(res.body).includes(
        "bare CRs break the header block into more than 100 lines",
      ),
    );
    equal((await sendRaw(server, get("/notes.txt"))).status, 200);
  },
});

Deno.test({
  name: "hostile: half-sent requests and slow clients do not block others",
  ...opts,
  async fn() {
    await using tree = await buildTree();
    await using server = await startServer("ours", tree.root, {
      args: ["-p", "HTTP/1.1"],
    });
    const stalled: RawConnection[] = [];
    try {
      for (
        const partial of [
          "GET /notes.txt HTTP/1.1\r\nHost: a\r\n",
          "GET /not",
          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nabc",
          "",
        ]
      ) {
        const conn = await RawConnection.open(server);
        if (partial) await conn.write(partial);
        stalled.push(conn);
      }
      const res = await sendRaw(server, get("/notes.txt"), { timeoutMs: 3000 });
      equal(res.status, 200, "a stalled client blocked the server");
      // A client that vanishes mid-request must not take the server down.
      for (const conn of stalled.splice(0)) conn.close();
      const after = await sendRaw(server, get("/notes.txt"));
      equal(after.status, 200);
      // Keep-alive serves request after request; an error closes the
      // connection (Python's send_error says Connection: close).
      const conn = await RawConnection.open(server);
      try {
        const get11 = (target: string) =>
          buildRequest("GET", target, { Host: "a" }, "HTTP/1.1");
        await conn.write(
          get11("/notes.txt") + get11("/notes.txt") + get11("/nope"),
        );
        equal((await conn.read()).status, 200);
        equal((await conn.read()).status, 200);
        equal((await conn.read()).status, 404);
        equal(await conn.waitClosed(2000), true);
      } finally {
        conn.close();
      }
    } finally {
      for (const conn of stalled) conn.close();
    }
  },
});

/**
 * The pure rules behind serve's hosting flags: negotiation, CORS, Basic
 * auth, extra headers, hidden names, listings, live reload injection,
 * compressible types and flag parsing.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  authorized,
  basicChallenge,
  parseAuthFile,
  parseUserPass,
  storeUser,
} from "../../http_server/_auth.ts";
import { isCompressible } from "../../http_server/_compress.ts";
import { optionsHeaders } from "../../http_server/_cors.ts";
import type { DetailedEntry } from "../../http_server/_directory_entries.ts";
import { etagMatches, variantETag } from "../../http_server/_etag.ts";
import { parseExtraHeader } from "../../http_server/_extra_headers.ts";
import {
  expandOptionalValues,
  parseByteSize,
  parseHostingFlags,
} from "../../http_server/_hosting_flags.ts";
import {
  hasExtension,
  isHiddenPath,
} from "../../http_server/_hosting_paths.ts";
import { injectLiveReload } from "../../http_server/_live_reload.ts";
import { HostingHTTPRequestHandler } from "../../http_server/hosting_handler.ts";
import type { LiveReload } from "../../http_server/live_reload.ts";
import { HTTPServer } from "../../http_server/server.ts";
import { runScript } from "../_deno_script.ts";
import { within } from "../_server.ts";
import {
  acceptedEncodings,
  namesMediaType,
  preferredMediaType,
} from "../../http_server/_negotiate.ts";
import {
  humanSize,
  listingJson,
  listingOrder,
  richListingHtml,
  sortDetailed,
} from "../../http_server/_rich_listing.ts";

const text = new TextDecoder();
const bytes = new TextEncoder();

function basic(user: string, password: string): string {
  const raw = bytes.encode(`${user}:${password}`);
  return "Basic " + btoa(String.fromCharCode(...raw));
}

Deno.test("negotiation: Accept picks JSON only when preferred; Accept-Encoding by q", () => {
  const offers = ["text/html", "application/json"] as const;
  equal(preferredMediaType(null, offers), "text/html");
  equal(preferredMediaType("*/*", offers), "text/html");
  equal(preferredMediaType("application/json", offers), "application/json");
  equal(
    preferredMediaType(
      "text/html,application/xhtml+xml,*/*;q=0.8",
      offers,
    ),
    "text/html",
  );
  equal(
    preferredMediaType("text/html;q=0.1, application/json", offers),
    "application/json",
  );
  ok(namesMediaType("text/html,*/*;q=0.8", "text/html"));
  ok(!namesMediaType("*/*", "text/html"));
  ok(!namesMediaType("text/html;q=0", "text/html"));
  deepEqual(acceptedEncodings("gzip, deflate, br", ["br", "gzip"]), [
    "br",
    "gzip",
  ]);
  deepEqual(acceptedEncodings("gzip;q=1, br;q=0.5", ["br", "gzip"]), [
    "gzip",
    "br",
  ]);
  deepEqual(acceptedEncodings("br;q=0, *", ["br", "gzip"]), ["gzip"]);
  // RFC 9110 §8.4.1.3: x-gzip is gzip.
  deepEqual(acceptedEncodings("x-gzip", ["br", "gzip"]), ["gzip"]);
  deepEqual(acceptedEncodings("identity", ["br", "gzip"]), []);
  deepEqual(acceptedEncodings(null, ["br", "gzip"]), []);
  // identity preferred to a coding: the coding is not sent.
  deepEqual(acceptedEncodings("gzip;q=0.5, identity", ["br", "gzip"]), []);
  deepEqual(
    acceptedEncodings("br;q=0.4, gzip;q=0.8, identity;q=0.5", ["br", "gzip"]),
    ["gzip"],
  );
  deepEqual(acceptedEncodings("gzip, identity", ["br", "gzip"]), ["gzip"]);
  deepEqual(acceptedEncodings("gzip, identity;q=0", ["br", "gzip"]), [
    "gzip",
  ]);
});

Deno.test("CORS: a plain OPTIONS gets Allow; a preflight also the CORS answers", () => {
  deepEqual(optionsHeaders({ method: null, headers: null }, ["GET", "HEAD"]), [
    ["Allow", "GET, HEAD"],
  ]);
  const preflight = new Map(
    optionsHeaders({ method: "PUT", headers: "content-type, x-token" }, [
      "GET",
      "PUT",
    ]),
  );
  equal(preflight.get("Access-Control-Allow-Methods"), "GET, PUT");
  equal(preflight.get("Access-Control-Allow-Headers"), "content-type, x-token");
  equal(preflight.get("Vary"), "Access-Control-Request-Headers");
  // Something that is not a header name is not echoed back.
  const odd = new Map(
    optionsHeaders({ method: "GET", headers: "a b" }, ["GET"]),
  );
  equal(odd.has("Access-Control-Allow-Headers"), false);
});

Deno.test("auth: USER:PASS, auth files, digests, constant-time check", () => {
  deepEqual(parseUserPass("ada:se:cret"), { user: "ada", password: "se:cret" });
  for (const bad of ["ada", ":pw", "ada:", ""]) {
    throws(() => parseUserPass(bad), TypeError);
  }
  const digest = createHash("sha256").update("hunter2").digest("hex");
  const users = parseAuthFile(
    `# team\n\nada:lovelace\r\nbob:sha256:${digest}\n`,
  );
  deepEqual(users, [
    { user: "ada", password: "lovelace" },
    { user: "bob", sha256: digest },
  ]);
  throws(() => parseAuthFile("ada:ok\nnocolon\n"), /line 2 /);
  throws(() => parseAuthFile("# nobody\n"), /no user/);
  // A second line for a user (a password "changed" by adding a line) would
  // leave both passwords working.
  throws(
    () => parseAuthFile("ada:old\nbob:x\nada:new\n"),
    /line 3 .*ada again/,
  );
  const stored = users.map(storeUser);
  ok(authorized(basic("ada", "lovelace"), stored));
  ok(authorized(basic("bob", "hunter2"), stored));
  ok(!authorized(basic("bob", `sha256:${digest}`), stored));
  ok(!authorized(basic("ada", "hunter2"), stored));
  ok(!authorized(basic("eve", "lovelace"), stored));
  // A credential starting with U+FEFF is not the one without it.
  ok(!authorized(basic("\ufeffada", "lovelace"), stored));
  // A password of bytes that are not UTF-8 matches nobody, not even a
  // stored U+FFFD, which every such byte used to become.
  const replaced = [storeUser({ user: "dave", password: "pw\ufffd" })];
  const latin1 = (text: string) =>
    `Basic ${
      btoa(String.fromCharCode(
        ...new Uint8Array([...text].map((c) => c.charCodeAt(0))),
      ))
    }`;
  ok(!authorized(latin1("dave:pw\xe4"), replaced));
  ok(!authorized(latin1("dave:pw\xff"), replaced));
  ok(authorized(basic("dave", "pw\ufffd"), replaced));
  ok(!authorized(null, stored));
  ok(!authorized("Bearer abc", stored));
  ok(!authorized("Basic !!!", stored));
  ok(
    authorized(basic("zoë", "pässword"), [
      storeUser({ user: "zoë", password: "pässword" }),
    ]),
  );
  equal(basicChallenge('a "b"'), 'Basic realm="a \\"b\\"", charset="UTF-8"');
});

Deno.test("auth file: a bad sha256 is refused, only ASCII blanks are cut", () => {
  const digest = createHash("sha256").update("hunter2").digest("hex");
  // Cut short, or pasted with sha256sum's "  -": refused, rather than the
  // digest's own text becoming the password.
  throws(() => parseAuthFile(`bob:sha256:${digest.slice(1)}\n`), /line 1 /);
  throws(() => parseAuthFile(`bob:sha256:${digest}  -\n`), /line 1 /);
  throws(() => parseAuthFile("bob:sha256:\n"), /line 1 /);
  deepEqual(parseAuthFile(`bob:sha256:${digest.toUpperCase()}\n`), [
    { user: "bob", sha256: digest.toUpperCase() },
  ]);
  // Spaces, tabs and a CR around a line go; other white space is kept.
  deepEqual(parseAuthFile(" ada:one \t\r\ncy:two\u00a0\ndi:3\u3000\r"), [
    { user: "ada", password: "one" },
    { user: "cy", password: "two\u00a0" },
    { user: "di", password: "3\u3000" },
  ]);
});

Deno.test("auth: names and passwords compared in NFC (RFC 7617 section 2.1)", () => {
  const nfd = [storeUser({ user: "jose\u0301", password: "pa\u0308ss" })];
  ok(authorized(basic("jos\u00e9", "p\u00e4ss"), nfd));
  const nfc = [storeUser({ user: "jos\u00e9", password: "p\u00e4ss" })];
  ok(authorized(basic("jose\u0301", "pa\u0308ss"), nfc));
  ok(!authorized(basic("jos\u00e9", "pass"), nfc));
});

Deno.test("extra headers: curl's form; injection and framing names refused", () => {
  deepEqual(parseExtraHeader("X-Frame-Options:  DENY "), [
    "X-Frame-Options",
    "DENY",
  ]);
  // curl's forms: "Name:" removes the header, "Name;" sends it empty.
  deepEqual(parseExtraHeader("Server:"), ["Server", null]);
  deepEqual(parseExtraHeader("X-Empty;"), ["X-Empty", ""]);
  throws(() => parseExtraHeader("NoColon"), /not "Name: Value"/);
  throws(() => parseExtraHeader("Bad Name: x"), /not a valid header name/);
  throws(() => parseExtraHeader("X: a\r\nSet-Cookie: y"), /control character/);
  throws(() => parseExtraHeader("X: a\0b"), /control character/);
  // Any control character but the tab (clients refuse the response).
  throws(() => parseExtraHeader("X: a\x01b"), /control character/);
  deepEqual(parseExtraHeader("X: a\tb"), ["X", "a\tb"]);
  throws(() => parseExtraHeader('ETag: "x"'), /set by the server/);
  throws(() => parseExtraHeader("Content-Encoding: gzip"), /set by/);
  throws(() => parseExtraHeader("X: ☃"), /Latin-1/);
  throws(() => parseExtraHeader("Content-Length: 5"), /set by the server/);
  throws(() => parseExtraHeader("transfer-encoding: chunked"), /set by/);
});

Deno.test("extra headers and auth file lines with long runs of blanks are trimmed in linear time", async () => {
  // `/^[ \t]+|[ \t]+$/g` backtracks over a run of blanks inside the text
  // once for each blank in it: 64 KiB took 2 s, the MiB here minutes. The
  // child is stopped after 30 s.
  const module = (name: string) =>
    JSON.stringify(new URL(`../../http_server/${name}`, import.meta.url).href);
  const source = `
    import { parseExtraHeader } from ${module("_extra_headers.ts")};
    import { parseAuthFile } from ${module("_auth.ts")};
    const blanks = " \\t".repeat(1 << 19);
    const [name, value] = parseExtraHeader("X: " + blanks + "a" + blanks + "b" + blanks);
    console.log(name, value === "a" + blanks + "b");
    const [user] = parseAuthFile(blanks + "ada:a" + blanks + "b\\r" + blanks + "\\n");
    console.log(user.user, user.password === "a" + blanks + "b");
  `;
  const out = await runScript(source, []);
  equal(out.stderr, "");
  deepEqual(out.stdout.trim().split("\n"), ["X true", "ada true"]);
});

Deno.test("paths: hidden segments (.well-known excepted); file extensions", () => {
  ok(isHiddenPath("/.env"));
  ok(isHiddenPath("/a/.git/config"));
  ok(isHiddenPath("\\a\\.git"));
  ok(!isHiddenPath("/.well-known/security.txt"));
  ok(isHiddenPath("/.well-known/.secret"));
  ok(!isHiddenPath("/a.b/c"));
  ok(hasExtension("/app.js"));
  ok(!hasExtension("/users/42"));
  ok(!hasExtension("/.profile"));
  ok(!hasExtension("/a.b/route"));
});

function entry(
  name: string,
  size: number | null,
  mtime: number,
  isDirectory = false,
): DetailedEntry {
  return {
    name,
    isDirectory,
    isSymlink: false,
    isFile: !isDirectory,
    size,
    mtime: new Date(mtime),
  };
}

Deno.test("rich listing: sorting by links, escaping, breadcrumbs, parent, form", () => {
  const entries = [
    entry("b.txt", 10, 3000),
    entry("A.txt", 2000, 1000),
    entry("sub", null, 2000, true),
    entry('<img src=x onerror="alert(1)">.txt', 5, 500),
  ];
  deepEqual(listingOrder(""), { key: "name", descending: false });
  deepEqual(listingOrder("sort=size&order=desc"), {
    key: "size",
    descending: true,
  });
  deepEqual(listingOrder("sort=evil"), { key: "name", descending: false });
  const bySize = sortDetailed(entries, { key: "size", descending: true });
  deepEqual(bySize.map((e) => e.name), [
    "sub",
    "A.txt",
    "b.txt",
    '<img src=x onerror="alert(1)">.txt',
  ]);
  const byDate = sortDetailed(entries, { key: "mtime", descending: false });
  deepEqual(byDate.map((e) => e.name).slice(1), [
    '<img src=x onerror="alert(1)">.txt',
    "A.txt",
    "b.txt",
  ]);
  const html = richListingHtml(
    "/docs/a%20b/?sort=size",
    bySize,
    { key: "size", descending: true },
    { upload: true },
  );
  ok(!html.includes("<img"), "names are escaped");
  ok(html.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt"));
  ok(
    html.includes(
      'href="%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E.txt"',
    ),
  );
  ok(html.includes('<a href="/docs/a%20b/">a b</a>/'), "breadcrumbs");
  ok(html.includes('<a href="../">../</a>'), "parent link");
  ok(
    html.includes(
      '<th class="n" aria-sort="descending"><a href="?sort=size&amp;order=asc">Size<span aria-hidden="true"> ▼</span></a></th>',
    ),
    "toggles, and says the order to a screen reader",
  );
  equal(html.match(/aria-sort/g)?.length, 1, "one column is sorted");
  ok(html.includes("<body>\n<main>\n<h1>"), "a main landmark");
  ok(html.includes("</table>\n</main>\n</body>"), "a main landmark");
  ok(html.includes("prefers-color-scheme:dark"));
  ok(html.includes('enctype="multipart/form-data"'));
  ok(!html.includes("<script"), "no JavaScript");
  const root = richListingHtml("/", [], listingOrder(""), { upload: false });
  ok(!root.includes('href="../"'));
  ok(!root.includes("<form"));
  equal(humanSize(0), "0 bytes");
  equal(humanSize(1), "1 byte");
  equal(humanSize(1536), "1.5 KiB");
  equal(humanSize(5 * 1024 ** 3), "5.0 GiB");
  // Rounded as shown, never `10.0 KiB` or `1024 KiB`.
  equal(humanSize(10239), "10 KiB");
  equal(humanSize(1048500), "1.0 MiB");
  equal(humanSize(1023), "1023 bytes");
});

Deno.test("rich listing: sorted as by a comparison of lower-cased names, folders first", () => {
  // The order as one comparator states it (keys worked out per comparison).
  const reference = (list: DetailedEntry[], key: string, descending: boolean) =>
    [...list].sort((a, b) => {
      if (a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
      const value = (e: DetailedEntry) =>
        key === "size" ? e.size ?? -1 : e.mtime?.getTime() ?? 0;
      const primary = key === "name" ? 0 : value(a) - value(b);
      const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
      const byName = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -1 : 1) * (primary !== 0 ? primary : byName);
    });
  const letters = ["a", "A", "b", "B", "é", "É", "ß", "İ", "_", "😀", "\udc80"];
  let seed = 7;
  const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  for (let round = 0; round < 300; round++) {
    const list = Array.from({ length: pick(12) }, () => {
      let name = "";
      for (let i = pick(3); i >= 0; i--) name += letters[pick(letters.length)];
      const dir = pick(4) === 0;
      return entry(name, dir ? null : pick(3) * 10, pick(3) * 1000, dir);
    });
    for (const key of ["name", "size", "mtime"] as const) {
      for (const descending of [false, true]) {
        deepEqual(
          sortDetailed(list, { key, descending }),
          reference(list, key, descending),
          JSON.stringify({ list, key, descending }),
        );
      }
    }
  }
});

Deno.test("JSON listing: name, type, size, mtime, href", () => {
  const json = JSON.parse(listingJson([
    entry("sub dir", null, 0, true),
    entry("a&b.txt", 3, 86_400_000),
  ]));
  deepEqual(json, [
    {
      name: "sub dir",
      type: "directory",
      size: null,
      mtime: "1970-01-01T00:00:00.000Z",
      href: "sub%20dir/",
    },
    {
      name: "a&b.txt",
      type: "file",
      size: 3,
      mtime: "1970-01-02T00:00:00.000Z",
      href: "a%26b.txt",
    },
  ]);
});

Deno.test("live reload script goes before the last </body>, or at the end, with the page's version", () => {
  const page = injectLiveReload(
    bytes.encode("<p>é</p></BODY></html>"),
    "abc-1",
  );
  const out = text.decode(page);
  equal(
    out,
    '<p>é</p><script src="/__serve/live-reload.js" data-version="abc-1"></script>\n</BODY></html>',
  );
  ok(
    text.decode(injectLiveReload(bytes.encode("<p>x"), 'v"<')).startsWith(
      '<p>x<script src="/__serve/live-reload.js" data-version="v&quot;&lt;">',
    ),
  );
  // A UTF-16 page is left as it is: the script's bytes would read as CJK.
  for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
    const utf16 = new Uint8Array([...bom, 0x3c, 0, 0x70, 0]);
    deepEqual(injectLiveReload(utf16, "v"), utf16);
  }
});

Deno.test("live reload script never lands inside a script, a style, a comment or a tag: a `</body>` there is not the page's end", () => {
  const tag =
    '<script src="/__serve/live-reload.js" data-version="v"></script>\n';
  const inject = (page: string) =>
    text.decode(injectLiveReload(bytes.encode(page), "v"));
  const cases: [page: string, before: string, after: string][] = [
    // No </body> of its own: the end, not the middle of the script's string
    // (whose </script> would have cut the page's script short).
    [
      '<body><script>const t = "</body>"; go();</script>\n',
      '<body><script>const t = "</body>"; go();</script>\n',
      "",
    ],
    [
      "<body>a</body></html><!-- </body> -->",
      "<body>a",
      "</body></html><!-- </body> -->",
    ],
    [
      "<body>a</BODY><style>/* </body> */</style>",
      "<body>a",
      "</BODY><style>/* </body> */</style>",
    ],
    ['<body><a title="</body>">x</a>', '<body><a title="</body>">x</a>', ""],
    [
      "<body><SCRIPT type=module>'</body>'</SCRIPT ><p>b</p>",
      "<body><SCRIPT type=module>'</body>'</SCRIPT ><p>b</p>",
      "",
    ],
    [
      "<body><textarea></body></textarea></body>",
      "<body><textarea></body></textarea>",
      "</body>",
    ],
    // A name that only starts like a raw text element's is an element.
    ["<body><scripts></body>", "<body><scripts>", "</body>"],
    ["<body>a</body><body>b</body>", "<body>a</body><body>b", "</body>"],
  ];
  for (const [page, before, after] of cases) {
    equal(inject(page), before + tag + after, page);
  }
  // A page that ends inside a script, a comment or a tag gets no script:
  // wherever it went, it would be read as part of them.
  for (
    const page of [
      '<body><script>let s = "</body>',
      "<body><!-- </body>",
      '<body><img alt="</body>',
    ]
  ) {
    equal(inject(page), page);
  }
});

Deno.test("live reload stream: a client that takes none of its events is closed once they pile up, not sent to for ever", async () => {
  // 500 such clients and a build touching thousands of files held every
  // change event for each of them, about 200 KB a time, for as long as
  // stall_timeout (5 minutes).
  let changed: (paths: readonly string[]) => void = () => {};
  let subscribed!: () => void;
  const listening = new Promise<void>((resolve) => subscribed = resolve);
  const live = {
    path: "/__serve/live-reload",
    closed: false,
    version: "v-1",
    subscribe(listener: (paths: readonly string[]) => void) {
      changed = listener;
      subscribed();
      return () => {};
    },
  } as unknown as LiveReload;
  let closed!: () => void;
  const gone = new Promise<void>((resolve) => closed = resolve);
  const request = new TextEncoder().encode(
    "GET /__serve/live-reload HTTP/1.1\r\nHost: x\r\n\r\n",
  );
  let sent = false;
  let written = 0;
  const connection = {
    // The request, then nothing until the connection closes.
    read: (p: Uint8Array) => {
      if (sent) return gone.then(() => null);
      sent = true;
      p.set(request);
      return Promise.resolve(request.length);
    },
    // The client reads nothing: its first write never completes.
    write: (p: Uint8Array) => {
      written += p.length;
      return gone.then(() => {
        throw new Deno.errors.BrokenPipe("closed");
      });
    },
    close: () => closed(),
  };
  const dir = await Deno.makeTempDir();
  try {
    const Handler = class extends HostingHTTPRequestHandler.partial({
      directory: dir,
      live_reload: live,
    }) {
      override log_message() {}
    };
    const server = new HTTPServer(["127.0.0.1", 0], Handler, false);
    const served = server.finish_request(connection, ["127.0.0.1", 4242])
      .finally(() => server.shutdown_request(connection));
    await within(listening, 5_000, "the stream to start");
    const names = Array.from(
      { length: 2_000 },
      (_, i) => `assets/generated/chunk-${i}.0123456789abcdef.js`,
    );
    for (let i = 0; i < 100; i++) {
      changed(names);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await within(gone, 5_000, "the stream to be closed");
    await within(served, 5_000, "the handler to end");
    ok(written > 0);
  } finally {
    closed();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ETag variants differ from the file's own tag and match as such", () => {
  equal(variantETag('"5f-1a"', "gzip"), '"5f-1a-gzip"');
  equal(variantETag('W/"5f"', "lr-br"), 'W/"5f-lr-br"');
  ok(etagMatches('"x", "5f-1a-gzip"', '"5f-1a-gzip"'));
  ok(!etagMatches('"5f-1a"', '"5f-1a-gzip"'));
});

Deno.test("compressible: mime-db's flag, text-like types; images and unknown files not", () => {
  ok(isCompressible("text/html; charset=utf-8"));
  ok(isCompressible("text/javascript"));
  ok(isCompressible("application/json"));
  ok(isCompressible("image/svg+xml"));
  ok(isCompressible("application/vnd.custom+json"));
  ok(!isCompressible("image/png"));
  ok(!isCompressible("application/zip"));
  ok(!isCompressible("application/octet-stream"));
});

Deno.test("flags: --spa's optional FILE, sizes, combinations", () => {
  deepEqual(expandOptionalValues(["--spa", "8000"]), ["--spa=", "8000"]);
  deepEqual(expandOptionalValues(["--spa", "app.html", "8000"]), [
    "--spa=app.html",
    "8000",
  ]);
  deepEqual(expandOptionalValues(["--spa", "-d", "x"]), ["--spa=", "-d", "x"]);
  deepEqual(expandOptionalValues(["--spa"]), ["--spa="]);
  equal(parseByteSize("1024"), 1024);
  equal(parseByteSize("500M"), 500 * 1024 ** 2);
  equal(parseByteSize("2GiB"), 2 * 1024 ** 3);
  equal(parseByteSize("1k"), 1024);
  for (const bad of ["0", "-5", "1.5G", "lots", "", "9".repeat(30)]) {
    throws(() => parseByteSize(bad), TypeError, bad);
  }
  equal(parseHostingFlags({}), null);
  equal(parseHostingFlags({ bind: "127.0.0.1" }), null);
  const flags = parseHostingFlags({ spa: "", listing: "rich", upload: true });
  equal(flags?.spa, "index.html");
  equal(flags?.listing, "rich");
  equal(flags?.maxUpload, 1024 ** 3);
  throws(
    () => parseHostingFlags({ overwrite: true }),
    /--overwrite: needs --upload/,
  );
  throws(
    () => parseHostingFlags({ listing: "rich", "no-listing": true }),
    /not allowed with/,
  );
  throws(
    () => parseHostingFlags({ "tls-self-signed": true, "tls-cert": "c.pem" }),
    /not allowed with argument --tls-cert/,
  );
  throws(
    () => parseHostingFlags({ "cache-control": "a\nb" }),
    /--cache-control/,
  );
});

Deno.test("HostingHTTPRequestHandler.partial refuses options that could never be sent, instead of dropping every request", () => {
  const bad = [
    { auth_realm: "日本" },
    { auth_realm: "x\r\nSet-Cookie: a=1" },
    { extra_headers: [["Bad Name", "x"]] as const },
    { extra_headers: [["Content-Length", "1"]] as const },
    { auth: [{ user: "", password: "p" }] },
  ];
  for (const options of bad) {
    throws(
      () => HostingHTTPRequestHandler.partial(options),
      TypeError,
      JSON.stringify(options),
    );
  }
  // Latin-1 realms are fine, as Python writes header values.
  HostingHTTPRequestHandler.partial({ auth_realm: "Zoë" });
});

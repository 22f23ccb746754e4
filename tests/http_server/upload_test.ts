/**
 * serve --upload through the real process: PUT and multipart POST, the
 * statuses HTTP prescribes, and the attacks an upload endpoint meets. After
 * each attack nothing is outside the served folder and no temporary file
 * is left behind.
 */
import { percentFormat } from "../../_util/percent_format.ts";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  checkFileName,
  moveIntoPlace,
  type UploadError,
  writeTemporary,
} from "../../http_server/_upload.ts";
import { buildRequest, RawConnection, sendRaw } from "./_diff_http.ts";
import {
  BaseHTTPRequestHandler,
  HostingHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";
import {
  eventually,
  fetchText,
  listTree,
  makeSite,
  serve,
  type Served,
  type Site,
} from "./_hosting.ts";

const WINDOWS = Deno.build.os === "windows";
const opts = { ignore: WINDOWS };
const encoder = new TextEncoder();

/** A site with a folder, an existing file and links that lead outside. */
async function uploadSite(): Promise<Site> {
  const site = await makeSite({
    "docs/readme.txt": "docs",
    "existing.txt": "original",
  });
  await Deno.writeTextFile(`${site.outside}/victim.txt`, "outside");
  await Deno.symlink(site.outside, `${site.root}/link-out`);
  await Deno.symlink(`${site.outside}/victim.txt`, `${site.root}/victim-link`);
  return site;
}

/** Nothing new outside; no temporary file anywhere inside. */
async function assertContained(site: Site): Promise<void> {
  deepEqual(await listTree(site.outside), ["victim.txt"]);
  equal(await Deno.readTextFile(`${site.outside}/victim.txt`), "outside");
  const leftovers = (await listTree(site.root)).filter((p) =>
    p.includes(".upload-")
  );
  deepEqual(leftovers, []);
}

/** PUTs `body` to `target` over a raw socket; resolves with the status. */
function put(
  port: number,
  target: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const request = buildRequest("PUT", target, {
    Host: "localhost",
    "Content-Length": String(encoder.encode(body).length),
    ...headers,
  }) + body;
  return sendRaw({ hostname: "127.0.0.1", port }, request).then((r) =>
    r.status
  );
}

function form(files: [name: string, content: string][]): FormData {
  const data = new FormData();
  for (const [name, content] of files) {
    data.append("file", new File([content], name));
  }
  return data;
}

/** A multipart body built by hand, so file names are exactly as given. */
function rawForm(
  filename: string,
  content: string,
): { type: string; body: string } {
  const boundary = "----pyportBoundary7MA4YWxk";
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { type: `multipart/form-data; boundary=${boundary}`, body };
}

/**
 * PUTs two different bodies of `size` bytes to `/race.txt` at once, checks
 * that the stored file is one of them whole, and returns both statuses.
 */
async function raceUploads(
  server: Served,
  site: Site,
  size: number,
): Promise<number[]> {
  const bodies = ["a", "b"].map((c) => c.repeat(size));
  const statuses = await Promise.all(bodies.map(async (body) => {
    const res = await fetch(server.url("/race.txt"), {
      method: "PUT",
      body,
      signal: AbortSignal.timeout(20_000),
    });
    await res.body?.cancel();
    return res.status;
  }));
  const stored = await Deno.readTextFile(`${site.root}/race.txt`);
  ok(stored === bodies[0] || stored === bodies[1], "one upload, whole");
  return statuses;
}

Deno.test({
  name:
    "upload: PUT creates (201) and never replaces (409); POST stores a form's files",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, ["--upload"]);
    match(server.process.stderr, /^Warning: --upload without --auth/);

    const created = await fetchText(server.url("/docs/new%20file.txt"), {
      method: "PUT",
      body: "fresh",
    });
    equal(created.res.status, 201);
    equal(created.res.headers.get("location"), "/docs/new%20file.txt");
    equal(await Deno.readTextFile(`${site.root}/docs/new file.txt`), "fresh");
    equal((await fetchText(server.url("/docs/new%20file.txt"))).text, "fresh");

    const again = await fetchText(server.url("/existing.txt"), {
      method: "PUT",
      body: "clobber",
    });
    equal(again.res.status, 409);
    equal(await Deno.readTextFile(`${site.root}/existing.txt`), "original");

    equal(await put(server.port, "/nowhere/x.txt", "x"), 409);
    equal(await put(server.port, "/docs/", "x"), 400);
    equal(await put(server.port, "/docs", "x"), 409);
    const chunked = await fetchText(server.url("/chunked.txt"), {
      method: "PUT",
      body: ReadableStream.from([encoder.encode("no length")]),
    });
    equal(chunked.res.status, 411);

    const posted = await fetchText(server.url("/docs/"), {
      method: "POST",
      body: form([["a.txt", "A"], ["ünï code.txt", "U"]]),
    });
    equal(posted.res.status, 201);
    deepEqual(JSON.parse(posted.text), [
      { name: "a.txt", href: "/docs/a.txt", status: "created" },
      {
        name: "ünï code.txt",
        href: "/docs/%C3%BCn%C3%AF%20code.txt",
        status: "created",
      },
    ]);
    equal(await Deno.readTextFile(`${site.root}/docs/ünï code.txt`), "U");

    // One name taken: the whole form is refused, nothing of it stored.
    const clash = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["brand-new.txt", "N"], ["existing.txt", "E"]]),
    });
    equal(clash.res.status, 409);
    equal(await Deno.readTextFile(`${site.root}/existing.txt`), "original");
    deepEqual(
      (await listTree(site.root)).filter((p) => p.startsWith("brand")),
      [],
    );

    const twice = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["dup.txt", "1"], ["dup.txt", "2"]]),
    });
    equal(twice.res.status, 400);
    // A name that is not UTF-8 (a Latin-1 client's): refused, as such a PUT
    // path is; two of them would have become one file named U+FFFD.
    const te = new TextEncoder();
    const latin1Part = new Uint8Array([
      ...te.encode(
        '--B\r\nContent-Disposition: form-data; name="f"; filename="',
      ),
      0xff,
      ...te.encode(
        '.txt"\r\nContent-Type: text/plain\r\n\r\ndata\r\n--B--\r\n',
      ),
    ]);
    const latin1 = await fetchText(server.url("/"), {
      method: "POST",
      body: latin1Part,
      headers: { "Content-Type": "multipart/form-data; boundary=B" },
    });
    equal(latin1.res.status, 400);
    ok(latin1.text.includes("not UTF-8"), latin1.text);
    const notForm = await fetchText(server.url("/"), {
      method: "POST",
      body: "x=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    equal(notForm.res.status, 415);
    equal(
      (await fetchText(server.url("/existing.txt"), {
        method: "POST",
        body: form([["z.txt", "z"]]),
      })).res.status,
      404,
    );
    equal(
      (await fetchText(server.url("/"), {
        method: "POST",
        body: new FormData(),
      })).res.status,
      400,
    );
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload: a form's file names lose the %22, %0A and %0D browsers put for \", LF and CR; no other escape",
  ...opts,
  async fn() {
    await using site = await makeSite();
    await using server = await serve(site.root, ["--upload"]);
    // FormData escapes the name as browsers do: `say %22hi%22.txt`.
    const quoted = await fetchText(server.url("/"), {
      method: "POST",
      body: form([['say "hi".txt', "Q"]]),
    });
    equal(quoted.res.status, 201, quoted.text);
    deepEqual(JSON.parse(quoted.text), [
      { name: 'say "hi".txt', href: "/say%20%22hi%22.txt", status: "created" },
    ]);
    equal(await Deno.readTextFile(`${site.root}/say "hi".txt`), "Q");
    // A newline in the chosen name: refused as in a PUT path, not stored
    // under a name holding `%0A`.
    const broken = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["two\nlines.txt", "L"], ["cr\r.txt", "C"]]),
    });
    equal(broken.res.status, 400, broken.text);
    ok(broken.text.includes("control character"), broken.text);
    // Any other %-sequence is part of the name (browsers leave `%` alone).
    const { type, body } = rawForm("100%25 %41%2F%0a.txt", "P");
    const literal = await fetchText(server.url("/"), {
      method: "POST",
      body,
      headers: { "Content-Type": type },
    });
    equal(literal.res.status, 201, literal.text);
    deepEqual(await listTree(site.root), [
      "100%25 %41%2F%0a.txt",
      'say "hi".txt',
    ]);
  },
});

Deno.test({
  name:
    "upload attacks: traversal, absolute names, NUL, symlinked folders, oversize, cut-off body, races",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, [
      "--upload",
      "--max-upload",
      "1K",
    ]);
    const port = server.port;

    // Traversal in the path: lands inside the folder or is refused.
    for (
      const target of [
        "/../escape1.txt",
        "/%2e%2e/%2e%2e/escape2.txt",
        "/docs/..%2f..%2fescape3.txt",
        "/..\\..\\escape4.txt",
        "/..%5c..%5cescape5.txt",
      ]
    ) {
      const status = await put(port, target, "x");
      ok(
        status === 201 || status === 400 || status === 409,
        `${target}: ${status}`,
      );
    }
    deepEqual((await listTree(site.root)).filter((p) => p.includes("escape")), [
      "escape1.txt",
      "escape2.txt",
      "escape3.txt",
      "escape4.txt",
    ]);
    // %5C is part of the name, and a name holds no separator.
    equal(await put(port, "/..%5c..%5cescape5.txt", "x"), 400);
    // Paths that name the served folder itself: no file name.
    for (const target of ["/..", "/.", "/%2e%2e"]) {
      equal(await put(port, target, "x"), 400, target);
    }

    // Names in a form: a path is cut to its last part; `..` and NUL refused.
    const names: [string, number][] = [
      ["../../form-escape.txt", 201],
      ["/etc/abs-name.txt", 201],
      ["C:\\\\Windows\\\\win-name.txt", 201],
      ["..", 400],
      ["a\u0000b.txt", 400],
      ["line\nbreak.txt", 400],
    ];
    for (const [name, expected] of names) {
      const { type, body } = rawForm(name, "payload");
      const res = await fetchText(server.url("/docs/"), {
        method: "POST",
        body,
        headers: { "Content-Type": type },
      });
      equal(res.res.status, expected, JSON.stringify(name));
    }
    const docs = await listTree(`${site.root}/docs`);
    ok(
      docs.includes("form-escape.txt") && docs.includes("abs-name.txt") &&
        docs.includes("win-name.txt"),
      String(docs),
    );

    // NUL in the path.
    equal(await put(port, "/nul%00byte.txt", "x"), 400);

    // A folder that is a symlink leading outside: refused.
    equal(await put(port, "/link-out/planted.txt", "x"), 403);
    const viaLink = await fetchText(server.url("/link-out/"), {
      method: "POST",
      body: form([["planted.txt", "x"]]),
    });
    equal(viaLink.res.status, 403);
    // A file that is a symlink leading outside: never written through.
    equal(await put(port, "/victim-link", "x"), 409);

    // Larger than --max-upload: 413 before the body is read.
    equal(await put(port, "/big.txt", "x".repeat(1025)), 413);
    const bigForm = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["big.txt", "x".repeat(2000)]]),
    });
    equal(bigForm.res.status, 413);
    equal(await put(port, "/fits.txt", "x".repeat(1024)), 201);

    // A client that stops mid-body leaves nothing behind.
    const conn = await RawConnection.open({ hostname: "127.0.0.1", port });
    await conn.write(
      buildRequest("PUT", "/cut.txt", {
        Host: "localhost",
        "Content-Length": "1000",
      }) + "y".repeat(300),
    );
    await new Promise((r) => setTimeout(r, 100));
    conn.close();
    const formConn = await RawConnection.open({ hostname: "127.0.0.1", port });
    const { type, body } = rawForm("cut-form.txt", "z".repeat(500));
    await formConn.write(
      buildRequest("POST", "/", {
        Host: "localhost",
        "Content-Type": type,
        "Content-Length": String(body.length),
      }) + body.slice(0, 300),
    );
    await new Promise((r) => setTimeout(r, 100));
    formConn.close();
    await eventually(async () => {
      const tree = await listTree(site.root);
      return !tree.some((p) => p.includes(".upload-"));
    }, "the temporary files of the cut-off uploads to go");
    const tree = await listTree(site.root);
    ok(
      !tree.includes("cut.txt") && !tree.includes("cut-form.txt"),
      String(tree),
    );
    // The handler saw both bodies end early (not an engine refusal).
    await server.process.until(
      () =>
        server.process.stderr.includes('"PUT /cut.txt HTTP/1.0" 400') &&
        server.process.stderr.includes('"POST / HTTP/1.0" 400'),
      "the log lines of the cut-off uploads",
    );
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload names beyond Latin-1: errors keep their page (status line escaped); paths that are not UTF-8 are refused",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, ["--upload"]);
    const raw = (request: string) =>
      sendRaw({ hostname: "127.0.0.1", port: server.port }, request);
    // A control character beside a name a status line cannot carry.
    const refused = await raw(
      buildRequest("PUT", "/%E6%97%A5%00", {
        Host: "localhost",
        "Content-Length": "1",
      }) + "x",
    );
    equal(refused.status, 400);
    match(refused.statusLine, /the file name "\\u65e5\\u0000" holds/);
    // The same name twice in forms: the second gets its 409 page.
    const upload = () => {
      const { type, body } = rawForm("\u65e5\u672c.txt", "x");
      // sendRaw writes text as UTF-8.
      return raw(
        buildRequest("POST", "/docs/", {
          Host: "localhost",
          "Content-Type": type,
          "Content-Length": String(encoder.encode(body).length),
        }) + body,
      );
    };
    equal((await upload()).status, 201);
    const again = await upload();
    equal(again.status, 409);
    match(again.statusLine, / 409 \\u65e5\\u672c\.txt already exists$/);
    match(
      new TextDecoder().decode(again.body),
      /\u65e5\u672c\.txt already exists/,
    );
    // Bytes that are not UTF-8 would all become U+FFFD on the disk.
    for (const target of ["/%ff.txt", "/%c0%af.txt", "/%ED%B3%BF.txt"]) {
      equal(await put(server.port, target, "x"), 400, target);
    }
    deepEqual(
      (await listTree(site.root)).filter((p) => p.includes("\ufffd")),
      [],
    );
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload to a folder whose name is not UTF-8: no form on its rich listing, and a POST there says why it is refused",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using site = await makeSite();
    // Deno cannot make such a name: the shell's printf gives the byte.
    const made = await new Deno.Command("sh", {
      args: ["-c", `mkdir "$(printf 'old\\377')"`],
      cwd: site.root,
    }).output();
    ok(made.success, new TextDecoder().decode(made.stderr));
    await using server = await serve(site.root, [
      "--listing",
      "rich",
      "--upload",
    ]);
    // How the listing links it (Python's surrogate escape).
    const folder = server.url("/old%ED%B3%BF/");
    const listing = await fetchText(folder);
    equal(listing.res.status, 200);
    ok(!listing.text.includes("<form"), "no form that cannot work");
    ok((await fetchText(server.url("/"))).text.includes("<form"));
    const posted = await fetchText(folder, {
      method: "POST",
      body: form([["a.txt", "A"]]),
    });
    equal(posted.res.status, 400, posted.text);
    ok(posted.text.includes("not UTF-8"), posted.text);
    // No file anywhere (Deno cannot read inside the folder: find can).
    const files = await new Deno.Command("find", {
      args: [".", "-type", "f"],
      cwd: site.root,
    }).output();
    equal(new TextDecoder().decode(files.stdout), "");
  },
});

Deno.test({
  name:
    "upload races: two uploads of one name at once; one wins whole, the other gets 409",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, ["--upload"]);
    const statuses = await raceUploads(server, site, 4 * 1024 * 1024);
    deepEqual(statuses.sort(), [201, 409]);
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload --overwrite: replaces (204 for PUT, 200 for a form), a symlink is replaced not followed",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, ["--upload", "--overwrite"]);
    const replaced = await fetchText(server.url("/existing.txt"), {
      method: "PUT",
      body: "new",
    });
    equal(replaced.res.status, 204);
    equal(await Deno.readTextFile(`${site.root}/existing.txt`), "new");
    const posted = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["existing.txt", "newer"]]),
    });
    equal(posted.res.status, 200);
    equal(await Deno.readTextFile(`${site.root}/existing.txt`), "newer");
    equal(await put(server.port, "/victim-link", "x"), 204);
    equal((await Deno.lstat(`${site.root}/victim-link`)).isSymlink, false);
    equal(await put(server.port, "/docs", "x"), 409);
    // A form naming a folder is refused whole: its other files are not
    // stored either.
    const clash = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["fresh.txt", "x"], ["docs", "y"]]),
    });
    equal(clash.res.status, 409);
    ok(!(await listTree(site.root)).includes("fresh.txt"));
    const statuses = await raceUploads(server, site, 2 * 1024 * 1024);
    ok(statuses.every((status) => status === 201 || status === 204));
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload with --auth and --no-dotfiles: no credentials no write; hidden names refused",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, [
      "--upload",
      "--auth",
      "ada:pw",
      "--no-dotfiles",
    ]);
    equal(server.process.stderr, "");
    const anonymous = await fetchText(server.url("/anon.txt"), {
      method: "PUT",
      body: "x",
    });
    equal(anonymous.res.status, 401);
    const headers = { Authorization: "Basic " + btoa("ada:pw") };
    equal(await put(server.port, "/.env", "x", headers), 403);
    equal(await put(server.port, "/.git/hooks", "x", headers), 403);
    const hidden = await fetchText(server.url("/"), {
      method: "POST",
      body: form([[".htaccess", "x"]]),
      headers,
    });
    equal(hidden.res.status, 403);
    equal(await put(server.port, "/ok.txt", "fine", headers), 201);
    deepEqual(
      (await listTree(site.root)).filter((p) => !p.startsWith("docs/")),
      ["existing.txt", "link-out", "ok.txt", "victim-link"],
    );
    await assertContained(site);
  },
});

Deno.test({
  name:
    "upload with --no-dotfiles: a link inside leading into a hidden folder is refused (PUT and form)",
  ...opts,
  async fn() {
    await using site = await makeSite({ ".git/config": "[core]\n" });
    // The operator's link: reading through it is theirs to allow, but an
    // upload through it would land in .git (hooks, config).
    await Deno.symlink(".git", `${site.root}/repo`);
    await Deno.mkdir(`${site.root}/.hidden`);
    await Deno.symlink(".hidden", `${site.root}/shown`);
    await using server = await serve(site.root, ["--upload", "--no-dotfiles"]);
    equal(await put(server.port, "/repo/evil", "x"), 403);
    equal(await put(server.port, "/shown/evil", "x"), 403);
    const posted = await fetchText(server.url("/repo/"), {
      method: "POST",
      body: form([["evil", "x"]]),
    });
    equal(posted.res.status, 403);
    match(posted.text, /hidden folders do not accept uploads/);
    deepEqual(await listTree(site.root), [".git/config", "repo", "shown"]);
    // A link to a folder that is not hidden still takes uploads.
    await Deno.mkdir(`${site.root}/docs`);
    await Deno.symlink("docs", `${site.root}/docs-link`);
    equal(await put(server.port, "/docs-link/ok.txt", "fine"), 201);
    equal(await Deno.readTextFile(`${site.root}/docs/ok.txt`), "fine");
  },
});

Deno.test({
  name:
    "moveIntoPlace: of two temporaries racing for one name, exactly one lands",
  ...opts,
  async fn() {
    await using site = await makeSite();
    for (let round = 0; round < 20; round++) {
      const target = `${site.root}/race-${round}.txt`;
      const temps = await Promise.all(
        ["one", "two"].map((body) =>
          writeTemporary(site.root, ReadableStream.from([encoder.encode(body)]))
        ),
      );
      const results = await Promise.allSettled(
        temps.map((temp) => moveIntoPlace(temp, target, false)),
      );
      const outcomes = results.map((r) =>
        r.status === "fulfilled" ? r.value : (r.reason as UploadError).status
      );
      deepEqual(outcomes.sort(), [409, "created"].sort());
      ok(["one", "two"].includes(await Deno.readTextFile(target)));
    }
    deepEqual(
      (await listTree(site.root)).filter((p) => p.includes(".upload-")),
      [],
    );
  },
});

Deno.test("checkFileName: what a new file may be called", () => {
  for (
    const good of ["a.txt", "ünï code.txt", "..a", "a..b", "x".repeat(255)]
  ) {
    checkFileName(good, false);
  }
  checkFileName(".env", false);
  for (
    const bad of [
      "",
      ".",
      "..",
      "a/b",
      "a\\b",
      "a\0b",
      "a\nb",
      "x".repeat(256),
      "é".repeat(128),
      "csi\u009b1m.txt",
      "line\u2028sep.txt",
      "report\u202etxt.exe",
      ".upload-1234.part",
    ]
  ) {
    let status = 0;
    try {
      checkFileName(bad, false);
    } catch (error) {
      status = (error as UploadError).status;
    }
    equal(status, 400, JSON.stringify(bad));
  }
  let hidden = 0;
  try {
    checkFileName(".env", true);
  } catch (error) {
    hidden = (error as UploadError).status;
  }
  equal(hidden, 403);
});

Deno.test({
  name:
    "an upload in progress is neither listed nor served, in any listing style",
  ...opts,
  async fn() {
    for (const style of [[], ["--listing", "rich"]]) {
      await using site = await uploadSite();
      await using server = await serve(site.root, ["--upload", ...style]);
      const conn = await RawConnection.open({
        hostname: "127.0.0.1",
        port: server.port,
      });
      try {
        // Half a body: its temporary file stays while the rest is awaited.
        await conn.write(
          buildRequest("PUT", "/docs/slow.txt", {
            Host: "localhost",
            "Content-Length": "10",
          }) + "12345",
        );
        let part = "";
        await eventually(async () => {
          part = (await listTree(`${site.root}/docs`)).find((name) =>
            name.startsWith(".upload-")
          ) ?? "";
          return part !== "";
        }, "the upload's temporary file");
        for (const accept of ["text/html", "application/json"]) {
          const listing = await fetchText(server.url("/docs/"), {
            headers: { Accept: accept },
          });
          equal(listing.res.status, 200);
          ok(listing.text.includes("readme.txt"), listing.text);
          ok(!listing.text.includes(".upload-"), `${style} ${accept}`);
        }
        const fetched = await fetchText(server.url(`/docs/${part}`));
        equal(fetched.res.status, 404, `${style}: ${part}`);
        await conn.write("67890");
        equal((await conn.read()).status, 201);
      } finally {
        conn.close();
      }
      equal(
        await Deno.readTextFile(`${site.root}/docs/slow.txt`),
        "1234567890",
      );
    }
  },
});

Deno.test({
  name:
    "a browser's upload through a name rebound to this server is refused; IP addresses, localhost, --upload-hosts names and non-browsers pass",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, [
      "--upload",
      "--upload-hosts",
      "nas.lan,.example.org",
    ]);
    const port = server.port;
    /** A PUT from a page of `host`, as a browser sends it. */
    const fromPage = (name: string, host: string) =>
      put(port, `/${name}`, "x", {
        Host: `${host}:${port}`,
        Origin: `http://${host}:${port}`,
        "Sec-Fetch-Site": "same-origin",
      });
    // DNS rebinding: evil.example now resolves here, and its page is
    // same-origin with what it reaches.
    equal(await fromPage("rebound1.txt", "evil.example"), 403);
    equal(await fromPage("rebound2.txt", "org.evil.example"), 403);
    equal(
      await put(port, "/rebound3.txt", "x", {
        Host: `evil.example:${port}`,
        Origin: `http://evil.example:${port}`,
      }),
      403,
    );
    const { type, body } = rawForm("rebound4.txt", "payload");
    const posted = await sendRaw(
      { hostname: "127.0.0.1", port },
      buildRequest("POST", "/docs/", {
        Host: `evil.example:${port}`,
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": type,
        "Content-Length": String(encoder.encode(body).length),
      }) + body,
    );
    equal(posted.status, 403);
    // Names the server is known by, and a client that is not a browser.
    equal(await fromPage("ip.txt", "127.0.0.1"), 201);
    equal(await fromPage("v6.txt", "[::1]"), 201);
    equal(await fromPage("lh.txt", "localhost"), 201);
    equal(await fromPage("app.txt", "app.localhost"), 201);
    equal(await fromPage("nas.txt", "NAS.lan."), 201);
    equal(await fromPage("org.txt", "example.org"), 201);
    equal(await fromPage("www.txt", "www.example.org"), 201);
    equal(await put(port, "/curl.txt", "x", { Host: "evil.example" }), 201);
    deepEqual(
      (await listTree(site.root)).filter((p) => p.includes("rebound")),
      [],
    );
    await assertContained(site);
  },
});

Deno.test({
  name:
    "uploads a browser sends from another site's page are refused; a form part without a name is refused",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, ["--upload"]);
    const port = server.port;
    const post = async (name: string, headers: Record<string, string>) => {
      const { type, body } = rawForm(name, "payload");
      const res = await fetchText(server.url("/docs/"), {
        method: "POST",
        body,
        headers: { "Content-Type": type, ...headers },
      });
      return res.res.status;
    };
    // A form on another site's page, in browsers with and without
    // Sec-Fetch-Site, and a page whose origin is hidden ("null").
    equal(await post("csrf1.txt", { "Sec-Fetch-Site": "cross-site" }), 403);
    equal(await post("csrf2.txt", { "Origin": "http://evil.example" }), 403);
    equal(await post("csrf3.txt", { "Origin": "null" }), 403);
    equal(
      await put(port, "/csrf4.txt", "x", { Origin: "http://evil.example" }),
      403,
    );
    // The server's own pages, and clients that are not browsers.
    const own = `http://127.0.0.1:${port}`;
    equal(await post("own1.txt", { "Sec-Fetch-Site": "same-origin" }), 201);
    equal(await post("own2.txt", { "Origin": own }), 201);
    equal(await post("plain.txt", {}), 201);
    const docs = await listTree(`${site.root}/docs`);
    deepEqual(
      docs.filter((name) => /csrf|own|plain/.test(name)).sort(),
      ["own1.txt", "own2.txt", "plain.txt"],
    );
    ok(!(await listTree(site.root)).includes("csrf4.txt"));

    // A file part with no file name (busboy takes an octet-stream part for
    // a file): 400, never a file called "undefined".
    const boundary = "----pyportBoundaryNoName";
    const res = await fetchText(server.url("/docs/"), {
      method: "POST",
      body: `--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\ndata\r\n--${boundary}--\r\n`,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    equal(res.res.status, 400);
    ok(!(await listTree(`${site.root}/docs`)).includes("undefined"));
    // The name of an upload in progress cannot be taken to swap its body.
    equal(await put(port, "/.upload-1234.part", "x"), 400);
    await assertContained(site);
  },
});

Deno.test({
  name:
    "Expect: 100-continue is refused before the body when the head already fails (401, 413, 411), and granted otherwise",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, [
      "-p",
      "HTTP/1.1",
      "--upload",
      "--max-upload",
      "1K",
      "--auth",
      "ada:lovelace",
    ]);
    const credentials = `Basic ${btoa("ada:lovelace")}`;
    const cases: [Record<string, string>, number, string[]][] = [
      [{ "Content-Length": "10" }, 401, []],
      [{ "Content-Length": "2000", Authorization: credentials }, 413, []],
      [{ Authorization: credentials }, 411, []],
      [
        { "Content-Length": "5", Authorization: credentials },
        201,
        ["HTTP/1.1 100 Continue"],
      ],
    ];
    for (const [headers, status, interim] of cases) {
      const conn = await RawConnection.open({
        hostname: "127.0.0.1",
        port: server.port,
      });
      await conn.write(
        buildRequest("PUT", "/expect.txt", {
          Host: "localhost",
          Expect: "100-continue",
          ...headers,
        }, "HTTP/1.1"),
      );
      if (status === 201) {
        // Granted: 100 Continue, then the body, then the answer.
        await conn.write("hello");
        const res = await conn.read({ timeoutMs: 5000 });
        deepEqual([res.interim, res.status], [interim, 201]);
      } else {
        // The answer comes with no byte of the body sent.
        const res = await conn.read({ timeoutMs: 5000 });
        equal(res.status, status, JSON.stringify(headers));
        deepEqual(res.interim, [], "no 100 before a refusal");
      }
      conn.close();
    }
    equal(await Deno.readTextFile(`${site.root}/expect.txt`), "hello");
  },
});

Deno.test({
  name:
    "serve stopped (SIGTERM, SIGINT) while an upload is still sending leaves no temporary file",
  ...opts,
  async fn() {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      await using site = await uploadSite();
      const server = await serve(site.root, ["--upload"]);
      await using _ = server;
      const conn = await RawConnection.open({
        hostname: "127.0.0.1",
        port: server.port,
      });
      await conn.write(
        buildRequest("PUT", "/docs/big.bin", {
          Host: "localhost",
          "Content-Length": String(1 << 20),
        }) + "x".repeat(4096),
      );
      const temporary = async () =>
        (await listTree(site.root)).filter((p) => p.includes(".upload-"));
      await eventually(
        async () => (await temporary()).length === 1,
        "the upload's temporary file",
      );
      equal(await server.process.stop(signal), 0, signal);
      conn.close();
      deepEqual(await temporary(), [], signal);
    }
  },
});

Deno.test({
  name:
    "upload: the answer links back by path only (no javascript: target, no //host or /\\host Location)",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await Deno.mkdir(`${site.root}/evil.com`);
    await using server = await serve(site.root, ["--upload"]);
    const addr = { hostname: "127.0.0.1", port: server.port };
    const multipart = (target: string) => {
      const boundary = "b0undary";
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="j.txt"\r\n\r\nj\r\n--${boundary}--\r\n`;
      return buildRequest("POST", target, {
        Host: "localhost",
        Accept: "text/html",
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": String(body.length),
      }) + body;
    };
    // A target that is not a path would come back as a link: refused.
    const scheme = await sendRaw(
      addr,
      multipart("javascript:alert(document.domain)//../docs/"),
    );
    equal(scheme.status, 400);
    equal((await listTree(site.root)).includes("docs/j.txt"), false);
    // Backslashes and doubled slashes come back as one separator.
    const posted = await sendRaw(addr, multipart("/\\evil.com/"));
    equal(posted.status, 201);
    const location = posted.headers.find(([k]) => k === "Location")?.[1];
    equal(location, "/evil.com/j.txt");
    const put = await sendRaw(
      addr,
      buildRequest("PUT", "//evil.com/k.txt", {
        Host: "localhost",
        "Content-Length": "1",
      }) + "k",
    );
    equal(put.status, 201);
    equal(put.headers.find(([k]) => k === "Location")?.[1], "/evil.com/k.txt");
    await assertContained(site);
  },
});

Deno.test({
  name:
    "a stalled upload or an unread download is dropped after stall_timeout (serve: 300 s), its temporary file removed",
  ...opts,
}, async () => {
  await using site = await makeSite();
  // Larger than the kernel's socket buffers on both sides (a few MiB each).
  const BIG = 64 << 20;
  await Deno.writeFile(`${site.root}/big.bin`, new Uint8Array(0));
  await Deno.truncate(`${site.root}/big.bin`, BIG);
  const logged: string[] = [];
  class Quick extends HostingHTTPRequestHandler.partial({
    directory: site.root,
    upload: true,
  }) {
    override protocol_version = "HTTP/1.1";
    override stall_timeout = 0.3;
    override log_message(format: string, ...args: unknown[]): void {
      logged.push(percentFormat(format, args));
    }
  }
  await using server = new ThreadingHTTPServer(["127.0.0.1", 0], Quick);
  void server.serve_forever(0.05);
  const port = server.server_address[1];
  // An upload that sends 3 of its 1,000,000 bytes, then nothing.
  const upload = await RawConnection.open({ hostname: "127.0.0.1", port });
  await upload.write(
    buildRequest("PUT", "/stalled.bin", {
      Host: "localhost",
      "Content-Length": "1000000",
    }) + "abc",
  );
  // A download whose client never reads.
  const download = await Deno.connect({ hostname: "127.0.0.1", port });
  await download.write(
    encoder.encode("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"),
  );
  // Both connections end, and nothing is left behind.
  // The upload: no answer (Python's "Request timed out"), closed.
  const answer = await upload.read({ timeoutMs: 5_000 });
  equal(answer.status, 0);
  ok(upload.eof, "the stalled upload's connection is closed");
  await eventually(
    async () =>
      (await listTree(site.root)).every((p) => !p.includes(".upload-")) &&
      logged.filter((l) => l.includes("Request timed out")).length === 2,
    "both logged",
  );
  // The download, read only now: what the kernel buffered, then the end.
  let received = 0;
  const buffer = new Uint8Array(1 << 16);
  for (let n; (n = await download.read(buffer)) !== null;) received += n;
  ok(received < BIG, `${received} bytes of ${BIG}, then closed`);
  download.close();
  upload.close();
});

Deno.test({
  name:
    "a client that stops reading the end a handler left queued is dropped and logged too",
  ...opts,
}, async () => {
  const logged: string[] = [];
  class Big extends BaseHTTPRequestHandler {
    override stall_timeout = 0.3;
    // Queued whole, then the handler returns: the rest goes out in finish().
    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-Length", String(32 << 20));
      this.end_headers();
      this.wfile.write(new Uint8Array(32 << 20));
    }
    override log_message(format: string, ...args: unknown[]): void {
      logged.push(percentFormat(format, args));
    }
  }
  await using server = new ThreadingHTTPServer(["127.0.0.1", 0], Big);
  void server.serve_forever(0.05);
  const port = server.server_address[1];
  const client = await Deno.connect({ hostname: "127.0.0.1", port });
  await client.write(encoder.encode("GET / HTTP/1.0\r\n\r\n"));
  await eventually(
    () => logged.some((l) => l.includes("Request timed out")),
    "the timeout logged",
  );
  client.close();
});

Deno.test({
  name:
    "upload with --precompressed: a .gz or .br beside an existing file is refused (409), and so is a file an existing .gz or .br would be served in place of; --overwrite allows both",
  ...opts,
  async fn() {
    await using site = await makeSite({
      "index.html": "<h1>site</h1>",
      "old.txt.br": "stale",
    });
    await using server = await serve(site.root, [
      "--upload",
      "--precompressed",
    ]);
    const putStatus = async (path: string) => {
      const { res } = await fetchText(server.url(path), {
        method: "PUT",
        body: "upload",
      });
      return res.status;
    };
    equal(await putStatus("/index.html.gz"), 409);
    equal(await putStatus("/index.html.br"), 409);
    equal(await putStatus("/old.txt"), 409);
    const posted = await fetchText(server.url("/"), {
      method: "POST",
      body: form([["index.html.br", "upload"]]),
    });
    equal(posted.res.status, 409);
    // A .gz of nothing here, or a file with no sibling, is an upload as any.
    equal(await putStatus("/data.tar.gz"), 201);
    equal(await putStatus("/fresh.txt"), 201);
    // What a browser asking for gzip gets is still the site's own page.
    const page = await fetchText(server.url("/"), {
      headers: { "Accept-Encoding": "gzip, br" },
    });
    equal(page.text, "<h1>site</h1>");
    await using trusting = await serve(site.root, [
      "--upload",
      "--precompressed",
      "--overwrite",
    ]);
    const replaced = await fetchText(trusting.url("/index.html.gz"), {
      method: "PUT",
      body: "upload",
    });
    equal(replaced.res.status, 201);
  },
});

Deno.test({
  name:
    "a PUT with Content-Range is refused (400, before the body), never stored as the whole file",
  ...opts,
  async fn() {
    await using site = await uploadSite();
    await using server = await serve(site.root, [
      "-p",
      "HTTP/1.1",
      "--upload",
      "--overwrite",
    ]);
    const range = { "Content-Range": "bytes 0-3/100" };
    equal(await put(server.port, "/partial.txt", "part", range), 400);
    equal(await put(server.port, "/existing.txt", "part", range), 400);
    equal(await Deno.readTextFile(`${site.root}/existing.txt`), "original");
    deepEqual(
      (await listTree(site.root)).filter((p) => p.includes("partial")),
      [],
    );
    // With Expect: 100-continue, the refusal comes before the body.
    const conn = await RawConnection.open({
      hostname: "127.0.0.1",
      port: server.port,
    });
    await conn.write(
      buildRequest("PUT", "/existing.txt", {
        Host: "localhost",
        Expect: "100-continue",
        "Content-Length": "4",
        ...range,
      }, "HTTP/1.1"),
    );
    const res = await conn.read({ timeoutMs: 5000 });
    deepEqual([res.interim, res.status], [[], 400]);
    conn.close();
    await assertContained(site);
  },
});

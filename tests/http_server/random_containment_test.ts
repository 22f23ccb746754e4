/**
 * Random containment: request targets assembled at random from the pieces
 * of path attacks (`..` and its encodings, encoded and back slashes, NUL,
 * overlong UTF-8, double encoding, symlinks that lead out, bytes that are
 * not UTF-8) go to `serve` with uploads on and other hosting flags, by
 * every method. Whatever the answer, nothing outside the served folder is
 * read (but through a link, with `--follow-symlinks`) or written, no
 * request gets a 5xx or no answer at all (501 for a method `serve` does not
 * offer aside), no temporary file is left, and the server keeps serving. The fixed cases live in `hostile_test.ts` and
 * `upload_test.ts`; this finds the combinations nobody listed.
 *
 * The seed is fixed, so a run is repeatable; `DIFF_SEED=n` explores
 * another.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { type Pick, randomSource, testSeed } from "../_random.ts";
import { bodyText, buildRequest, sendRaw } from "./_diff_http.ts";
import { listTree, makeSite, serve } from "./_hosting.ts";

const DEFAULT_SEED = 20261127;
const REQUESTS_PER_FLAGS = 200;

const FLAG_SETS = [
  ["--upload"],
  ["--upload", "--spa", "--no-cache"],
  ["--upload", "--overwrite", "--cors", "--compress", "--precompressed"],
  ["--upload", "--follow-symlinks", "--listing", "rich"],
];

const PIECES = [
  "..",
  "..",
  "%2e%2e",
  ".%2e",
  "%2E%2E",
  ".",
  "...",
  "/",
  "/",
  "//",
  "%2f",
  "%2F",
  "\\",
  "%5c",
  "%00",
  "%252e%252e",
  "%252f",
  ";",
  "?",
  "#",
  "%c0%ae",
  "%c0%af",
  "%ff",
  "%E6%97%A5",
  "\u00e9",
  "%20",
  "~",
  "link-out",
  "victim-link",
  "victim.txt",
  "docs",
  "existing.txt",
  "site",
  "outside",
  "x.txt",
];
const METHODS = ["GET", "GET", "HEAD", "PUT", "PUT", "POST", "DELETE"];

function randomTarget(pick: Pick): string {
  let target = "/";
  for (let n = pick([1, 2, 3, 4, 5, 6]); n > 0; n--) target += pick(PIECES);
  return target;
}

Deno.test({
  name:
    "random containment: no path attack escapes the served folder, whatever the flags",
  ignore: Deno.build.os === "windows",
  sanitizeResources: false,
  async fn() {
    const seed = testSeed(DEFAULT_SEED);
    const pick = randomSource(seed);
    const secret = `SECRET-${crypto.randomUUID()}`;
    await using site = await makeSite({
      "docs/readme.txt": "docs",
      "existing.txt": "original",
      "index.html": "<p>app</p>",
    });
    const parent = site.root.slice(0, site.root.lastIndexOf("/"));
    await Deno.writeTextFile(`${site.outside}/victim.txt`, secret);
    await Deno.writeTextFile(`${parent}/victim.txt`, secret);
    await Deno.symlink(site.outside, `${site.root}/link-out`);
    await Deno.symlink(
      `${site.outside}/victim.txt`,
      `${site.root}/victim-link`,
    );
    const outsideBefore = (await listTree(parent)).filter((p) =>
      !p.startsWith("site/")
    );
    const problems: string[] = [];
    const statuses = new Set<number>();
    for (const flags of FLAG_SETS) {
      await using server = await serve(site.root, flags);
      const address = { hostname: "127.0.0.1", port: server.port };
      const followsLinks = flags.includes("--follow-symlinks");
      for (let i = 0; i < REQUESTS_PER_FLAGS; i++) {
        const method = pick(METHODS);
        const target = randomTarget(pick);
        const body = method === "PUT" || method === "POST" ? "pwned" : "";
        const res = await sendRaw(
          address,
          buildRequest(method, target, {
            Host: "localhost",
            "Content-Length": String(body.length),
          }, pick(["HTTP/1.0", "HTTP/1.1"])) + body,
        );
        statuses.add(res.status);
        const what = `${flags.join(" ")}: ${method} ${JSON.stringify(target)}`;
        // --follow-symlinks reads through the links that lead out, as
        // asked; it never writes through them.
        if (!followsLinks && bodyText(res).includes(secret)) {
          problems.push(`leak, ${what}`);
        }
        if (res.status === 0) problems.push(`no answer, ${what}`);
        if (res.status >= 500 && res.status !== 501) {
          problems.push(`${res.statusLine}, ${what}`);
        }
      }
      const alive = await sendRaw(
        address,
        buildRequest("GET", "/existing.txt", { Host: "localhost" }),
      );
      equal(alive.status, 200, `${flags.join(" ")}: stopped serving`);
    }
    deepEqual(problems, []);
    // Nothing written outside, the victims intact, no temporary file left.
    deepEqual(
      (await listTree(parent)).filter((p) => !p.startsWith("site/")),
      outsideBefore,
    );
    equal(await Deno.readTextFile(`${site.outside}/victim.txt`), secret);
    deepEqual(
      (await listTree(site.root)).filter((p) => /\.upload-.*\.part$/.test(p)),
      [],
    );
    // The attacks were varied enough to meet every kind of answer.
    for (const status of [200, 201, 400, 404, 501]) {
      ok(statuses.has(status), `no ${status} among ${[...statuses]}`);
    }
  },
});

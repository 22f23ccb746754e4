/**
 * Random names: a folder of files and folders named at random from the
 * characters listings get wrong (HTML and URL specials, `%`, backslashes,
 * control characters, combining marks, bidi controls, case-folding
 * oddities such as `İ`, `ẞ`, final sigma, ligatures, emoji) is listed by
 * CPython 3.13's `python3 -m http.server` and by our `serve`: the pages
 * must be equal byte for byte (order, escaping, quoting), and every link
 * on them must answer alike (status, and the bytes of a file or of a
 * folder's own listing).
 *
 * The seed is fixed, so a run is repeatable; `DIFF_SEED=n` explores
 * another. Linux only (names with control characters); skipped without
 * CPython 3.13.
 */
import { deepEqual, equal } from "node:assert/strict";
import { havePython313 } from "../_python.ts";
import { type Pick, randomSource, testSeed } from "../_random.ts";
import { bodyText, buildRequest, sendRaw } from "./_diff_http.ts";
import { type ServerProcess, startServer } from "./_diff_server.ts";

const DEFAULT_SEED = 20261128;
const NAMES = 120;

const CHARACTERS = [
  ..."aZ09 -_.~!$&'()*+,;=@%#?[]{}<>\"`^|\\",
  ..."\u00e9\u65e5\u672c\u03a3\u03c3\u03c2\u0130\u0131\u1e9e\u00df\u01c5\ufb00K",
  "\u0301", // combining acute
  "\u200f", // right-to-left mark
  "\u202e", // right-to-left override
  "\u00a0",
  "\u3000",
  "\u{1f600}",
  "\u2028",
  "\u0085",
  "\x7f",
  "\x01",
  "\t",
];

function randomName(pick: Pick): string {
  let name = "";
  for (let n = pick([1, 2, 3, 4, 5, 6, 7, 8]); n > 0; n--) {
    name += pick(CHARACTERS);
  }
  return name;
}

async function makeFolder(pick: Pick): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_names_" });
  const names = new Set<string>();
  while (names.size < NAMES) {
    const name = randomName(pick);
    if (name === "." || name === ".." || names.has(name)) continue;
    names.add(name);
    if (pick([false, false, false, false, true])) {
      await Deno.mkdir(`${dir}/${name}`);
    } else {
      await Deno.writeTextFile(`${dir}/${name}`, `content of ${name}`);
    }
  }
  return dir;
}

async function get(server: ServerProcess, target: string) {
  const res = await sendRaw(
    server,
    buildRequest("GET", target, { Host: "localhost" }),
  );
  return { status: res.status, body: bodyText(res) };
}

Deno.test({
  name: "random names: listings and their links agree with CPython 3.13",
  ignore: Deno.build.os !== "linux" || !havePython313(),
  sanitizeResources: false,
  async fn() {
    const seed = testSeed(DEFAULT_SEED);
    const dir = await makeFolder(randomSource(seed));
    const servers: ServerProcess[] = [];
    try {
      const [py, ours] = await Promise.all([
        startServer("python", dir),
        startServer("ours", dir),
      ]);
      servers.push(py, ours);
      const [pyPage, ourPage] = await Promise.all([
        get(py, "/"),
        get(ours, "/"),
      ]);
      equal(ourPage.body, pyPage.body, `seed ${seed}: the listings differ`);
      const links = [...pyPage.body.matchAll(/<a href="([^"]*)">/g)]
        .map((m) => m[1]!);
      equal(links.length, NAMES, "every name is linked");
      const differing: string[] = [];
      for (const link of links) {
        const [theirs, mine] = await Promise.all([
          get(py, "/" + link),
          get(ours, "/" + link),
        ]);
        // A file's bytes, or a folder's own listing (its title holds the name).
        const same = theirs.status === mine.status && theirs.body === mine.body;
        if (!same) {
          differing.push(
            `${link}: python ${theirs.status}, ours ${mine.status}`,
          );
        }
      }
      deepEqual(differing, [], `seed ${seed}`);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await Deno.remove(dir, { recursive: true });
    }
  },
});

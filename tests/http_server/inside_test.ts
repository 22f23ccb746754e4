/**
 * The folder boundary's shortcut (`_inside.ts`): it answers only for plain
 * names with no symbolic link on the way, and leaves every other path to
 * the general check (`realpath`), on a real temporary tree.
 */
import { equal, ok } from "node:assert/strict";
import {
  folderStillServed,
  statPlainPathInside,
  UNDECIDED,
} from "../../http_server/_inside.ts";
import { nodeOpenWorks } from "../../http_server/_open_node.ts";
import { createFetchHandler } from "../../http_server/mod.ts";
import {
  HostingHTTPRequestHandler,
  type HostingHTTPRequestHandlerOptions as HostingOptions,
  SimpleHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";

const POSIX = Deno.build.os !== "windows";

/** The test tree, removed when disposed. */
async function tree(): Promise<
  { root: string; www: string } & AsyncDisposable
> {
  const root = await Deno.makeTempDir();
  const www = `${root}/www`;
  await Deno.mkdir(`${www}/sub/deeper`, { recursive: true });
  await Deno.writeTextFile(`${www}/top.txt`, "top");
  await Deno.writeTextFile(`${www}/sub/deeper/low.txt`, "low");
  await Deno.writeTextFile(`${root}/secret.txt`, "secret");
  await Deno.symlink(`${root}/secret.txt`, `${www}/out.txt`);
  await Deno.symlink(`${www}/sub`, `${www}/alias`);
  await Deno.symlink(root, `${www}/up`);
  return {
    root,
    www,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test({
  name:
    "statPlainPathInside: plain names give their metadata, missing ones null",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    const top = statPlainPathInside(`${www}/top.txt`, www);
    ok(top !== UNDECIDED && top !== null && top.isFile);
    equal(top.ino, Deno.statSync(`${www}/top.txt`).ino);
    const low = statPlainPathInside(`${www}/sub/deeper/low.txt`, www);
    ok(low !== UNDECIDED && low?.isFile);
    const folder = statPlainPathInside(`${www}/sub/`, www);
    ok(folder !== UNDECIDED && folder?.isDirectory);
    // The folder given with a trailing separator works the same.
    const again = statPlainPathInside(`${www}/top.txt`, `${www}/`);
    ok(again !== UNDECIDED && again?.isFile);
    equal(statPlainPathInside(`${www}/missing.txt`, www), null);
    equal(statPlainPathInside(`${www}/nope/low.txt`, www), null);
    // A file where a folder must be: stat would fail (ENOTDIR).
    equal(statPlainPathInside(`${www}/top.txt/x`, www), null);
  },
});

Deno.test({
  name:
    "folderStillServed: true while the folder's path resolves where it did, false once it leads elsewhere or is gone",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { root, www } = site;
    ok(folderStillServed(www));
    ok(folderStillServed(`${www}/`));
    await Deno.rename(www, `${root}/moved`);
    ok(!folderStillServed(www), "gone");
    // A folder made again at that path is the folder served, as for the
    // general check: the path is what was given.
    await Deno.mkdir(www);
    ok(folderStillServed(www), "a folder made again at that path");
    await Deno.remove(www);
    await Deno.symlink(`${root}/moved`, www);
    ok(!folderStillServed(www), "a link elsewhere");
  },
});

Deno.test({
  name:
    "statPlainPathInside: links, dot names, other shapes and the folder itself are left undecided",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { root, www } = site;
    for (
      const path of [
        `${www}/out.txt`, // a link to a file outside
        `${www}/alias/deeper/low.txt`, // a link on the way, inside
        `${www}/up/secret.txt`, // a link on the way, outside
        `${www}/sub/../top.txt`,
        `${www}/./top.txt`,
        `${www}//top.txt`,
        `${www}`,
        `${www}/`,
        `${root}/secret.txt`, // not under the folder at all
        `${www}x/top.txt`, // a sibling whose name starts the same
        `${www}/\ud800.txt`, // a name that is not UTF-8, escaped
      ]
    ) {
      equal(statPlainPathInside(path, www), UNDECIDED, path);
    }
  },
});

Deno.test({
  name:
    "the boundary through a server: links inside the folder are served, links out of it are not",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { root, www } = site;
    class Quiet extends SimpleHTTPRequestHandler {
      override log_message(): void {}
    }
    await using server = new ThreadingHTTPServer(
      ["127.0.0.1", 0],
      Quiet.partial({ directory: www }),
    );
    void server.serve_forever(0.05);
    const base = `http://127.0.0.1:${server.server_port}`;
    const fetchText = async (path: string) => {
      const res = await fetch(base + path);
      return [res.status, await res.text()] as const;
    };
    equal((await fetchText("/sub/deeper/low.txt"))[1], "low");
    equal((await fetchText("/alias/deeper/low.txt"))[1], "low");
    equal((await fetchText("/out.txt"))[0], 404);
    equal((await fetchText("/up/secret.txt"))[0], 404);
    equal((await fetchText("/top.txt/"))[0], 404);
    // Index pages: plain, through a linked folder, a link inside, the
    // second name, and a link out of the folder.
    await Deno.writeTextFile(`${www}/sub/index.html`, "sub index");
    await Deno.mkdir(`${www}/inner`);
    await Deno.symlink(`${www}/top.txt`, `${www}/inner/index.html`);
    await Deno.mkdir(`${www}/second`);
    await Deno.writeTextFile(`${www}/second/index.htm`, "second");
    await Deno.mkdir(`${www}/leak`);
    await Deno.symlink(`${www}/../secret.txt`, `${www}/leak/index.html`);
    equal((await fetchText("/sub/"))[1], "sub index");
    equal((await fetchText("/alias/"))[1], "sub index");
    equal((await fetchText("/inner/"))[1], "top");
    equal((await fetchText("/second/"))[1], "second");
    const leak = await fetchText("/leak/");
    equal(leak[0], 404);
    ok(!leak[1].includes("secret"));
    // The folder itself replaced by a link to another: nothing of that
    // other folder is served, neither names below nor the folder's page.
    equal((await fetchText("/"))[0], 200);
    await Deno.mkdir(`${root}/other`);
    await Deno.writeTextFile(`${root}/other/top.txt`, "other secret");
    await Deno.writeTextFile(`${root}/other/index.html`, "other secret");
    await Deno.rename(www, `${root}/www.old`);
    await Deno.symlink(`${root}/other`, www);
    for (const path of ["/top.txt", "/", "/index.html"]) {
      const [status, text] = await fetchText(path);
      equal(status, 404, path);
      ok(!text.includes("secret"), path);
    }
    await server.shutdown();
  },
});

Deno.test({
  name:
    "the boundary holds when a link is swapped in between the check and the open (a file, a folder on the way, the folder itself)",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { root, www } = site;
    // Outside: files by the same names, holding a secret.
    await Deno.mkdir(`${root}/outside/sub/deeper`, { recursive: true });
    await Deno.writeTextFile(`${root}/outside/top.txt`, "secret");
    await Deno.writeTextFile(`${root}/outside/sub/deeper/low.txt`, "secret");
    await Deno.writeTextFile(`${root}/outside/sub/secret.txt`, "secret");
    await using server = hookedServer(www);
    const { base, attempt } = server;
    const swaps: [string, string, string][] = [
      ["/top.txt", `${www}/top.txt`, `${root}/outside/top.txt`],
      ["/sub/deeper/low.txt", `${www}/sub`, `${root}/outside/sub`],
      ["/top.txt", www, `${root}/outside`],
    ];
    for (const [path, from, target] of swaps) {
      const [status, text] = await attempt(path, () => {
        Deno.renameSync(from, `${from}.away`);
        Deno.symlinkSync(target, from);
      });
      Deno.removeSync(from);
      Deno.renameSync(`${from}.away`, from);
      ok(!text.includes("secret"), `${path} with ${from} swapped`);
      equal(status, 404, `${path} with ${from} swapped`);
      // Untouched again, it is served.
      equal(await fetchOk(base + path), path === "/top.txt" ? "top" : "low");
    }
    // A new version renamed over the file between the check and the open
    // (a deploy, say) is checked in its turn and served.
    await Deno.writeTextFile(`${www}/top.new`, "new top");
    const renamed = await attempt("/top.txt", () => {
      Deno.renameSync(`${www}/top.new`, `${www}/top.txt`);
    });
    equal(renamed[1], "new top");
    // A folder made in the file's place between the check and the open
    // (a file system may give it the file's inode number): 404, not a
    // failed read that drops the connection.
    const replaced = await attempt("/top.txt", () => {
      Deno.removeSync(`${www}/top.txt`);
      Deno.mkdirSync(`${www}/top.txt`);
    });
    equal(replaced[0], 404);
    Deno.removeSync(`${www}/top.txt`);
    await Deno.writeTextFile(`${www}/top.txt`, "top");
    // A folder swapped for a link out between its check and its reading:
    // where folders are read without following links, its listing does
    // not show the outside folder's names (elsewhere it could); serve's
    // own listings (rich, JSON, dot names hidden) neither.
    if (nodeOpenWorks()) {
      const listers: [HostingOptions, RequestInit][] = [
        [{}, {}],
        [{ listing: "rich" }, {}],
        [{ listing: "rich" }, { headers: { Accept: "application/json" } }],
        [{ hide_dotfiles: true }, {}],
      ];
      for (const [options, init] of listers) {
        await using lister = hookedServer(
          www,
          false,
          HostingHTTPRequestHandler,
          options,
        );
        const what = `/sub/ listed by ${JSON.stringify([options, init])}`;
        const [status, text] = await lister.attempt("/sub/", () => {
          Deno.renameSync(`${www}/sub`, `${www}/sub.away`);
          Deno.symlinkSync(`${root}/outside/sub`, `${www}/sub`);
        }, init);
        Deno.removeSync(`${www}/sub`);
        Deno.renameSync(`${www}/sub.away`, `${www}/sub`);
        ok(!text.includes("secret"), what);
        equal(status, 404, what);
        const again = await fetch(`${lister.base}/sub/`, init);
        equal(again.status, 200, what);
        ok((await again.text()).includes("deeper"), what);
      }
    }
    // Swapped during the check itself, between the lstat of a folder on
    // the way and that of the file below it: the check then saw the
    // outside file, and only the open (or a look after it) can tell.
    const lstatSync = Deno.lstatSync;
    let armed = true;
    Deno.lstatSync = (path: string | URL) => {
      const info = lstatSync(path);
      if (armed && path === `${www}/sub`) {
        armed = false;
        Deno.renameSync(`${www}/sub`, `${www}/sub.away`);
        Deno.symlinkSync(`${root}/outside/sub`, `${www}/sub`);
      }
      return info;
    };
    try {
      const res = await fetch(`${base}/sub/deeper/low.txt`);
      const text = await res.text();
      ok(!armed, "the swap happened");
      ok(!text.includes("secret"), "swapped during the check");
      equal(res.status, 404, "swapped during the check");
    } finally {
      Deno.lstatSync = lstatSync;
      Deno.removeSync(`${www}/sub`);
      Deno.renameSync(`${www}/sub.away`, `${www}/sub`);
    }
    equal(await fetchOk(`${base}/sub/deeper/low.txt`), "low");
  },
});

Deno.test({
  name:
    "a FIFO swapped in between the check and the open stalls no other request (links followed or not)",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    for (const follow_symlinks of [false, true]) {
      await using server = hookedServer(www, follow_symlinks);
      const fifo = `${www}/top.txt`;
      const answer = server.attempt("/top.txt", () => {
        Deno.renameSync(fifo, `${fifo}.away`);
        const made = new Deno.Command("mkfifo", { args: [fifo] }).outputSync();
        equal(made.code, 0);
      });
      equal(await fetchOk(`${server.base}/sub/deeper/low.txt`), "low");
      // An open that waits for a writer (the fallback's, on a worker
      // thread) ends once there is one; opening for both never blocks.
      Deno.openSync(fifo, { read: true, write: true }).close();
      equal((await answer)[0], 404, `follow_symlinks: ${follow_symlinks}`);
      Deno.removeSync(fifo);
      Deno.renameSync(`${fifo}.away`, fifo);
    }
  },
});

/**
 * A server on `www` whose `attempt(path, act)` GETs `path` with `act` done
 * between its check and its open (or the reading of its folder).
 */
function hookedServer(
  www: string,
  follow_symlinks = false,
  Base: typeof SimpleHTTPRequestHandler = SimpleHTTPRequestHandler,
  options: HostingOptions = {},
) {
  /** Done once by the next request, after its check, before the open. */
  let between: (() => void) | null = null;
  const actBetween = () => {
    const act = between;
    between = null;
    act?.();
  };
  // guess_type runs after send_head's check and before the file is
  // opened; list_directory, before the folder is read.
  class Hooked extends Base {
    override log_message(): void {}
    override guess_type(path: string): string {
      actBetween();
      return super.guess_type(path);
    }
    override list_directory(path: string) {
      actBetween();
      return super.list_directory(path);
    }
  }
  const server = new ThreadingHTTPServer(
    ["127.0.0.1", 0],
    Hooked.partial({ ...options, directory: www, follow_symlinks }),
  );
  void server.serve_forever(0.05);
  const base = `http://127.0.0.1:${server.server_port}`;
  return {
    base,
    async attempt(path: string, act: () => void, init: RequestInit = {}) {
      between = act;
      const res = await fetch(base + path, init);
      const text = await res.text();
      equal(between, null, "the hook ran");
      return [res.status, text] as const;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await server[Symbol.asyncDispose]();
    },
  };
}

async function fetchOk(url: string): Promise<string> {
  const res = await fetch(url);
  equal(res.status, 200, url);
  return await res.text();
}

Deno.test({
  name:
    "the swap cases also hold where files are opened by name (child deno test --deny-ffi)",
  ignore: !POSIX || !nodeOpenWorks(),
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "-A",
        "--deny-ffi",
        "--filter",
        "swapped in between the check and the open",
        new URL(import.meta.url).pathname,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
      // A stalled server would stall the child for good.
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    equal(out.code, 0, text);
    ok(/ok \| 2 passed/.test(text), text);
  },
});

Deno.test({
  name:
    "serve's own listings (rich, JSON, dot names hidden) link names that are not UTF-8 as Python's does, and tell nothing of a link's target outside the folder",
  // Names that are not UTF-8 are reached through the C library on Linux.
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using site = await tree();
    const { www } = site;
    // caf\xe9.txt: a Latin-1 name, which Deno's own readDir turns into
    // U+FFFD (Deno cannot make it either: the shell does).
    const made = new Deno.Command("sh", {
      args: [
        "-c",
        'printf latin > "$(printf "$1")"',
        "sh",
        `${www}/caf\\351.txt`,
      ],
    }).outputSync();
    equal(made.code, 0);
    const listers: [HostingOptions, RequestInit][] = [
      [{ listing: "rich" }, {}],
      [{ listing: "rich" }, { headers: { Accept: "application/json" } }],
      [{ hide_dotfiles: true }, {}],
    ];
    for (const [options, init] of listers) {
      const handle = createFetchHandler(
        Quiet.partial({ directory: www, ...options }),
      );
      const what = JSON.stringify([options, init]);
      const text = await (await handle(new Request("http://h/", init))).text();
      // Python's link: the name's bytes, escaped as surrogates, quoted.
      ok(text.includes("caf%ED%B3%A9.txt"), what);
      const file = await handle(new Request("http://h/caf%ED%B3%A9.txt"));
      equal(await file.text(), "latin", what);
    }
    // out.txt leads out of the folder (404 when asked for): the JSON
    // listing gives neither its size nor its date nor its kind.
    const json = await (await createFetchHandler(
      Quiet.partial({ directory: www, listing: "rich" }),
    )(new Request("http://h/", { headers: { Accept: "application/json" } })))
      .json() as { name: string; type: string; size: number | null }[];
    const out = json.find((entry) => entry.name === "out.txt");
    equal(out?.type, "other");
    equal(out?.size, null);
    const inside = json.find((entry) => entry.name === "alias");
    equal(inside?.type, "directory");
  },
});

class Quiet extends HostingHTTPRequestHandler {
  override log_message(): void {}
}

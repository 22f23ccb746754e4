/**
 * `LiveReload` (serve --watch) on real folders and real watchers: what it
 * watches, what it reports and how a burst settles; and the folder walk
 * behind it.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { LiveReload } from "../../http_server/live_reload.ts";
import { watchedFolders } from "../../http_server/_watched_folders.ts";
import { within } from "../_server.ts";

Deno.test("LiveReload: a build writing files for most of a second sends one change, not one per 100 ms", async () => {
  const dir = await Deno.makeTempDir();
  const live = new LiveReload(dir);
  try {
    const sent: (readonly string[])[] = [];
    live.subscribe((paths) => sent.push(paths));
    await new Promise((r) => setTimeout(r, 200)); // let the watcher start
    // A loaded machine may pause the writes for over the 100 ms a burst
    // settles in: each such pause may end a batch, so they are counted.
    let pauses = 0;
    let last = performance.now();
    for (let i = 0; i < 30; i++) {
      await Deno.writeTextFile(`${dir}/f${i}.js`, "x");
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now();
      if (now - last > 90) pauses++;
      last = now;
    }
    await new Promise((r) => setTimeout(r, 500));
    // One batch (and one more per pause); sending every 100 ms made 6 or
    // more on a quiet machine.
    ok(sent.length <= 1 + pauses, `${pauses} pauses: ${JSON.stringify(sent)}`);
    equal(new Set(sent.flat()).size, 30);
  } finally {
    live.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("watchedFolders: folders only, not through links, not hidden, not unreadable ones; the root's own failure throws", () => {
  const entry = (name: string, isDirectory = true) => ({ name, isDirectory });
  const tree: Record<string, Error | ReturnType<typeof entry>[]> = {
    "/s": [
      entry("a"),
      entry("link", false), // a link to a folder: not a directory entry
      entry("page.html", false),
      entry(".git"),
      entry("locked"),
      entry("gone"),
    ],
    "/s/a": [entry("b")],
    "/s/a/b": [],
    "/s/locked": new Deno.errors.PermissionDenied("locked"),
    "/s/gone": new Deno.errors.NotFound("gone"),
  };
  const listed: string[] = [];
  const list = (path: string) => {
    listed.push(path);
    const found = tree[path];
    if (found instanceof Error) throw found;
    if (found === undefined) throw new Error(`listed ${path}`);
    return found;
  };
  deepEqual(watchedFolders("/s", list).sort(), ["/s", "/s/a", "/s/a/b"]);
  deepEqual(listed.sort(), ["/s", "/s/a", "/s/a/b", "/s/gone", "/s/locked"]);
  tree["/t/"] = [entry("x")];
  tree["/t/x"] = [];
  deepEqual(watchedFolders("/t/", list), ["/t/", "/t/x"]);
  throws(() => watchedFolders("/s/locked", list), Deno.errors.PermissionDenied);
  tree["/s/a"] = new Error("EIO");
  throws(() => watchedFolders("/s", list), /EIO/);
});

/**
 * A LiveReload on a new folder that `setup` fills, and a wait for the
 * first report naming a path.
 */
async function watching(
  setup: (dir: string) => Promise<void>,
  test: (
    dir: string,
    live: LiveReload,
    reported: (path: string) => Promise<void>,
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  await setup(dir);
  const live = new LiveReload(dir);
  const seen = new Set<string>();
  const waiters = new Set<() => void>();
  live.subscribe((paths) => {
    for (const path of paths) seen.add(path);
    for (const wake of waiters) wake();
  });
  const reported = async (path: string): Promise<void> => {
    const deadline = Date.now() + 3_000;
    while (!seen.has(path)) {
      const left = deadline - Date.now();
      ok(left > 0, `${path} not reported; got ${JSON.stringify([...seen])}`);
      let wake = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        waiters.add(wake);
        timer = setTimeout(resolve, left);
      });
      waiters.delete(wake);
      clearTimeout(timer);
    }
  };
  try {
    await new Promise((r) => setTimeout(r, 100)); // let the watcher start
    await test(dir, live, reported);
  } finally {
    live.close();
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await Deno.chmod(`${dir}/${entry.name}`, 0o700);
    }
    await Deno.remove(dir, { recursive: true });
  }
}

/** Resolves with the next report of `live` that names `path` (3 s at most). */
function nextReportOf(live: LiveReload, path: string): Promise<void> {
  let unsubscribe = () => {};
  const report = new Promise<void>((resolve) => {
    unsubscribe = live.subscribe((paths) => {
      if (paths.includes(path)) resolve();
    });
  });
  return within(report, 3_000, `a report of ${path}`).finally(unsubscribe);
}

Deno.test("LiveReload: a link to / in the folder is not followed: it starts (watching all of / fails) and still reports the folder's changes", async () => {
  await watching(
    (dir) => Deno.symlink("/", `${dir}/rootlink`),
    async (dir, _live, reported) => {
      await Deno.writeTextFile(`${dir}/page.html`, "x");
      await reported("page.html");
    },
  );
});

Deno.test({
  name:
    "LiveReload: a folder it cannot read is not watched, and changes elsewhere are reported",
  // Mode 000 does not stop root (nor apply on Windows).
  ignore: Deno.build.os === "windows" || Deno.uid() === 0,
  fn: async () => {
    await watching(
      async (dir) => {
        await Deno.mkdir(`${dir}/locked`);
        await Deno.mkdir(`${dir}/open`);
        await Deno.chmod(`${dir}/locked`, 0o000);
      },
      async (dir, _live, reported) => {
        await Deno.writeTextFile(`${dir}/open/page.html`, "x");
        await reported("open/page.html");
      },
    );
  },
});

Deno.test("LiveReload: a folder made after the start is watched: a file written in it (or in one under it) is reported", async () => {
  await watching(async () => {}, async (dir, live, reported) => {
    await Deno.mkdir(`${dir}/new/deeper`, { recursive: true });
    await reported("new");
    await Deno.writeTextFile(`${dir}/new/page.html`, "x");
    await reported("new/page.html");
    await Deno.writeTextFile(`${dir}/new/deeper/page.html`, "x");
    await reported("new/deeper/page.html");
    // Made again under a name that went, it is watched again. The folder
    // is watched before its making is reported (the report waits for the
    // burst to settle), so the write waits for that report: a fixed sleep
    // lost the race on a loaded machine.
    const removed = nextReportOf(live, "new");
    await Deno.remove(`${dir}/new`, { recursive: true });
    await removed;
    const madeAgain = nextReportOf(live, "new");
    await Deno.mkdir(`${dir}/new`);
    await madeAgain;
    await Deno.writeTextFile(`${dir}/new/again.html`, "x");
    await reported("new/again.html");
  });
});

Deno.test("LiveReload: folders made in a burst (an unpacked archive, a checkout) are all watched, not only those whose making was seen", async () => {
  await watching(async () => {}, async (dir, _live, reported) => {
    // Made while the watcher was being replaced for the first of them,
    // about half went unwatched: changes in them never reloaded a page.
    const count = 200;
    for (let i = 0; i < count; i++) Deno.mkdirSync(`${dir}/d${i}`);
    for (let i = 0; i < count; i++) await reported(`d${i}`);
    for (let i = 0; i < count; i++) {
      Deno.writeTextFileSync(`${dir}/d${i}/page.html`, "x");
    }
    for (let i = 0; i < count; i++) await reported(`d${i}/page.html`);
  });
});

Deno.test("LiveReload: close() after watching a new folder stops everything (the sanitizers see no watcher left)", async () => {
  await watching(async () => {}, async (dir, live, reported) => {
    await Deno.mkdir(`${dir}/new`);
    await reported("new");
    let ended = false;
    let calls = 0;
    live.subscribe(() => calls++, () => ended = true);
    live.close();
    ok(live.closed && ended);
    await Deno.mkdir(`${dir}/new/later`);
    await Deno.writeTextFile(`${dir}/new/later/page.html`, "x");
    await new Promise((r) => setTimeout(r, 200));
    equal(calls, 0);
  });
});

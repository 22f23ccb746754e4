/**
 * `LiveReload` (serve --watch) on real folders and real watchers: what it
 * watches, what it reports and how a burst settles; and the folder walk
 * behind it.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { LiveReload } from "../../http_server/live_reload.ts";
import {
  inFolders,
  MAX_EXTRA_FOLDERS,
  MAX_EXTRA_WATCHERS,
  MAX_WATCHERS,
  nextStep,
  type OpenWatch,
  sortFound,
} from "../../http_server/_watch_plan.ts";
import {
  newFoldersUnder,
  unknownSubfolders,
  watchedFolders,
} from "../../http_server/_watched_folders.ts";
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

/**
 * Counts, until `restore()`, the `Deno.watchFs` watchers open (and the
 * most open at once) and the folders listed with `Deno.readDirSync` (what
 * the walk lists with): the calls LiveReload makes, not its own account of
 * them. Test files run in workers of their own, so no other file sees it.
 */
function countCalls() {
  const { watchFs, readDirSync } = Deno;
  const counts = {
    open: 0,
    most: 0,
    listed: 0,
    /** The folders listed (as the walk spells them), each once. */
    paths: new Set<string>(),
    /** Forgets the folders listed so far (the walk at the start). */
    forgetListed() {
      counts.listed = 0;
      counts.paths.clear();
    },
    restore() {
      Object.assign(Deno, { watchFs, readDirSync });
    },
  };
  Deno.watchFs = (paths, options) => {
    const watcher = watchFs(paths, options);
    counts.most = Math.max(counts.most, ++counts.open);
    const close = watcher.close.bind(watcher);
    let closed = false;
    watcher.close = () => {
      if (!closed) counts.open--;
      closed = true;
      close();
    };
    return watcher;
  };
  Deno.readDirSync = (path) => {
    counts.listed++;
    counts.paths.add(String(path));
    return readDirSync(path);
  };
  return counts;
}

/** {@linkcode watching}, with the calls it makes counted from the start. */
async function watchingCounted(
  setup: (dir: string) => Promise<void>,
  test: (
    dir: string,
    reported: (path: string) => Promise<void>,
    counts: ReturnType<typeof countCalls>,
  ) => Promise<void>,
): Promise<void> {
  const counts = countCalls();
  try {
    await watching(setup, (dir, _, reported) => test(dir, reported, counts));
  } finally {
    counts.restore();
  }
}

/** Makes `count` folders `t0`, `t1`… in `dir`: a folder bigger than a new one. */
function makeFolders(dir: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) Deno.mkdirSync(`${dir}/t${i}`);
  return Promise.resolve();
}

Deno.test("LiveReload: a folder made in a big folder is watched by walking just it, not the whole folder again", async () => {
  await watchingCounted(
    (dir) => makeFolders(dir, 300),
    async (dir, reported, counts) => {
      // Each new folder made the whole folder be walked again (twice and
      // more) and every watch be added again: with 10,000 folders, 50 new
      // ones 20 ms apart blocked the event loop for over 2 s.
      counts.forgetListed();
      await Deno.mkdir(`${dir}/new/deeper`, { recursive: true });
      await reported("new");
      await Deno.writeTextFile(`${dir}/new/deeper/page.html`, "x");
      await reported("new/deeper/page.html");
      ok(counts.listed < 20, `${counts.listed} folders listed`);
      ok(!counts.paths.has(`${dir}/t0`));
      await Deno.writeTextFile(`${dir}/t299/page.html`, "x");
      await reported("t299/page.html");
    },
  );
});

Deno.test("LiveReload: folders made in many separate bursts are watched with a bounded number of watchers, without walking the whole folder again", async () => {
  await watchingCounted(
    (dir) => makeFolders(dir, 300),
    async (dir, reported, counts) => {
      counts.forgetListed();
      const bursts = 3 * MAX_EXTRA_WATCHERS;
      for (let i = 0; i < bursts; i++) {
        await Deno.mkdir(`${dir}/s${i}/inner`, { recursive: true });
        await reported(`s${i}`);
      }
      for (let i = 0; i < bursts; i++) {
        await Deno.writeTextFile(`${dir}/s${i}/inner/page.html`, "x");
      }
      for (let i = 0; i < bursts; i++) await reported(`s${i}/inner/page.html`);
      ok(counts.most <= MAX_WATCHERS, `${counts.most} watchers at once`);
      ok(counts.listed < 300, `${counts.listed} folders listed`);
      ok(!counts.paths.has(`${dir}/t0`));
      await Deno.writeTextFile(`${dir}/t0/page.html`, "x");
      await reported("t0/page.html");
    },
  );
});

Deno.test("LiveReload: a burst of nested folders (200, three deep, made at once) are all watched, within the bound on watchers", async () => {
  await watchingCounted(async () => {}, async (dir, reported, counts) => {
    const count = 200;
    for (let i = 0; i < count; i++) {
      Deno.mkdirSync(`${dir}/b${i}/x/y`, { recursive: true });
    }
    for (let i = 0; i < count; i++) await reported(`b${i}/x/y`);
    for (let i = 0; i < count; i++) {
      Deno.writeTextFileSync(`${dir}/b${i}/x/y/page.html`, "x");
    }
    for (let i = 0; i < count; i++) await reported(`b${i}/x/y/page.html`);
    ok(counts.most <= MAX_WATCHERS, `${counts.most} watchers at once`);
  });
});

Deno.test("LiveReload: past the bound on the extra watchers' folders, everything is watched again by one watcher, and stays watched", async () => {
  await watchingCounted(
    (dir) => makeFolders(dir, 300),
    async (dir, reported, counts) => {
      counts.forgetListed();
      // Bursts of 200 new folders: the last passes MAX_EXTRA_FOLDERS.
      const bursts = Math.floor(MAX_EXTRA_FOLDERS / 200) + 1;
      for (let b = 0; b < bursts; b++) {
        for (let i = 0; i < 200; i++) Deno.mkdirSync(`${dir}/n${b}-${i}`);
        for (let i = 0; i < 200; i++) await reported(`n${b}-${i}`);
      }
      // The whole folder was walked again: the consolidation ran.
      ok(counts.paths.has(`${dir}/t0`));
      ok(counts.most <= MAX_WATCHERS, `${counts.most} watchers at once`);
      const pages = ["t0", "t299", "n0-0", "n0-199", `n${bursts - 1}-199`];
      for (const folder of pages) {
        await Deno.writeTextFile(`${dir}/${folder}/page.html`, "x");
      }
      for (const folder of pages) await reported(`${folder}/page.html`);
    },
  );
});

Deno.test("LiveReload: a folder there from the start, removed and made again, is watched again", async () => {
  // Deno watches a path only when the first watcher listing it does: the
  // one over the whole folder still lists it, so it has to be replaced.
  await watching(async (dir) => {
    await Deno.mkdir(`${dir}/dist/js`, { recursive: true });
  }, async (dir, live, reported) => {
    const removed = nextReportOf(live, "dist");
    await Deno.remove(`${dir}/dist`, { recursive: true });
    await removed;
    const madeAgain = nextReportOf(live, "dist/js");
    await Deno.mkdir(`${dir}/dist/js`, { recursive: true });
    await madeAgain;
    await Deno.writeTextFile(`${dir}/dist/index.html`, "x");
    await Deno.writeTextFile(`${dir}/dist/js/app.js`, "x");
    await reported("dist/index.html");
    await reported("dist/js/app.js");
  });
});

Deno.test("LiveReload: a folder removed and made again at once (its removal's event comes when it is there again) is watched again", async () => {
  await watching(async (dir) => {
    await Deno.mkdir(`${dir}/dist/js`, { recursive: true });
  }, async (dir, _live, reported) => {
    // Nothing is read in between: the removal's event found a folder
    // there, so the folder was not forgotten and never watched again.
    Deno.removeSync(`${dir}/dist`, { recursive: true });
    Deno.mkdirSync(`${dir}/dist/js`, { recursive: true });
    await reported("dist/js");
    await Deno.writeTextFile(`${dir}/dist/js/app.js`, "x");
    await reported("dist/js/app.js");
  });
});

Deno.test("LiveReload: a folder renamed away and made again under its old name, with what was under it, is watched again; so is the renamed one", async () => {
  await watching(async (dir) => {
    await Deno.mkdir(`${dir}/site/js`, { recursive: true });
  }, async (dir, _live, reported) => {
    // No event names `site/js` when `site` goes: it was still taken for
    // watched, so the one made again was not.
    Deno.renameSync(`${dir}/site`, `${dir}/old`);
    Deno.mkdirSync(`${dir}/site/js`, { recursive: true });
    await reported("site/js");
    await Deno.writeTextFile(`${dir}/site/js/app.js`, "x");
    await reported("site/js/app.js");
    await Deno.writeTextFile(`${dir}/old/js/app.js`, "x");
    await reported("old/js/app.js");
  });
});

Deno.test("LiveReload: removing a folder watched by an extra watcher does not stop reports elsewhere", async () => {
  await watching((dir) => makeFolders(dir, 3), async (dir, live, reported) => {
    for (const name of ["one", "two"]) {
      await Deno.mkdir(`${dir}/${name}/inner`, { recursive: true });
      await reported(name);
    }
    const removed = nextReportOf(live, "one");
    await Deno.remove(`${dir}/one`, { recursive: true });
    await removed;
    for (const folder of ["two", "two/inner", "t1", ""]) {
      await Deno.writeTextFile(`${dir}/${folder}/after.html`, "x");
    }
    for (const folder of ["two/", "two/inner/", "t1/", ""]) {
      await reported(`${folder}after.html`);
    }
  });
});

Deno.test("LiveReload: a burst too big for Deno's event queue (events dropped) still gets its folders watched", async () => {
  await watching(async () => {}, async (dir, _, reported) => {
    // Nothing is read while this runs: past 1,024 events queued, Deno drops
    // the rest (the making of `lost` with them) and says to rescan.
    for (let i = 0; i < 1_500; i++) Deno.writeTextFileSync(`${dir}/f${i}`, "x");
    Deno.mkdirSync(`${dir}/lost/inner`, { recursive: true });
    const until = performance.now() + 200; // the backlog reaches the queue
    while (performance.now() < until) { /* hold the event loop */ }
    await reported("lost/inner");
    await Deno.writeTextFile(`${dir}/lost/inner/page.html`, "x");
    await reported("lost/inner/page.html");
  });
});

Deno.test("newFoldersUnder and unknownSubfolders list only the subtrees asked for, leave out known folders, links and hidden ones", () => {
  const entry = (name: string, isDirectory = true) => ({ name, isDirectory });
  const tree: Record<string, ReturnType<typeof entry>[]> = {
    "/s/new": [entry("a"), entry(".hidden"), entry("link", false)],
    "/s/new/a": [entry("b"), entry("old")],
    "/s/new/a/b": [],
    "/s/new/a/old": [],
    "/s/other": [],
  };
  const listed: string[] = [];
  const list = (path: string) => {
    listed.push(path);
    const found = tree[path];
    if (found === undefined) throw new Deno.errors.NotFound(path);
    return found;
  };
  const known = new Set(["/s", "/s/new/a/old"]);
  // A root inside another root's subtree is not walked twice; one gone
  // gives nothing.
  deepEqual(
    newFoldersUnder(["/s/new", "/s/new/a", "/s/gone"], known, list).sort(),
    ["/s/new", "/s/new/a", "/s/new/a/b"],
  );
  deepEqual(listed.sort(), [
    "/s/gone",
    "/s/new",
    "/s/new/a",
    "/s/new/a/b",
    "/s/new/a/old",
  ]);
  listed.length = 0;
  known.add("/s/new/a");
  deepEqual(unknownSubfolders(["/s/new", "/s/gone"], known, list), []);
  deepEqual(unknownSubfolders(["/s/new/a"], known, list), ["/s/new/a/b"]);
  deepEqual(listed, ["/s/new", "/s/gone", "/s/new/a"]);
});

Deno.test("watch plan: add an extra watcher, merge them past the bound, watch everything again past the folders' bound or for one the whole watcher lists", () => {
  const watch = (whole: boolean, ...folders: string[]): OpenWatch => ({
    whole,
    folders: new Set(folders),
  });
  const whole = watch(true, "/s", "/s/dist");
  const extra = watch(false, "/s/new");
  // Listed by an open watcher: made again, it waits for that one to close.
  deepEqual(sortFound(["/s/dist", "/s/new", "/s/b"], [whole, extra]), {
    fresh: ["/s/b"],
    stale: ["/s/dist", "/s/new"],
  });
  const found = (fresh: string[], stale: string[] = []) => ({ fresh, stale });
  equal(nextStep([whole], found([])), "none");
  equal(nextStep([whole], found(["/s/a"])), "add");
  const extras = Array.from(
    { length: MAX_EXTRA_WATCHERS },
    (_, i) => watch(false, `/s/e${i}`),
  );
  equal(nextStep([whole, ...extras.slice(1)], found(["/s/a"])), "add");
  equal(nextStep([whole, ...extras], found(["/s/a"])), "merge");
  equal(nextStep([whole, extra], found([], ["/s/new"])), "merge");
  equal(nextStep([whole, extra], found([], ["/s/dist"])), "consolidate");
  const many = Array.from({ length: MAX_EXTRA_FOLDERS }, (_, i) => `/s/m${i}`);
  equal(nextStep([whole], found(many)), "add");
  equal(nextStep([whole], found([...many, "/s/one-more"])), "consolidate");
  equal(
    nextStep([whole, watch(false, ...many)], found(["/s/a"])),
    "consolidate",
  );
});

Deno.test("watch plan: a watcher keeps the events in or of the folders it was given, not those deeper or elsewhere", () => {
  const folders = new Set(["/s/new", "/s/new/a", "/"]);
  ok(inFolders(folders, "/s/new"));
  ok(inFolders(folders, "/s/new/page.html"));
  ok(inFolders(folders, "/s/new/a/b"));
  ok(!inFolders(folders, "/s/new/a/b/page.html"));
  ok(!inFolders(folders, "/s/other/page.html"));
  ok(!inFolders(folders, "/s/newer"));
  ok(inFolders(folders, "/top")); // in `/`
  const windows = new Set(["C:\\", "C:\\site"]);
  ok(inFolders(windows, "C:\\page.html"));
  ok(inFolders(windows, "C:\\site\\page.html"));
  ok(!inFolders(windows, "C:\\site\\sub\\page.html"));
});

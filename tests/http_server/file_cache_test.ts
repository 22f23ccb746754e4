/**
 * FileCache in process: hits are real (counted), every kind of change is
 * served fresh on the very next request, conditional and partial requests
 * are answered from memory, the budget holds, and the symlink rules stay as
 * strict as without the cache.
 */
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import {
  FileCache,
  HTTPServer,
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";
import {
  CacheStore,
  LUCKY_ADMISSION,
  pinFile,
  POPULAR_ENOUGH,
  storeFile,
  unpinFile,
} from "../../http_server/_file_cache.ts";
import {
  listingPage,
  lookupListing,
  storeListing,
} from "../../http_server/_listing_cache.ts";
import { get, settle } from "./_cache_tree.ts";

const POSIX = Deno.build.os !== "windows";
const LINUX = Deno.build.os === "linux";

class Quiet extends SimpleHTTPRequestHandler {
  override log_message(): void {}
}

async function withServer(
  options: SimpleHTTPRequestHandlerOptions,
  fn: (base: string) => Promise<void>,
  Server: typeof HTTPServer = HTTPServer,
): Promise<void> {
  await using server = new Server(["127.0.0.1", 0], Quiet.partial(options));
  const done = server.serve_forever();
  try {
    await fn(`http://127.0.0.1:${server.server_port}`);
  } finally {
    await server.shutdown();
    await done;
  }
}

async function tempTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "pyport_cache_" });
  await Deno.mkdir(`${root}/www/list`, { recursive: true });
  return root;
}

/** `a.txt` and `b.txt` (1,000 bytes of their letter) in `root/www`, settled. */
async function twoSettledFiles(root: string): Promise<string> {
  const dir = `${root}/www`;
  await Deno.writeTextFile(`${dir}/a.txt`, "a".repeat(1000));
  await Deno.writeTextFile(`${dir}/b.txt`, "b".repeat(1000));
  await settle(`${dir}/a.txt`, `${dir}/b.txt`);
  return dir;
}

Deno.test("FileCache: bad bounds are refused", () => {
  throws(() => new FileCache({ max_bytes: -1 }), RangeError);
  throws(() => new FileCache({ max_entries: 1.5 }), RangeError);
  throws(
    // @ts-expect-error: a string where a number belongs
    () => new FileCache({ max_file_size: "64k" }),
    TypeError,
  );
  deepEqual(new FileCache({ max_entries: 3 }).cache_info(), {
    hits: 0,
    misses: 0,
    entries: 0,
    bytes: 0,
    max_entries: 3,
    max_bytes: 32 * 1024 * 1024,
  });
});

Deno.test({
  name: "FileCache: every change is served fresh on the very next request",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const www = `${root}/www`;
    const names = ["grow", "same", "restored", "renamed", "deleted"];
    for (const name of names) {
      await Deno.writeTextFile(`${www}/${name}.txt`, "v1-aaaa");
    }
    await settle(...names.map((n) => `${www}/${n}.txt`));
    const cache = new FileCache();
    await withServer({ directory: www, cache }, async (base) => {
      // Two requests each: the first fills the cache, the second is a hit.
      for (const name of names) {
        equal((await get(`${base}/${name}.txt`)).text, "v1-aaaa");
        equal((await get(`${base}/${name}.txt`)).text, "v1-aaaa");
      }
      equal(
        cache.cache_info().hits,
        names.length,
        "the second requests were hits",
      );
      const before = Deno.statSync(`${www}/restored.txt`);

      // Each change right after the hit: within the same second as it.
      await Deno.writeTextFile(`${www}/grow.txt`, "v2-bbbbbbbb");
      equal((await get(`${base}/grow.txt`)).text, "v2-bbbbbbbb");

      await Deno.writeTextFile(`${www}/same.txt`, "v2-bbbb");
      equal((await get(`${base}/same.txt`)).text, "v2-bbbb");

      // Same size, and the modification time put back (touch -d, cp -p).
      await Deno.writeTextFile(`${www}/restored.txt`, "v2-bbbb");
      await Deno.utime(`${www}/restored.txt`, before.atime!, before.mtime!);
      equal(
        Deno.statSync(`${www}/restored.txt`).mtime?.getTime(),
        before.mtime?.getTime(),
      );
      equal((await get(`${base}/restored.txt`)).text, "v2-bbbb");

      await Deno.writeTextFile(`${root}/new.txt`, "v2-bbbb");
      await Deno.rename(`${root}/new.txt`, `${www}/renamed.txt`);
      equal((await get(`${base}/renamed.txt`)).text, "v2-bbbb");

      await Deno.remove(`${www}/deleted.txt`);
      equal((await get(`${base}/deleted.txt`)).status, 404);

      // A second same-size rewrite within the same second as the first,
      // mtime put back: the stamp cannot tell them apart, so a file changed
      // this recently must not have been cached.
      const v2 = Deno.statSync(`${www}/same.txt`);
      await Deno.writeTextFile(`${www}/same.txt`, "v3-cccc");
      await Deno.utime(`${www}/same.txt`, v2.atime!, v2.mtime!);
      equal((await get(`${base}/same.txt`)).text, "v3-cccc");
    });
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name:
    "FileCache: listings follow entries added, removed and links retargeted",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const list = `${root}/www/list`;
    await Deno.writeTextFile(`${list}/a.txt`, "a");
    await Deno.mkdir(`${root}/target`);
    await Deno.symlink(`${root}/target`, `${list}/link`);
    await settle(list, `${list}/a.txt`);
    const cache = new FileCache();
    await withServer(
      { directory: `${root}/www`, cache, follow_symlinks: true },
      async (base) => {
        const page = async () => (await get(`${base}/list/`)).text;
        match(await page(), /href="a\.txt"/);
        const hits = cache.cache_info().hits;
        match(await page(), /href="link\/">link@</);
        equal(
          cache.cache_info().hits,
          hits + 1,
          "the second listing was a hit",
        );

        await Deno.writeTextFile(`${list}/b.txt`, "b");
        match(await page(), /href="b\.txt"/);

        await Deno.remove(`${list}/a.txt`);
        equal((await page()).includes("a.txt"), false);

        // The folder itself does not change when a link's target does.
        await settle(list);
        await page();
        await Deno.remove(`${root}/target`);
        await Deno.writeTextFile(`${root}/target`, "now a file");
        match(await page(), /href="link">link@</);

        // An index page appearing turns the listing into that page.
        await Deno.writeTextFile(`${list}/index.html`, "<p>index</p>");
        equal(await page(), "<p>index</p>");
      },
    );
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name:
    "FileCache: HEAD, Range, If-None-Match and If-Modified-Since from memory",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const path = `${root}/www/data.txt`;
    await Deno.writeTextFile(path, "0123456789");
    await settle(path);
    const cache = new FileCache();
    await withServer({ directory: `${root}/www`, cache }, async (base) => {
      const url = `${base}/data.txt`;
      const full = await get(url);
      const etag = full.headers.get("etag")!;
      match(etag, /^"[0-9a-f]+-a-[0-9a-f]+-[0-9a-f]+"$/);
      const lastModified = full.headers.get("last-modified")!;
      const hits = cache.cache_info().hits;

      const head = await get(url, { method: "HEAD" });
      equal(head.status, 200);
      equal(head.headers.get("content-length"), "10");
      equal(head.headers.get("etag"), etag);
      equal(head.text, "");

      const part = await get(url, { headers: { Range: "bytes=2-4" } });
      equal(part.status, 206);
      equal(part.text, "234");
      equal(part.headers.get("content-range"), "bytes 2-4/10");

      equal((await get(url, { headers: { Range: "bytes=99-" } })).status, 416);
      equal(
        (await get(url, { headers: { "If-None-Match": etag } })).status,
        304,
      );
      equal(
        (await get(url, { headers: { "If-Modified-Since": lastModified } }))
          .status,
        304,
      );
      const ifRange = await get(url, {
        headers: { Range: "bytes=0-0", "If-Range": '"other"' },
      });
      equal(ifRange.status, 200);
      equal(cache.cache_info().hits, hits + 6, "all answered from memory");

      // The old validator no longer matches once the bytes change.
      await Deno.writeTextFile(path, "abcdefghij");
      const changed = await get(url, { headers: { "If-None-Match": etag } });
      equal(changed.status, 200);
      equal(changed.text, "abcdefghij");
    });
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "FileCache: a file just changed is read from disk, with a content tag",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const path = `${root}/www/fresh.txt`;
    await Deno.writeTextFile(path, "fresh");
    const cache = new FileCache();
    await withServer({ directory: `${root}/www`, cache }, async (base) => {
      const first = await get(`${base}/fresh.txt`);
      const tag = first.headers.get("etag")!;
      match(tag, /^"c-[\w-]{27}"$/);
      await get(`${base}/fresh.txt`);
      equal(cache.cache_info().entries, 0, "not cached while unsettled");
      equal(cache.cache_info().hits, 0);
      // Once settled the file gets its stamp tag, and the content tag the
      // client holds still validates the same bytes.
      await settle(path);
      const later = await get(`${base}/fresh.txt`, {
        headers: { "If-None-Match": tag },
      });
      equal(later.status, 304);
      match(
        later.headers.get("etag") ?? "",
        /^"[0-9a-f]+-5-[0-9a-f]+-[0-9a-f]+"$/,
      );
      equal(cache.cache_info().entries, 1);
    });
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "FileCache: stays within its bounds when the files do not fit",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const www = `${root}/www`;
    const size = 8 * 1024;
    for (let i = 0; i < 40; i++) {
      await Deno.writeFile(`${www}/f${i}.bin`, new Uint8Array(size).fill(i));
    }
    await settle(`${www}/f39.bin`);
    const cache = new FileCache({ max_bytes: 64 * 1024, max_entries: 5 });
    const bySize = new FileCache({ max_bytes: 40 * 1024 });
    for (const c of [cache, bySize]) {
      await withServer({ directory: www, cache: c }, async (base) => {
        for (let i = 0; i < 40; i++) {
          const res = await fetch(`${base}/f${i}.bin`, {
            signal: AbortSignal.timeout(10_000),
          });
          const body = new Uint8Array(await res.arrayBuffer());
          equal(body.length, size);
          equal(body[size - 1], i);
        }
      });
      const info = c.cache_info();
      ok(info.bytes <= info.max_bytes, JSON.stringify(info));
      ok(info.entries <= info.max_entries, JSON.stringify(info));
      ok(info.entries >= 1, "something was cached");
    }
    equal(cache.cache_info().entries, 5);
    equal(bySize.cache_info().entries, 4);
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name:
    "FileCache: once full, a file gets in only when asked for more often than the entry it would replace; the rest are served right from reused buffers",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const www = `${root}/www`;
    const count = 12;
    const sizeOf = (i: number) => 1000 + 97 * i;
    for (let i = 0; i < count; i++) {
      await Deno.writeFile(
        `${www}/f${i}.bin`,
        new Uint8Array(sizeOf(i)).fill(i),
      );
    }
    await settle(`${www}/f${count - 1}.bin`);
    const cache = new FileCache({ max_entries: 4 });
    await withServer({ directory: www, cache }, async (base) => {
      // Four fill the cache; the next eight, each asked for once as often
      // as those, are not taken in: all of f0-f3 are still hits.
      for (let i = 0; i < count; i++) await get(`${base}/f${i}.bin`);
      equal(cache.cache_info().entries, 4);
      equal(cache.cache_info().misses, count);
      for (const i of [0, 1, 2, 3]) await get(`${base}/f${i}.bin`);
      equal(cache.cache_info().hits, 4);
      // Each of f0-f3 was asked for twice: f4 gets in when asked for a
      // third time, in the place of f0, which the clock evicts next (each
      // of f0-f3 lost its mark on the way).
      await get(`${base}/f4.bin`);
      equal(cache.cache_info().hits, 4, "asked for twice, f4 stays out");
      await get(`${base}/f4.bin`);
      await get(`${base}/f4.bin`);
      equal(cache.cache_info().hits, 5);
      for (const i of [1, 2, 3]) await get(`${base}/f${i}.bin`);
      equal(cache.cache_info().hits, 8);
      await get(`${base}/f0.bin`);
      equal(cache.cache_info().hits, 8, "f0 went");
      // Many requests at once, each body read into a pooled buffer: every
      // one must come back whole and its own.
      const bodies = await Promise.all(
        Array.from({ length: 4 * count }, async (_, n) => {
          const i = n % count;
          const res = await fetch(`${base}/f${i}.bin`, {
            signal: AbortSignal.timeout(10_000),
          });
          return [i, new Uint8Array(await res.arrayBuffer())] as const;
        }),
      );
      for (const [i, body] of bodies) {
        equal(body.length, sizeOf(i));
        ok(body.every((byte) => byte === i), `f${i}.bin came back mixed`);
      }
    }, ThreadingHTTPServer);
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "FileCache: symlink and folder boundary rules hold for cached files",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    const www = `${root}/www`;
    await Deno.mkdir(`${www}/sub`);
    await Deno.writeTextFile(`${www}/sub/page.txt`, "inside");
    await Deno.writeTextFile(`${www}/swap.txt`, "inside too");
    await Deno.writeTextFile(`${root}/secret.txt`, "secret");
    await settle(`${www}/sub/page.txt`, `${www}/swap.txt`);
    const cache = new FileCache();
    await withServer({ directory: www, cache }, async (base) => {
      for (let i = 0; i < 2; i++) {
        equal((await get(`${base}/sub/page.txt`)).text, "inside");
        equal((await get(`${base}/swap.txt`)).text, "inside too");
      }
      equal(cache.cache_info().hits, 2);
      // The same (unchanged) file moved out of the folder, a link left in
      // its place: its stamp still matches, but it is outside now.
      await Deno.rename(`${www}/sub`, `${root}/moved-out`);
      await Deno.symlink(`${root}/moved-out`, `${www}/sub`);
      equal((await get(`${base}/sub/page.txt`)).status, 404);
      // A cached name replaced by a link to a file outside.
      await Deno.remove(`${www}/swap.txt`);
      await Deno.symlink(`${root}/secret.txt`, `${www}/swap.txt`);
      equal((await get(`${base}/swap.txt`)).status, 404);
      // Traversal stays refused.
      equal((await get(`${base}/../secret.txt`)).status, 404);
      equal((await get(`${base}/%2e%2e/secret.txt`)).status, 404);
    });
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "FileCache: cache: true shares one default instance; none by default",
  ignore: !POSIX,
  fn() {
    // Constructing a handler does not touch its connection.
    const request = null!;
    const a = new (Quiet.partial({ cache: true }))(
      request,
      ["127.0.0.1", 1],
      null!,
    );
    const b = new (Quiet.partial({ cache: true }))(
      request,
      ["127.0.0.1", 1],
      null!,
    );
    ok(a.cache instanceof FileCache);
    equal(a.cache, b.cache);
    equal(new Quiet(request, ["127.0.0.1", 1], null!).cache, null);
    equal(
      new (Quiet.partial({ cache: false }))(request, ["127.0.0.1", 1], null!)
        .cache,
      null,
    );
  },
});

/**
 * Folder `d` in a new temporary folder (`root`), holding link `name` to
 * `target`; a store for its listing; its stat, and a time after which its
 * stamp counts as settled.
 */
async function folderWithLink(name: string, target: string) {
  const root = await Deno.makeTempDir();
  const folder = `${root}/d`;
  await Deno.mkdir(folder);
  await Deno.symlink(target, `${folder}/${name}`);
  const store = new CacheStore({
    maxBytes: 1 << 20,
    maxEntries: 100,
    maxFileSize: 1 << 16,
  });
  return {
    root,
    folder,
    store,
    info: Deno.statSync(folder),
    later: Date.now() + 5_000,
  };
}

Deno.test({
  name:
    "listing cache: a folder whose index-page link leads to a file is not kept as index-free; a dangling one is re-checked",
  ignore: !LINUX,
  async fn() {
    const { root, folder, store, info, later } = await folderWithLink(
      "index.html",
      "../t/t.html",
    );
    try {
      await Deno.mkdir(`${root}/t`);
      const entries = [{
        name: "index.html",
        isDirectory: false,
        isSymlink: true,
        unreachable: false,
      }];
      const pages = ["index.html", "index.htm"];
      // The link's target appeared after the index was looked for (a race
      // with the request): the listing must not stand for "no index page".
      await Deno.writeTextFile(`${root}/t/t.html`, "index");
      equal(storeListing(store, folder, info, later, entries, pages), null);
      // Dangling when stored: kept, and given up once the target appears.
      await Deno.remove(`${root}/t/t.html`);
      ok(storeListing(store, folder, info, later, entries, pages));
      ok(lookupListing(store, folder, info, pages));
      await Deno.writeTextFile(`${root}/t/t.html`, "index");
      equal(lookupListing(store, folder, info, pages), null);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "listing cache: a link whose target changed kind while the folder was read is not kept as it was shown",
  ignore: !LINUX,
  async fn() {
    const { root, folder, store, info, later } = await folderWithLink(
      "L",
      "../target",
    );
    try {
      await Deno.writeTextFile(`${root}/target`, "a file now");
      const shown = (isDirectory: boolean) => [{
        name: "L",
        isDirectory,
        isSymlink: true,
        unreachable: false,
      }];
      // Read while the target was a folder: shown as one, a file by now.
      equal(storeListing(store, folder, info, later, shown(true), []), null);
      ok(storeListing(store, folder, info, later, shown(false), []));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("listing cache: a page is kept only within the cost counted for it; a file costing more than the budget is not read for the cache", () => {
  const store = new CacheStore({
    maxBytes: 1 << 20,
    maxEntries: 100,
    maxFileSize: 16 << 20,
  });
  const info = Deno.statSync(import.meta.dirname!);
  const later = Date.now() + 5_000;
  const entries = Array.from({ length: 20 }, (_, i) => ({
    name: `${"&".repeat(50)}${i}`,
    isDirectory: false,
    isSymlink: false,
    unreachable: false,
  }));
  const listing = storeListing(store, "/d", info, later, entries, [])!;
  ok(listing);
  ok(listing.cost >= listing.pageAllowance);
  // Escaping makes each '&' eight bytes of page: more than was counted.
  const big = new Uint8Array(listing.pageAllowance + 1);
  const kept = () => listing.page?.bytes ?? null;
  equal(listingPage(listing, "/d/", () => big), big);
  equal(kept(), null);
  const small = new Uint8Array(listing.pageAllowance);
  equal(listingPage(listing, "/d/", () => small), small);
  equal(kept(), small);
  // 8 MiB against a 1 MiB budget: streamed, never read whole to be refused.
  equal(store.admits("/big.bin", 8 << 20), false);
  equal(store.admits("/fits.bin", 512 << 10), true);
});

Deno.test("CacheStore: a popular entry no longer asked for cannot keep a file asked for now out for long", () => {
  const store = new CacheStore({
    maxBytes: 1 << 20,
    maxEntries: 2,
    maxFileSize: 1 << 16,
  });
  const info = Deno.statSync(import.meta.dirname!);
  // Two entries, each asked for as often as counts go (15).
  for (const key of ["/old-a", "/old-b"]) {
    for (let i = 0; i < 20; i++) store.lookup(key, "file", info);
    store.lru.set(key, { kind: "test", stamp: null!, cost: 1 } as never);
  }
  // A new file asked for once is not as popular: kept out.
  store.lookup("/new", "file", info);
  equal(store.admits("/new", 100), false);
  // Asked for again and again, it ties with the victim and gets in by
  // chance, one miss in LUCKY_ADMISSION on average.
  let misses = 1;
  while (!store.admits("/new", 100) && misses < 100 * LUCKY_ADMISSION) {
    store.lookup("/new", "file", info);
    misses++;
  }
  ok(misses >= POPULAR_ENOUGH, `admitted after ${misses} misses`);
  ok(misses < 100 * LUCKY_ADMISSION, "never admitted");
});

Deno.test({
  name:
    "CacheStore: a file's bytes are freed when it leaves the cache, once no response uses them",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    try {
      const path = `${root}/www/a.txt`;
      await Deno.writeTextFile(path, "a".repeat(100));
      const info = await Deno.stat(path);
      // Checked long after the last change: settled, so it may be stored.
      const checkedAt = Date.now() + 10_000;
      const store = new CacheStore({
        maxBytes: 1 << 20,
        maxEntries: 1,
        maxFileSize: 1 << 16,
      });
      const bytes = () => new Uint8Array(100).fill(97);
      const a = storeFile(store, "/a", info, checkedAt, bytes())!;
      ok(a, "stored");
      pinFile(a);
      const b = storeFile(store, "/b", info, checkedAt, bytes())!;
      equal(store.lru.size, 1, "/a left the cache for /b");
      equal(a.bytes.length, 100, "a response still uses /a's bytes");
      equal(new TextDecoder().decode(a.bytes), "a".repeat(100));
      unpinFile(a);
      equal(a.bytes.length, 0, "freed with the last pin");
      equal(b.bytes.length, 100);
      store.lru.clear();
      equal(b.bytes.length, 0, "unpinned: freed as it leaves");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "FileCache: a cached file evicted while its response waits to send it is still sent whole",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    try {
      const dir = await twoSettledFiles(root);
      const cache = new FileCache({ max_entries: 1 });
      let openGate = () => {};
      const gate = new Promise<void>((resolve) => openGate = resolve);
      let waiting = () => {};
      const waited = new Promise<void>((resolve) => waiting = resolve);
      class Slow extends Quiet {
        // The body of /a.txt leaves only once the gate opens: meanwhile
        // /b.txt takes the cache's one place.
        override async copyfile(
          source: Parameters<Quiet["copyfile"]>[0],
          out: Parameters<Quiet["copyfile"]>[1],
        ): Promise<void> {
          if (this.path === "/a.txt" && cache.cache_info().hits > 0) {
            waiting();
            await gate;
          }
          await super.copyfile(source, out);
        }
      }
      await using server = new ThreadingHTTPServer(
        ["127.0.0.1", 0],
        Slow.partial({ directory: dir, cache }),
      );
      const done = server.serve_forever();
      try {
        const base = `http://127.0.0.1:${server.server_port}`;
        equal((await get(`${base}/a.txt`)).text, "a".repeat(1000));
        const slow = get(`${base}/a.txt`);
        await waited;
        // /b.txt, asked for more often than /a.txt, replaces it.
        for (let i = 0; i < 8 && cache.cache_info().entries <= 1; i++) {
          equal((await get(`${base}/b.txt`)).text, "b".repeat(1000));
          const hitsBefore = cache.cache_info().hits;
          await get(`${base}/b.txt`);
          if (cache.cache_info().hits > hitsBefore) break;
        }
        equal((await get(`${base}/b.txt`)).text, "b".repeat(1000));
        ok(cache.cache_info().hits >= 2, "/b.txt was served from the cache");
        openGate();
        equal((await slow).text, "a".repeat(1000));
      } finally {
        openGate();
        await server.shutdown();
        await done;
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "FileCache: a subclass's several send_head calls in one request keep every part's cached bytes",
  ignore: !LINUX,
  async fn() {
    const root = await tempTree();
    try {
      const dir = await twoSettledFiles(root);
      const cache = new FileCache();
      // Answers /both with a.txt then b.txt, each taken from send_head
      // with its head left unsent; the cache empties between the two.
      class Both extends Quiet {
        #quiet = false;
        override send_response(code: number, message?: string | null): void {
          if (!this.#quiet) super.send_response(code, message);
        }
        override send_header(keyword: string, value: string): void {
          if (!this.#quiet) super.send_header(keyword, value);
        }
        override end_headers(): void {
          if (!this.#quiet) super.end_headers();
        }
        override async do_GET(): Promise<void> {
          if (this.path !== "/both") return await super.do_GET();
          const parts: Uint8Array[] = [];
          this.#quiet = true;
          for (const name of ["/a.txt", "/b.txt"]) {
            this.path = name;
            const part = await this.send_head();
            ok(part instanceof Uint8Array, "served from memory");
            parts.push(part);
            cache.cache_clear();
          }
          this.#quiet = false;
          this.send_response(200);
          this.send_header("Content-Length", "2000");
          this.end_headers();
          for (const part of parts) this.wfile.write(part);
        }
      }
      await using server = new HTTPServer(
        ["127.0.0.1", 0],
        Both.partial({ directory: dir, cache }),
      );
      const done = server.serve_forever();
      try {
        const base = `http://127.0.0.1:${server.server_port}`;
        for (const name of ["/a.txt", "/b.txt"]) await get(base + name);
        const both = await get(`${base}/both`);
        equal(both.text, "a".repeat(1000) + "b".repeat(1000));
      } finally {
        await server.shutdown();
        await done;
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** What a test of listings held mid-build gets. */
interface HeldListings {
  /** The temporary folder holding `www`, the folder served. */
  readonly root: string;
  /** The served folder's `list/`, settled. */
  readonly list: string;
  /** The URL of `list/`. */
  readonly url: string;
  /** Listing requests that came; folder reads begun and finished. */
  readonly counts: { arrivals: number; reads: number; readsDone: number };
  /** Lets every held folder read go on. */
  release(): void;
}

/**
 * Runs `body` against a ThreadingHTTPServer with a file cache, serving
 * `root/www` (where `prepare` made `list/`'s contents), whose listings
 * each hold once the folder is read until `release()` is called.
 */
async function withHeldListings(
  prepare: (root: string, list: string) => Promise<void>,
  body: (held: HeldListings) => Promise<void>,
): Promise<void> {
  const root = await tempTree();
  const list = `${root}/www/list`;
  await prepare(root, list);
  await settle(list);
  const counts = { arrivals: 0, reads: 0, readsDone: 0 };
  const released = Promise.withResolvers<void>();
  class Held extends Quiet {
    override list_directory(path: string) {
      counts.arrivals++;
      return super.list_directory(path);
    }
    protected override async readListedFolder<T>(
      path: string,
      read: (folder: string, size: number | null) => Promise<T>,
    ): Promise<{ value: T; checked: boolean }> {
      counts.reads++;
      const value = await super.readListedFolder(path, read);
      counts.readsDone++;
      await released.promise;
      return value;
    }
  }
  await using server = new ThreadingHTTPServer(
    ["127.0.0.1", 0],
    Held.partial({
      directory: `${root}/www`,
      cache: new FileCache(),
      follow_symlinks: true,
    }),
  );
  const done = server.serve_forever();
  try {
    const url = `http://127.0.0.1:${server.server_port}/list/`;
    await body({
      root,
      list,
      url,
      counts,
      release: () => released.resolve(),
    });
  } finally {
    released.resolve();
    await server.shutdown();
    await done;
    await Deno.remove(root, { recursive: true });
  }
}

/** Resolves once `done()` says true, looking every 10 ms. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

Deno.test({
  name:
    "FileCache: requests for a listing that come while it is being built share that build",
  ignore: !LINUX,
  fn: () =>
    withHeldListings(
      (_root, list) => Deno.writeTextFile(`${list}/a.txt`, "a"),
      async ({ url, counts, release }) => {
        const pages = Array.from({ length: 4 }, () => get(url));
        await until(() => counts.arrivals === 4);
        release();
        const texts = (await Promise.all(pages)).map((page) => page.text);
        equal(counts.reads, 1, "one read of the folder for the four requests");
        match(texts[0]!, /href="a\.txt"/);
        equal(new Set(texts).size, 1);
      },
    ),
});

Deno.test({
  name:
    "FileCache: a listing request whose folder changed since a build began gets a build of its own",
  ignore: !LINUX,
  fn: () =>
    withHeldListings(
      (_root, list) => Deno.writeTextFile(`${list}/a.txt`, "a"),
      async ({ list, url, counts, release }) => {
        const first = get(url);
        await until(() => counts.arrivals === 1);
        await Deno.writeTextFile(`${list}/b.txt`, "b");
        // Settled again: a stamp that differs, not one too new to share.
        await settle(list);
        const second = get(url);
        await until(() => counts.arrivals === 2);
        equal(counts.reads, 2, "the second request read the folder itself");
        release();
        match((await second).text, /href="b\.txt"/);
        await first;
      },
    ),
});

Deno.test({
  name:
    "FileCache: a listing shared with a request that came while it was built shows where its links lead by then",
  ignore: !LINUX,
  fn: () =>
    withHeldListings(
      async (root, list) => {
        await Deno.mkdir(`${root}/target`);
        await Deno.symlink(`${root}/target`, `${list}/link`);
      },
      async ({ root, url, counts, release }) => {
        const first = get(url);
        await until(() => counts.readsDone === 1);
        // The folder's stamp does not move when a link's target changes kind.
        await Deno.remove(`${root}/target`);
        await Deno.writeTextFile(`${root}/target`, "now a file");
        const second = get(url);
        await until(() => counts.arrivals === 2);
        release();
        match((await second).text, /href="link">link@</);
        // The first came before the change: either answer is true for it.
        match((await first).text, /href="link\/?">link@</);
      },
    ),
});

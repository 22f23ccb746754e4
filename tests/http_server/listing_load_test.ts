/**
 * What a huge rich or JSON listing may cost the others: its stats and its
 * page are made in slices, so that other requests are served meanwhile,
 * and requests for the same folder build it one at a time, so that
 * concurrent requests hold one build's working set, not one each.
 * Untimed: the order of events, and counts of builds seen through a
 * subclass.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  type DetailedEntry,
  readDetailedEntries,
} from "../../http_server/_directory_entries.ts";
import { TimeSlices } from "../../http_server/_turns.ts";
import {
  encodeInSlices,
  listingJson,
  listingJsonParts,
} from "../../http_server/_rich_listing.ts";
import { HostingHTTPRequestHandler } from "../../http_server/hosting_handler.ts";
import { ThreadingHTTPServer } from "../../http_server/server.ts";
import { within } from "../_server.ts";

class Quiet extends HostingHTTPRequestHandler {
  override log_message(): void {}
}

/** Serves `directory` with `Handler` on a free port while `body` runs. */
async function withServer(
  Handler: typeof Quiet,
  body: (base: string) => Promise<void>,
): Promise<void> {
  await using server = new ThreadingHTTPServer(["127.0.0.1", 0], Handler);
  const done = server.serve_forever();
  try {
    await within(
      body(`http://127.0.0.1:${server.server_port}`),
      20_000,
      "test",
    );
  } finally {
    await server.shutdown();
    await done;
  }
}

/** A temporary folder with `big/` holding `count` empty files. */
async function bigFolder(count: number): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "pyport_listing_load_" });
  Deno.mkdirSync(`${root}/big`);
  const empty = new Uint8Array();
  for (let i = 0; i < count; i++) {
    Deno.writeFileSync(`${root}/big/file_${i}_with_a_longer_name.txt`, empty);
  }
  Deno.writeTextFileSync(`${root}/small.txt`, "small");
  return root;
}

/**
 * Runs `build(startOther)` while a server in this process serves
 * `small.txt` from `root`; `startOther()` (called by `build` from inside
 * its work) fetches it. Returns the order in which the two ended.
 */
async function alongside(
  root: string,
  build: (startOther: () => void) => Promise<unknown>,
): Promise<string[]> {
  const ended: string[] = [];
  await withServer(Quiet.partial({ directory: root }), async (base) => {
    let other: Promise<void> | null = null;
    const startOther = () => {
      other ??= fetch(`${base}/small.txt`).then(async (res) => {
        equal(await res.text(), "small");
        ended.push("small file");
      });
    };
    await build(startOther);
    ended.push("build");
    ok(other !== null, "the other request was started");
    await other;
  });
  return ended;
}

/**
 * Slices that end at once: every check yields, so these tests hold however
 * fast the machine (a small request takes a few turns of the event loop;
 * the builds below give it hundreds).
 */
const EVERY_TIME = 0;

Deno.test("a huge folder's entries are stat'ed in slices: a small file is served meanwhile", async () => {
  const count = 300;
  const root = await bigFolder(count);
  try {
    let seen = 0;
    const ended = await alongside(root, async (startOther) => {
      const entries = await readDetailedEntries(
        `${root}/big`,
        () => {
          // Called for each name once the folder is read, before the stats.
          if (++seen === count) startOther();
          return false;
        },
        undefined,
        new TimeSlices(EVERY_TIME),
      );
      equal(entries.length, count);
      ok(entries.every((e) => e.isFile && e.size === 0 && e.mtime !== null));
    });
    deepEqual(ended, ["small file", "build"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a huge listing page is made in slices: a small file is served meanwhile", async () => {
  const root = await bigFolder(0);
  try {
    const entry: DetailedEntry = {
      name: "file_000123_with_a_longer_name.txt",
      isDirectory: false,
      isSymlink: false,
      isFile: true,
      size: 0,
      mtime: new Date(0),
    };
    const entries = Array<DetailedEntry>(100_000).fill(entry);
    const ended = await alongside(root, async (startOther) => {
      function* parts() {
        let first = true;
        for (const part of listingJsonParts(entries)) {
          yield part;
          if (first) startOther();
          first = false;
        }
      }
      const bytes = await encodeInSlices(parts(), new TimeSlices(EVERY_TIME));
      equal(bytes.length, listingJson(entries).length);
    });
    deepEqual(ended, ["small file", "build"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("concurrent rich and JSON listings of one folder are built one at a time", async () => {
  const root = await bigFolder(50);
  const counts = { arrivals: 0, building: 0, most: 0 };
  const allArrived = Promise.withResolvers<void>();
  const CLIENTS = 4;
  class Counted extends Quiet {
    override list_directory(path: string) {
      if (++counts.arrivals === CLIENTS) allArrived.resolve();
      return super.list_directory(path);
    }
    protected override async readListedFolder<T>(
      path: string,
      read: (folder: string, size: number | null) => Promise<T>,
    ): Promise<{ value: T; checked: boolean }> {
      counts.most = Math.max(counts.most, ++counts.building);
      try {
        // Each build waits until every request is in: builds side by side
        // would all be counted here together.
        await allArrived.promise;
        return await super.readListedFolder(path, read);
      } finally {
        counts.building--;
      }
    }
  }
  try {
    await withServer(
      Counted.partial({ directory: root, listing: "rich" }),
      async (base) => {
        const pages = await Promise.all(
          Array.from({ length: CLIENTS }, async (_, i) => {
            const json = i % 2 === 1;
            const res = await fetch(`${base}/big/`, {
              headers: { Accept: json ? "application/json" : "text/html" },
            });
            equal(res.status, 200);
            const text = await res.text();
            return json
              ? JSON.parse(text).length
              : text.split('<tr class="file">').length - 1;
          }),
        );
        deepEqual(pages, [50, 50, 50, 50]);
        equal(counts.arrivals, CLIENTS);
        equal(counts.most, 1, "one build at a time");
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
